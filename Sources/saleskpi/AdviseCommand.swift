import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesServer
import SalesStorage

struct AdviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advise",
        abstract:
            "What each person should change: funnel bottlenecks, stale deals, KPIs below threshold, falling revenue, "
            + "what their analysed calls show — ranked by revenue at stake.",
        discussion: """
            saleskpi advise --db sales.sqlite                      this month, everyone
            saleskpi advise --db sales.sqlite --period 2026-Q4 --rep "Anna" --lang en
            saleskpi advise --db sales.sqlite --format json        for scripts
            saleskpi advise --db sales.sqlite --churn              accounts at risk of leaving, with reasons
            saleskpi advise --db sales.sqlite --leads              open leads by their chance to become an SQL
            saleskpi advise --db sales.sqlite --sources --period 2026-Q3   what each lead source's leads became
            saleskpi advise --db sales.sqlite --notify-email head@firm.ru \\
                --smtp smtp://127.0.0.1:25
            saleskpi advise --db sales.sqlite --notify-email head@firm.ru \\
                --smtp 'smtp://alerts%40firm.ru:PASSWORD@smtp.yandex.ru:587'
            saleskpi advise --db sales.sqlite --notify-email head@firm.ru \\
                --smtp 'smtp://alerts%40firm.ru:PASSWORD@smtp.office365.com:587'
            saleskpi advise --db sales.sqlite --notify-email head@firm.ru \\
                --smtp 'smtps://alerts%40firm.ru:PASSWORD@smtp.yandex.ru:465'
            saleskpi advise --db sales.sqlite --notify-email head@firm.ru \\
                --smtp 'smtp://kpi:PASSWORD@mail.firm.local:587' --smtp-ca firm-ca.pem
            saleskpi advise --db sales.sqlite --webhook https://hooks.slack.com/services/… --webhook-format slack
            Alerts (e-mail, webhooks) are sent once per person, kind and period: run it from cron every \
            hour and only what is new goes out. Webhook formats: json (generic), slack, telegram (the \
            URL https://api.telegram.org/bot<token>/sendMessage and --telegram-chat).
            E-mail, above: an open relay; Yandex 360 and Microsoft 365 with STARTTLS on port 587; SMTPS \
            (TLS from the start) on port 465; Exchange with the company's CA. \
            smtp:// upgrades to TLS with STARTTLS when the server offers it and, when the URL has a \
            user and password, requires it: a password is never sent in plain text (?tls=none allows that, \
            for a relay on a trusted network; ?tls=starttls requires TLS without a login too). smtps:// is \
            TLS from the first byte (port 465). The login is AUTH PLAIN or LOGIN, as the server offers; \
            percent-encode @ : / ? # % in the user and password (alerts%40firm.ru). The server's \
            certificate is checked with its name against the system's CAs and --smtp-ca; the sender is \
            --smtp-from, else the login when it is an address (Yandex, Microsoft 365 and Gmail require \
            that). SALESKPI_SMTP_URL keeps the password out of the shell history; no message shows it.
            A bottleneck is a funnel step where the person's conversion (or time in a stage) lags the \
            rest of their team's people of the same role, and a one-sided test gives p < 0.05 — small \
            samples are not flagged. Revenue at stake: for a conversion, the deals short × the person's \
            win rate after that step × their average deal; for stale deals (no activity for 14 days), \
            their expected value by the win-probability model; for a money KPI below its threshold, the \
            gap to plan. Velocity (open deals × win rate × average deal ÷ cycle) is printed per person \
            with its change against the previous period.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Only people whose name contains this text.")
    var rep: String?
    @Flag(help: "List accounts at risk of churn (with reasons) instead: for account managers.") var churn = false
    @Flag(help: "List open leads by their chance to become an SQL (with reasons) instead: for SDRs.") var leads = false
    @Flag(
        help: ArgumentHelp(
            "List lead sources instead: the period's leads per source (unassigned ones too) and how many became an "
                + "SQL, a deal and a won deal since, with the revenue won."))
    var sources = false
    @Option(help: "Send the recommendations as alerts to these addresses (comma-separated).") var notifyEmail: String?
    @Option(
        help: ArgumentHelp(
            "The SMTP server: smtp://[user:password@]host[:port] (STARTTLS), smtps://… (TLS, "
                + "port 465); or SALESKPI_SMTP_URL."))
    var smtp: String?
    @Option(
        name: .customLong("smtp-ca"),
        help: ArgumentHelp("Also trust the CA certificates (PEM) in this file for SMTP.", valueName: "file"))
    var smtpCA: String?
    @Option(help: "The sender of alert e-mails (default: the SMTP login if it is an address, else saleskpi@localhost).")
    var smtpFrom: String?
    @Option(help: "POST the alerts to this URL (or SALESKPI_WEBHOOK_URL).") var webhook: String?
    @Option(help: "The webhook's format: json, slack or telegram.") var webhookFormat: AlertDispatcher.WebhookFormat =
        .json
    @Option(help: "The Telegram chat id, for --webhook-format telegram.") var telegramChat: String?

    func run() async throws {
        let lang = language.language
        let opened = try ForecastingStore(store, configOption, periodOptions, lang: lang)
        let (insights, period) = (try opened.insights(lang), opened.period)
        let people = opened.engine.repsByTeam.filter { rep == nil || $0.name.localizedCaseInsensitiveContains(rep!) }
            .map(\.id)
        if churn {
            let table = ReportTable(churn: insights.churn(owners: Set(people)), repNames: insights.repNames, lang: lang)
            return try output.emit(table, sheet: lang.message("cli.sheet.churn_risk"), lang: lang)
        }
        if leads {
            guard insights.forecaster.leadScoring != nil else {
                throw CLIError(lang.message("cli.advise.too_few_leads", ["needed": "\(LeadScoring.minimumLeads)"]))
            }
            let table = ReportTable(leads: insights.leads(owners: Set(people)), repNames: insights.repNames, lang: lang)
            return try output.emit(table, sheet: lang.message("cli.sheet.leads"), lang: lang)
        }
        if sources {
            let everyone = rep == nil ? nil : Set(people)
            let table = LeadSources(
                history: insights.forecaster.history, calendar: opened.system.calendar, period: period, owners: everyone
            )
            return try output.emit(
                ReportTable(sources: table, lang: lang), sheet: lang.message("cli.sheet.sources"), lang: lang)
        }
        let all = insights.recommendations(for: people, period: period)
        try output.emit(
            ReportTable(recommendations: all, lang: lang), sheet: lang.message("cli.sheet.recommendations"), lang: lang)
        try await notify(all, period: period, store: opened.db, now: opened.now, lang: lang)
        guard output.format == .table && output.output == nil else { return }
        print(lang.message("cli.advise.velocity_title", ["period": "\(period.label)"]))
        let today = opened.system.calendar.day(of: opened.now)
        print(Self.velocity(opened.engine, period: period, today: today, lang).text())
    }

    /// Pipeline velocity of the company and each team, against the previous period.
    static func velocity(_ engine: SalesEngine, period: Period, today: Day, _ lang: Language) -> ReportTable {
        var velocity = ReportTable(
            lang, titles: "velocity",
            columns: ["who", "open", "win_rate_pct", "average_deal", "cycle_days", "velocity_per_day", "change_pct"])
        let teams = engine.teams.values.sorted(by: { $0.name < $1.name })
        for (slice, name) in [(Slice.company, lang.message("report.company"))] + teams.map({ (.team($0.id), $0.name) })
        {
            let v = PipelineVelocity(engine: engine, slice: slice, period: period, today: today)
            velocity.rows.append([
                .text(name), .number(Double(v.current.openDeals), decimals: 0),
                .number(v.current.winRate.map { $0 * 100 }, decimals: 1),
                .number(v.current.averageDeal.map { $0 / 100 }, decimals: 0), .number(v.current.cycleDays, decimals: 1),
                .number(v.current.perDay.map { $0 / 100 }, decimals: 0), .number(v.change(\.perDay), decimals: 1),
            ])
        }
        return velocity
    }

    /// Sends what is new by e-mail and webhook, when asked to.
    func notify(_ alerts: [Recommendation], period: Period, store: any SalesDatabase, now: Timestamp, lang: Language)
        async throws
    {
        let env = ProcessInfo.processInfo.environment
        var email: SMTPSettings?
        if let to = notifyEmail {
            let url = smtp ?? env["SALESKPI_SMTP_URL"] ?? "smtp://127.0.0.1:25"
            let recipients = to.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            // The URL may hold a password: the messages never repeat it.
            guard let settings = SMTPSettings(url: url, from: smtpFrom, to: recipients, caFile: smtpCA) else {
                throw CLIError(
                    lang.message("cli.advise.bad_smtp"))
            }
            if let smtpCA, !FileManager.default.fileExists(atPath: smtpCA) {
                throw CLIError(lang.message("cli.advise.no_smtp_ca", ["file": "\(smtpCA)"]))
            }
            email = settings
        }
        var hooks: [AlertDispatcher.Webhook] = []
        if let raw = webhook ?? env["SALESKPI_WEBHOOK_URL"] {
            guard let url = URL(string: raw), url.scheme == "http" || url.scheme == "https" else {
                throw CLIError(lang.message("cli.advise.bad_webhook"))
            }
            hooks.append(.init(url: url, format: webhookFormat, telegramChat: telegramChat))
        }
        guard email != nil || !hooks.isEmpty else { return }
        let outcome = try await AlertDispatcher(email: email, webhooks: hooks, language: lang).dispatch(
            alerts, period: period, sent: store.alertLog, now: now)
        printError(
            lang.message(
                "cli.advise.alerts_sent", ["sent": "\(outcome.sent)", "already_sent": "\(outcome.alreadySent)"]))
    }
}

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract:
            "What a change in conversion, average deal, cycle or activity would do to the period's revenue and plan "
            + "fulfillment.",
        discussion: """
            saleskpi whatif --db sales.sqlite --stage proposal --conversion 5       +5 pp into proposal, company, \
            this month
            saleskpi whatif --db sales.sqlite --team "Team 1" --deal-size 10 --cycle=-15 --period 2026-Q4
            saleskpi whatif --db sales.sqlite --rep "Anna" --activity 20 --format json
            The forecast (see `saleskpi forecast`) is made twice: as things are, and with the change. \
            --conversion adds percentage points to the conversion into --stage (meeting, proposal, \
            contract or won), measured on the deals opened in the last 90 days; deals that have not yet \
            reached the stage, and new deals, become that much likelier to. --deal-size scales amounts, \
            --cycle scales every deal's time to close (--cycle=-15 is 15 % faster, so more deals close in the \
            period; a negative number needs the =), \
            --activity scales the deals opened (taken as proportional to activity).
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var configOption: ConfigOption
    @OptionGroup var language: LanguageOption
    @Option(help: "A person (name contains this text); default: the company.") var rep: String?
    @Option(help: "A team (name contains this text).") var team: String?
    @Option(help: "The stage whose conversion changes: meeting, proposal, contract or won.") var stage: String?
    @Option(help: "Percentage points added to the conversion into --stage (may be negative).") var conversion: Double =
        0
    @Option(help: "Average deal change, %.") var dealSize: Double = 0
    @Option(help: "Cycle length change, % (negative is faster).") var cycle: Double = 0
    @Option(help: "Activity change, %.") var activity: Double = 0
    @Option(help: "Output: table or json.") var format: ReportTable.Format = .table

    func run() throws {
        let lang = language.language
        let opened = try ForecastingStore(store, configOption, periodOptions, lang: lang)
        let change = try self.change(lang)
        let w = try opened.insights(lang).whatIf(try slice(opened.engine, lang), period: opened.period, change: change)
        if format == .json {
            return print(String(decoding: try MachineJSON.encoder(pretty: true).encode(w), as: UTF8.self))
        }
        print(Self.text(w, period: opened.period, stage: change.stage, lang))
    }

    /// `--stage` and the levers; a conversion change needs its stage.
    private func change(_ lang: Language) throws -> SalesForecaster.Change {
        var stageValue: DealStage?
        if let stage {
            guard let s = DealStage(rawValue: stage), SalesForecaster.funnelStep[s] != nil else {
                throw CLIError(lang.message("cli.advise.bad_stage", ["stage": "\(stage)"]))
            }
            stageValue = s
        }
        if conversion != 0 && stageValue == nil { throw CLIError(lang.message("cli.advise.conversion_needs_stage")) }
        return SalesForecaster.Change(
            stage: stageValue, conversionPoints: conversion, dealSizePercent: dealSize, cyclePercent: cycle,
            activityPercent: activity)
    }

    /// `--rep` or `--team` (a name containing the text), else the company.
    private func slice(_ engine: SalesEngine, _ lang: Language) throws -> Slice {
        if let rep {
            guard let r = engine.repsByTeam.first(where: { $0.name.localizedCaseInsensitiveContains(rep) }) else {
                throw CLIError(lang.message("cli.no_person", ["rep": "\(rep)"]))
            }
            return .rep(r.id)
        }
        if let team {
            guard let t = engine.teams.values.first(where: { $0.name.localizedCaseInsensitiveContains(team) }) else {
                throw CLIError(lang.message("cli.no_team", ["team": "\(team)"]))
            }
            return .team(t.id)
        }
        return .company
    }

    /// The two outlooks side by side, then what changes.
    static func text(_ w: SalesForecaster.WhatIf, period: Period, stage: DealStage?, _ lang: Language) -> String {
        var t = ReportTable(
            lang, titles: "whatif", columns: ["scenario", "expected", "p10", "p90", "plan", "of_plan_pct"])
        let money = ForecastCommand.money
        for (name, o) in [
            (lang.message("cli.whatif.as_is"), w.base), (lang.message("cli.whatif.scenario"), w.scenario),
        ] {
            t.rows.append([
                .text(name), money(o.forecast.expected), money(o.forecast.p10), money(o.forecast.p90), money(o.plan),
                .number(o.expectedFulfillment, decimals: 1),
            ])
        }
        var lines = ["\(w.base.slice == "company" ? lang.message("report.company") : w.base.name), \(period.label)"]
        lines.append(t.text())
        if let now = w.conversionNow, let then = w.conversionThen, let stage {
            let conversion: MessageArguments = [
                "stage": .localized(stage.name), "now": "\(Int(now.rounded()))", "then": "\(Int(then.rounded()))",
            ]
            lines.append(lang.message("cli.whatif.conversion", conversion))
        }
        let delta = Double(w.revenueChange) / 100
        let change: MessageArguments = ["sign": "\(delta >= 0 ? "+" : "")", "change": "\(ReportTable.human(delta, 0))"]
        lines.append(lang.message("cli.whatif.revenue_change", change))
        return lines.joined(separator: "\n")
    }
}

extension AlertDispatcher.WebhookFormat: ExpressibleByArgument {}
