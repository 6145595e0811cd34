// Teams, reps and accounts feed no measure: the engine keeps what later records need of them.
extension SalesEngine {
    func apply(_ t: Team) {
        teams[t.id] = TeamInfo(id: t.id, externalID: t.externalID, name: t.name)
        repsChanged()
    }

    func apply(_ r: Rep) {
        reps[r.id] = RepInfo(
            id: r.id, externalID: r.externalID, name: r.name, role: r.role, teamID: r.team?.id,
            managerID: r.manager?.id)
        if let team = r.team?.id { teamMembers[team, default: []].append(r.id) }
        if repsByExternalID[r.externalID] == nil { repsByExternalID[r.externalID] = r.id }
        repsChanged()
    }

    /// Whether the account is key, in a target segment or came by referral: read when its deals close.
    func apply(_ a: Account) {
        grow(&accounts, to: a.id)
        accounts[Int(a.id)].isKey = a.isKeyAccount
        accounts[Int(a.id)].isTarget = a.isTargetSegment
        accounts[Int(a.id)].isReferral = a.source == "referral"
    }
}
