import ArgumentParser
import Foundation
import SalesCore
import SalesImport
import SalesServer
import SalesStorage

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the people who sign in, and API tokens for machines.",
        discussion: """
            saleskpi user add --db sales.sqlite --login anna --role admin
            saleskpi user add --db sales.sqlite --login petrov --role head --rep R1 --name "Peter Petrov"
            saleskpi user token --db sales.sqlite --login crm-bot --name amocrm-webhook
            saleskpi user token list --db sales.sqlite            then: \
            saleskpi user token revoke --db sales.sqlite --id 3
            saleskpi user disable --db sales.sqlite --login petrov    (enable brings the account back)
            saleskpi user password --db sales.sqlite --login petrov   (asks for the new one)
            saleskpi user remove --db sales.sqlite --login petrov
            saleskpi user list --db sales.sqlite
            A rep and a head are linked to their rep by the CRM id (--rep): a rep then sees their own \
            numbers, a head their rep's team. The password is asked for on a terminal, or read from \
            SALESKPI_PASSWORD; it is stored only as a bcrypt hash. Disabling, removing and a new password \
            end the user's sessions; a running server notices within 5 seconds. Every change is in the \
            audit log on the admin page.
            """,
        subcommands: [Add.self, Token.self, List.self, Disable.self, Enable.self, Password.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The login.") var login: String
        @Option(help: "The name shown on the dashboard (default: the login).") var name: String?
        @Option(help: "admin, head or rep.") var role: UserRole
        @Option(help: "The rep's id in the CRM (for head and rep).") var rep: String?
        @Option(help: "bcrypt cost.") var cost: UInt8 = 12

        func validate() throws {
            if role != .admin && rep == nil {
                throw ValidationError(
                    Language.fromEnvironment().message("cli.user.rep_required", ["role": .text(role.rawValue)]))
            }
        }

        func run() throws {
            let password = try UserCommand.password()
            let hash = PasswordHasher(cost: cost).hash(password)
            let user = try store.open().users.add(
                UserAccount(login: login, name: name ?? login, role: role, repExternalID: rep, passwordHash: hash))
            print(
                Language.fromEnvironment().message(
                    "cli.user.added", ["login": .text(user.login), "role": .text(user.role.rawValue)]))
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "API tokens: create one (the default), list them, revoke one.",
            subcommands: [Create.self, TokenList.self, Revoke.self], defaultSubcommand: Create.self)

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create", abstract: "Create an API token for a user (printed once; keep it secret).")
            @OptionGroup var store: StoreOptions
            @Option(help: "Whose token.") var login: String
            @Option(help: "What the token is for.") var name = "api"

            func run() throws {
                let db = try store.open()
                guard let user = try db.users.user(login: login) else {
                    throw CLIError(Language.fromEnvironment().message("cli.user.no_user", ["login": .text(login)]))
                }
                print(try TokenIssuer.issue(for: user, name: name, in: db.apiTokens))
            }
        }

        struct TokenList: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List API tokens: id, login, name, created (never the tokens themselves).")
            @OptionGroup var store: StoreOptions
            @OptionGroup var language: LanguageOption
            @Option(help: "Only this user's tokens.") var login: String?
            @OptionGroup var output: OutputOptions

            func run() throws {
                let lang = language.language
                let tokens = try UserCommand.administration(store).perform(lang) { try $0.tokens(of: login) }
                var table = ReportTable(columns: ["id", "login", "name", "created_at"])
                for t in tokens {
                    let created = Date(timeIntervalSince1970: TimeInterval(t.createdAt)).formatted(.iso8601)
                    table.rows.append([
                        .number(Double(t.id), decimals: 0), .text(t.login), .text(t.name),
                        .text(created),
                    ])
                }
                try output.emit(table, sheet: "tokens", lang: lang)
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "revoke", abstract: "Revoke an API token by the id `token list` shows.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var language: LanguageOption
            @Option(help: "The token's id.") var id: Int64

            func run() throws {
                let lang = language.language
                let token = try UserCommand.administration(store).perform(lang) { try $0.revokeToken(id: id) }
                print(
                    lang.message("cli.user.token_revoked", ["login": "\(token.login)", "token": "\(token.name)"]))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users: login, role, rep, name, state.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            for u in try store.open().users.all() {
                let state = u.disabledAt == nil ? "active" : "disabled"
                print("\(u.login)\t\(u.role.rawValue)\t\(u.repExternalID ?? "-")\t\(u.name)\t\(state)")
            }
        }
    }

    /// One account change by login: the four commands below differ only in what they call.
    struct Change: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @OptionGroup var language: LanguageOption
        @Option(help: "The user's login.") var login: String

        func run(_ done: MessageKey, _ change: (AccountAdministration) throws -> Void) throws {
            let lang = language.language
            try UserCommand.administration(store).perform(lang, change)
            print(lang.message(done, ["login": .text(login)]))
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user: no sign-in, sessions ended, tokens stop working (enable undoes it).")
        @OptionGroup var change: Change
        func run() throws {
            try change.run("cli.user.disabled") { try $0.disable(change.login) }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var change: Change
        func run() throws { try change.run("cli.user.enabled") { try $0.enable(change.login) } }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password (asked for, or SALESKPI_PASSWORD); their sessions end.")
        @OptionGroup var change: Change
        func run() throws {
            let password = try UserCommand.password()
            try change.run("cli.user.password_changed") {
                try $0.setPassword(change.login, to: password)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user with their sessions and tokens (the audit log keeps their actions).")
        @OptionGroup var change: Change
        func run() throws { try change.run("cli.user.removed") { try $0.remove(change.login) } }
    }

    static func administration(_ store: StoreOptions) throws -> AccountAdministration {
        AccountAdministration(ServerStores(try store.open()), passwords: PasswordHasher(), actor: nil)
    }

    /// From SALESKPI_PASSWORD, or asked on the terminal without echo.
    static func password() throws -> String {
        if let p = ProcessInfo.processInfo.environment["SALESKPI_PASSWORD"], !p.isEmpty { return p }
        guard let p = getpass("Password: ").map({ String(cString: $0) }),
            p.count >= AccountAdministration.minimumPasswordLength
        else {
            throw CLIError(
                Language.fromEnvironment().message(
                    "cli.user.short_password", ["count": .count(AccountAdministration.minimumPasswordLength)]))
        }
        return p
    }
}

extension AccountAdministration {
    /// Runs `change`, turning a refusal into the CLI's error in the user's language.
    func perform<T>(_ lang: Language, _ change: (AccountAdministration) throws -> T) throws -> T {
        do {
            return try change(self)
        } catch let failure as Failure {
            throw CLIError(failure.message(lang))
        }
    }
}

extension UserRole: ExpressibleByArgument {}
