import ArgumentParser
import Foundation
import SalesServer
import SalesStorage

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the people who sign in, and API tokens for machines.",
        discussion: """
            saleskpi user add --db sales.sqlite --login anna --role admin
            saleskpi user add --db sales.sqlite --login petrov --role head --rep R1 --name "Пётр Петров"
            saleskpi user token --db sales.sqlite --login crm-bot --name amocrm-webhook
            saleskpi user list --db sales.sqlite
            A rep and a head are linked to their rep by the CRM id (--rep): a rep then sees their own \
            numbers, a head their rep's team. The password is asked for on a terminal, or read from \
            SALESKPI_PASSWORD; it is stored only as a bcrypt hash.
            """,
        subcommands: [Add.self, Token.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The login.") var login: String
        @Option(help: "The name shown on the dashboard (default: the login).") var name: String?
        @Option(help: "admin, head or rep.") var role: UserRole
        @Option(help: "The rep's id in the CRM (for head and rep).") var rep: String?
        @Option(help: "bcrypt cost.") var cost: UInt8 = 12

        func validate() throws {
            if role != .admin && rep == nil { throw ValidationError("--rep is required for a \(role.rawValue): whose numbers are theirs?") }
        }

        func run() throws {
            let password = try UserCommand.password()
            let user = try store.open().accounts.addUser(UserAccount(login: login, name: name ?? login, role: role, repExternalID: rep,
                                                                     passwordHash: PasswordHasher(cost: cost).hash(password)))
            print("added \(user.login) (\(user.role.rawValue))")
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user (printed once; keep it secret).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Whose token.") var login: String
        @Option(help: "What the token is for.") var name = "api"

        func run() throws {
            let accounts = try store.open().accounts
            guard let user = try accounts.user(login: login) else { throw CLIError("no user '\(login)'") }
            print(try TokenIssuer.issue(for: user, name: name, in: accounts))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            for u in try store.open().accounts.users() { print("\(u.login)\t\(u.role.rawValue)\t\(u.repExternalID ?? "-")\t\(u.name)") }
        }
    }

    /// From SALESKPI_PASSWORD, or asked on the terminal without echo.
    static func password() throws -> String {
        if let p = ProcessInfo.processInfo.environment["SALESKPI_PASSWORD"], !p.isEmpty { return p }
        guard let p = getpass("Password: ").map({ String(cString: $0) }), p.count >= 8 else {
            throw CLIError("the password must have at least 8 characters")
        }
        return p
    }
}

extension UserRole: ExpressibleByArgument {}
