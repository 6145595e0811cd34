extension SalesEngine {
    static let funnelStages: [(DealStage, BaseMeasure, BaseMeasure)] =
        [
            (.meeting, .reachedMeeting, .cohortMeetings), (.proposal, .reachedProposal, .cohortProposals),
            (.contract, .reachedContract, .cohortContracts),
        ]

    func apply(_ c: StageChange) {
        let i = Int(c.deal.id)
        var deal = deals[i]
        // Reaching a stage counts every funnel stage up to it once per deal; a win reaches them all.
        let top: DealStage = c.stage == .won ? .contract : c.stage
        for (bit, (stage, measure, cohort)) in Self.funnelStages.enumerated() where stage <= top && c.stage != .lost {
            let mask: UInt8 = 1 << UInt8(bit)
            if deal.reached & mask == 0 {
                deal.reached |= mask
                add(measure, 1, rep: deal.owner, at: c.at)
                addOnDay(cohort, 1, rep: deal.owner, day: deal.createdDay)
            }
        }
        if c.stage.isClosed, !deal.outcome.isClosed || c.at >= deal.closeAt {
            if deal.outcome.isClosed { close(&deal, sign: -1) }  // a later close replaces the earlier one
            deal.outcome = c.stage
            deal.closeAt = c.at
            deal.closeAmount = c.amount ?? deal.amount
            deal.managerFault = c.managerFault
            close(&deal, sign: 1)
        }
        deals[i] = deal
    }

    /// Adds (sign 1) or removes (sign -1) a closed deal's contribution.
    private func close(_ deal: inout DealFact, sign: Int64) {
        let rep = deal.owner
        let at = deal.closeAt
        add(.dealsClosedCreatedAmount, sign * deal.amount, rep: rep, at: at)
        if deal.outcome == .lost {
            add(.dealsLost, sign, rep: rep, at: at)
            if deal.managerFault { add(.lostManagerFault, sign, rep: rep, at: at) }
            if deal.kind == .renewal { add(.renewalsLost, sign, rep: rep, at: at) }
            return
        }
        let closeDay = calendar.day(of: at)
        add(.dealsWon, sign, rep: rep, at: at)
        addOnDay(.cohortWon, sign, rep: rep, day: deal.createdDay)
        add(.wonRevenue, sign * deal.closeAmount, rep: rep, at: at)
        add(.wonCost, sign * deal.cost, rep: rep, at: at)
        add(.wonExtraCosts, sign * deal.extra, rep: rep, at: at)
        add(.wonCycleDays, sign * Int64(max(0, closeDay - deal.createdDay)), rep: rep, at: at)
        let account = deal.account
        if account < accounts.count, accounts[Int(account)].isKey {
            add(.wonKeyRevenue, sign * deal.closeAmount, rep: rep, at: at)
        }
        if deal.isReferral { add(.wonReferral, sign, rep: rep, at: at) }
        if deal.kind != .new {
            add(.wonRepeat, sign, rep: rep, at: at)
            add(.wonRepeatRevenue, sign * deal.closeAmount, rep: rep, at: at)
        }
        if deal.kind == .upsell { add(.wonUpsellRevenue, sign * deal.closeAmount, rep: rep, at: at) }
        if deal.kind == .renewal { add(.renewalsWon, sign, rep: rep, at: at) }
        if sign > 0 { noteWin(account: account, rep: rep, day: closeDay) }
    }

    /// Keeps each account's first win, moving the "new client" count when an earlier win arrives.
    private func noteWin(account: Int64, rep: Int64, day: Day) {
        grow(&accounts, to: account)
        let a = accounts[Int(account)]
        guard day < a.firstWinDay else { return }
        if a.firstWinDay != .max {
            addOnDay(.newClients, -1, rep: a.firstWinRep, day: a.firstWinDay)
            if a.isTarget { addOnDay(.newTargetClients, -1, rep: a.firstWinRep, day: a.firstWinDay) }
        }
        accounts[Int(account)].firstWinDay = day
        accounts[Int(account)].firstWinRep = rep
        addOnDay(.newClients, 1, rep: rep, day: day)
        if a.isTarget { addOnDay(.newTargetClients, 1, rep: rep, day: day) }
    }
}
