import ArgumentParser
import Foundation
import SalesConnectors
import SalesCore
import SalesImport
import SalesStorage

/// The CRMs SalesKPI reads live.
enum ConnectableCRM: String, ExpressibleByArgument, CaseIterable {
    case amocrm, bitrix24, hubspot, pipedrive, salesforce

    /// Where the API is when the CRM has one address for every account.
    var defaultBaseURL: String? { self == .hubspot ? "https://api.hubapi.com" : nil }
}

/// What `connect` and `sync` both take: where the CRM's API is and the token it wants.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The CRM's API base: https://firm.amocrm.ru (Kommo: https://firm.kommo.com), https://firm.pipedrive.com; "
                + "HubSpot's is https://api.hubapi.com unless given."))
    var baseURL: String?
    @Option(help: "Salesforce: the org's instance, https://firm.my.salesforce.com (the same as --base-url).")
    var instanceURL: String?
    @Option(
        help: ArgumentHelp(
            "The API token: amoCRM's long-lived token (Settings → Integrations → your integration → Keys), HubSpot's "
                + "private app token, Pipedrive's personal API token, Salesforce's OAuth access token."))
    var token: String?
    @Option(
        help: ArgumentHelp(
            "Bitrix24's inbound webhook, https://PORTAL/rest/USER/SECRET/ (Developer resources → Other → Inbound "
                + "webhook, with the crm, user and department scopes): it is the address and the credential."))
    var webhookURL: String?

    /// The API's base and token as given: Bitrix24's webhook URL carries its secret, so its token is empty.
    var given: (baseURL: String?, token: String?) {
        if let webhookURL { return (webhookURL, "") }
        return (baseURL ?? instanceURL, token)
    }
}

struct ConnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Stores a CRM connection, for saleskpi sync and serve, and prints the webhook URL for the CRM.",
        discussion: """
            saleskpi connect amocrm --db sales.sqlite --base-url https://firm.amocrm.ru --token TOKEN \\
                --public-url https://kpi.firm.ru
            saleskpi connect amocrm --db sales.sqlite --stage-map stages.yaml      change only the stage map
            saleskpi connect amocrm --db sales.sqlite --rep-map reps.yaml          match CRM users to existing reps
            saleskpi connect bitrix24 --db sales.sqlite --webhook-url https://firm.bitrix24.ru/rest/1/SECRET/ \
                --application-token TOKEN --public-url https://kpi.firm.ru
            saleskpi connect hubspot --db sales.sqlite --token pat-na1-… --client-secret SECRET \
                --public-url https://kpi.firm.ru
            saleskpi connect pipedrive --db sales.sqlite --base-url https://firm.pipedrive.com --token TOKEN
            saleskpi connect salesforce --db sales.sqlite --instance-url https://firm.my.salesforce.com \
                --token ACCESS_TOKEN --organization-id 00D5g000004ABCD
            The token is kept in the store and shown nowhere. Stage names amoCRM's own funnel uses are known; \
            a pipeline of your own needs a stage map (the same file as import --stage-map: `stages: \
            {"Invoice sent": proposal}`; a status id works as a key too). docs/connectors.md says what to \
            click in the CRM.
            """)

    @Argument(help: "The CRM: \(ConnectableCRM.allCases.map(\.rawValue).joined(separator: ", ")).")
    var crm: ConnectableCRM
    @OptionGroup var store: StoreOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var language: LanguageOption
    @Option(help: "Stage names → SalesKPI stages (YAML, as import --stage-map).") var stageMap: String?
    @Option(
        help: ArgumentHelp(
            "The CRM's users that are reps SalesKPI already has (YAML: `reps: {\"anna@firm.ru\": R-01}`, by the "
                + "user's e-mail or id in the CRM): their deals and calls count for those reps."))
    var repMap: String?
    @Option(help: "The currency the CRM keeps amounts in (ISO code; default: the company's).") var currency: String?
    @Option(help: "Where SalesKPI's server is reached from the CRM, for the webhook URL.")
    var publicURL = "https://HOST"
    @Option(
        help: ArgumentHelp(
            "Bitrix24: the application token its outbound webhook shows; a webhook without it is refused."))
    var applicationToken: String?
    @Option(help: "HubSpot: the app's client secret, which signs its webhooks; an unsigned one is refused.")
    var clientSecret: String?
    @Option(help: "Salesforce: the org's id (Setup → Company Information); an Outbound Message of another is refused.")
    var organizationId: String?

    /// What the CRM's webhooks are checked with: given, else stored, else (Pipedrive's HTTP Basic password) new.
    func hookToken(_ old: ConnectionSettings?) -> String? {
        applicationToken ?? clientSecret ?? organizationId ?? old?.hookToken
            ?? (crm == .pipedrive ? ConnectionSettings.newSecret() : nil)
    }

    func run() throws {
        let lang = language.language
        let db = try store.open()
        let system = try reportFailures(lang) { try ConfigOption.load(config: nil, store: db).system }
        let old = try db.connections.connection(crm: crm.rawValue).flatMap {
            try? ConnectionSettings.decode($0.settings)
        }
        guard let baseURL = connection.given.baseURL ?? old?.baseURL ?? crm.defaultBaseURL,
            let token = connection.given.token ?? old?.token
        else {
            throw CLIError(lang.message("cli.connect.needs_url_and_token", ["crm": .text(crm.rawValue)]))
        }
        let stages =
            try stageMap.map { file in try reportFailures(lang) { try StageMapFile.load(file) } } ?? old?.stages ?? [:]
        let reps = try repMap.map { file in try reportFailures(lang) { try RepMapFile.load(file) } } ?? old?.reps ?? [:]
        let settings = ConnectionSettings(
            baseURL: baseURL, token: token, webhookSecret: old?.webhookSecret ?? ConnectionSettings.newSecret(),
            stages: stages, currency: currency ?? old?.currency ?? system.currency,
            hookToken: hookToken(old), reps: reps)
        try db.connections.save(crm: crm.rawValue, settings: try settings.json())
        let hook =
            publicURL.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            + "/hooks/\(crm.rawValue)/\(settings.webhookSecret)"
        print(
            lang.message(
                "cli.connect.saved", ["crm": .text(crm.rawValue), "url": .text(baseURL), "db": .text(store.location)]))
        print(lang.message("cli.connect.webhook", ["hook": .text(hook)]))
        if crm == .pipedrive, let password = settings.hookToken {
            print(lang.message("cli.connect.basic_auth", ["user": .text("saleskpi"), "password": .text(password)]))
        }
        // Without what signs them, HubSpot's and Bitrix24's webhooks are refused: say so now, not at the first one.
        if [.hubspot, .bitrix24].contains(crm), settings.hookToken == nil {
            print(lang.message("cli.connect.unsigned", ["crm": .text(crm.rawValue)]))
        }
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Reads what changed in a CRM since the last sync into the store, page by page.",
        discussion: """
            saleskpi sync amocrm --db sales.sqlite                       the stored connection (saleskpi connect)
            saleskpi sync amocrm --db sales.sqlite --base-url https://firm.amocrm.ru --token TOKEN
            saleskpi sync amocrm --db sales.sqlite --full                from the beginning: heals missed webhooks
            saleskpi sync bitrix24 --db sales.sqlite --webhook-url https://firm.bitrix24.ru/rest/1/SECRET/
            saleskpi sync hubspot --db sales.sqlite --token pat-na1-…
            saleskpi sync pipedrive --db sales.sqlite --base-url https://firm.pipedrive.com --token TOKEN
            saleskpi sync salesforce --db sales.sqlite --instance-url https://firm.my.salesforce.com --token TOKEN
            Users, companies, deals with their closes and stage moves (and, where the API has them, calls and \
            meetings) are read incrementally from a cursor kept in the store, within the CRM's rate limit \
            (amoCRM: 7 calls a second; Bitrix24: 2; HubSpot: 4; Pipedrive: 10; Salesforce: its daily budget; a 429 \
            or 503 waits and retries). A sync \
            stopped at any moment resumes from its cursor with nothing lost and nothing counted twice. The run, \
            its counts and its errors are kept for the admin page.
            """)

    @Argument(help: "The CRM: \(ConnectableCRM.allCases.map(\.rawValue).joined(separator: ", ")).")
    var crm: ConnectableCRM
    @OptionGroup var store: StoreOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var language: LanguageOption
    @Flag(help: "Read everything again from the beginning (a nightly reconcile).") var full = false
    @Option(help: "Exchange rates (currency,date,rate; the Bank of Russia's XML; the ECB's CSV).") var rates: [String] =
        []

    func run() async throws {
        let lang = language.language
        let db = try store.open()
        let system = try reportFailures(lang) { try ConfigOption.load(config: nil, store: db).system }
        let connector = try connector(db, system, lang)
        // One progress line, rewritten in place on a terminal.
        let terminal = isatty(2) == 1
        var runner = SyncRunner(db: db, calendar: system.calendar)
        runner.progress = { run, label in
            guard terminal else { return }
            let arguments: MessageArguments = [
                "what": .text(label), "records": .count(run.fetched), "calls": .count(run.requests),
            ]
            FileHandle.standardError.write(Data(("\r" + lang.message("cli.sync.progress", arguments) + "   ").utf8))
        }
        let result: Result<SyncRun, SyncFailure>
        do { result = .success(try await runner.run(connector, full: full)) } catch let f as SyncFailure {
            result = .failure(f)
        }
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        switch result {
        case .failure(let f):
            throw CLIError(
                lang.message("cli.sync.failed", ["crm": .text(crm.rawValue), "why": .text(f.run.message ?? "")]))
        case .success(let run):
            let counts: MessageArguments = [
                "crm": .text(crm.rawValue), "count": .count(run.fetched), "stored": .count(run.stored),
                "changed": .count(run.changed), "calls": .count(run.requests),
                "seconds": .text("\(run.finishedAt - run.startedAt)"),
            ]
            print(lang.message("cli.sync.done", counts))
            try refreshSnapshot(db, changed: run.stored + run.changed > 0, system, lang)
        }
    }

    /// The connector of the stored connection (with the flags over it), converting at the `--rates` given.
    private func connector(_ db: any SalesDatabase, _ system: KPISystem, _ lang: Language) throws
        -> any CRMConnector
    {
        let settings = try settings(db, currency: system.currency, lang)
        var all = ExchangeRates(company: system.currency)
        for file in rates {
            all.merge(try reportFailures(lang) { try ExchangeRates.read(path: file, company: system.currency) })
        }
        return try Connectors.make(
            crm: crm.rawValue, settings: settings, conversion: CurrencyConversion(rates: all), calendar: system.calendar
        )
    }

    /// The stored connection with the flags over it; flags alone make one.
    private func settings(_ db: any SalesDatabase, currency: String, _ lang: Language) throws -> ConnectionSettings {
        let stored = try db.connections.connection(crm: crm.rawValue).map { try ConnectionSettings.decode($0.settings) }
        guard let baseURL = connection.given.baseURL ?? stored?.baseURL ?? crm.defaultBaseURL,
            let token = connection.given.token ?? stored?.token
        else {
            throw CLIError(lang.message("cli.connect.needs_url_and_token", ["crm": .text(crm.rawValue)]))
        }
        let settings = ConnectionSettings(
            baseURL: baseURL, token: token, webhookSecret: stored?.webhookSecret ?? ConnectionSettings.newSecret(),
            stages: stored?.stages ?? [:], currency: stored?.currency ?? currency, hookToken: stored?.hookToken,
            reps: stored?.reps ?? [:])
        if settings != stored { try db.connections.save(crm: crm.rawValue, settings: try settings.json()) }
        return settings
    }
}
