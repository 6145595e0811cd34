import Foundation
import SalesServer
import Testing

/// The SMTP client against a real SMTP server with TLS and AUTH (aiosmtpd, started by `Tests/support/tls_smtp.py`
/// with a CA and a server certificate made at run time; `.ci/run` installs aiosmtpd and cryptography): STARTTLS and
/// implicit TLS deliver with AUTH PLAIN and LOGIN, and every refusal that keeps a password safe happens.
@Suite struct SMTPTLSTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../support/tls_smtp.py").standardized.path
    /// The server's one account, and the same percent-encoded as a user writes it in a URL.
    static let user = "alerts@firm.ru"
    static let password = "p@ss:w/rd %ü"
    static let login = "alerts%40firm.ru:p%40ss%3Aw%2Frd%20%25%C3%BC"
    static let subject = "SalesKPI: 2 рекомендаций за 2026-11"
    static let body = "• Анна Соколова: Конверсия Встреча→КП 50 % против 100 % у команды\n• Line two."

    /// `tls_smtp.py` in one mode (starttls, smtps, plain, wrong-name, inject) with its own directory.
    final class Server {
        let dir = NSTemporaryDirectory() + "saleskpi-smtp-tls-\(UUID().uuidString)"
        let port: Int
        private let process = Process()
        private let input = Pipe()

        init(_ mode: String) throws {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", SMTPTLSTests.script, dir, mode]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var line = Data()
            let reader = output.fileHandleForReading
            while let byte = try reader.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                line += byte
            }
            port = Int(String(decoding: line, as: UTF8.self)) ?? 0
            try #require(port > 0, "tls_smtp.py did not start: pip install aiosmtpd cryptography")
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: dir)
        }

        var ca: String { dir + "/ca.pem" }
        /// The verbs of the commands the server received, in order (`AUTH PLAIN`, never AUTH's data).
        var commands: [String] {
            let log = (try? String(contentsOfFile: dir + "/commands.log", encoding: .utf8)) ?? ""
            return log.split(separator: "\n").map(String.init)
        }
        var mails: Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".eml") }.count
        }
        /// The first e-mail: its headers, decoded subject and body, and who sent it ("MECHANISM user").
        func mail() throws -> (headers: String, subject: String, body: String, login: String) {
            let text = try String(contentsOfFile: dir + "/mail-1.eml", encoding: .utf8)
            let parts = text.components(separatedBy: "\r\n\r\n")
            let prefix = "Subject: =?UTF-8?B?"
            let header = parts[0].components(separatedBy: "\r\n").first { $0.hasPrefix(prefix) } ?? ""
            let subject = Data(base64Encoded: String(header.dropFirst(prefix.count).dropLast(2))) ?? Data()
            let body = Data(base64Encoded: parts[1].replacingOccurrences(of: "\r\n", with: "")) ?? Data()
            let login = try String(contentsOfFile: dir + "/mail-1.login", encoding: .utf8)
            return (parts[0], String(decoding: subject, as: UTF8.self), String(decoding: body, as: UTF8.self), login)
        }
    }

    static func settings(_ url: String, ca: String? = nil) throws -> SMTPSettings {
        try #require(SMTPSettings(url: url, to: ["head@firm.ru", "rop@firm.ru"], caFile: ca))
    }

    /// The error `send` throws; it must name the server and hold no trace of the password.
    static func failure(_ settings: SMTPSettings) async throws -> String {
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(settings: settings).send(subject: subject, body: body)
        }
        let text = try #require(error).description
        #expect(text.contains("127.0.0.1:\(settings.port)"))
        #expect(!text.contains(settings.credentials?.password ?? password) && !text.contains("p%40ss"))
        return text
    }

    @Test func startTLSAndAuthPlainDeliver() async throws {
        let server = try Server("starttls")
        defer { server.stop() }
        let settings = try Self.settings("smtp://\(Self.login)@127.0.0.1:\(server.port)", ca: server.ca)
        try await SMTPClient(settings: settings).send(subject: Self.subject, body: Self.body)

        // TLS before the login (the server refuses AUTH and MAIL without it), then the login the server checked.
        #expect(server.commands == ["EHLO", "STARTTLS", "EHLO", "AUTH PLAIN", "MAIL"])
        let mail = try server.mail()
        #expect(mail.login == "PLAIN \(Self.user)")
        #expect(mail.subject == Self.subject)
        #expect(mail.body == Self.body)
        #expect(mail.headers.contains("From: \(Self.user)\r\n"))
        #expect(mail.headers.contains("To: head@firm.ru, rop@firm.ru\r\n"))
    }

    @Test func implicitTLSAndAuthLoginDeliver() async throws {
        let server = try Server("smtps")
        defer { server.stop() }
        // By name this time: the certificate's DNS name is checked, not its IP address.
        let settings = try Self.settings("smtps://\(Self.login)@localhost:\(server.port)", ca: server.ca)
        try await SMTPClient(settings: settings).send(subject: Self.subject, body: Self.body)

        // The server offers LOGIN only; no STARTTLS on a connection that is TLS from the start.
        #expect(server.commands == ["EHLO", "AUTH LOGIN", "MAIL"])
        let mail = try server.mail()
        #expect(mail.login == "LOGIN \(Self.user)")
        #expect(mail.subject == Self.subject)
        #expect(mail.body == Self.body)
    }

    @Test func aWrongPasswordIsAClearError() async throws {
        let server = try Server("starttls")
        defer { server.stop() }
        let settings = try Self.settings("smtp://alerts%40firm.ru:wrong%21pass@127.0.0.1:\(server.port)", ca: server.ca)
        let error = try await Self.failure(settings)
        #expect(error.contains("the login of \(Self.user) (AUTH PLAIN)") && error.contains("535"))
        #expect(server.commands.last == "AUTH PLAIN" && server.mails == 0)
    }

    @Test func anUntrustedCertificateIsRefusedBeforeTheLogin() async throws {
        let server = try Server("starttls")
        defer { server.stop() }
        let error = try await Self.failure(try Self.settings("smtp://\(Self.login)@127.0.0.1:\(server.port)"))
        #expect(error.contains("TLS certificate") && error.contains("not trusted"))
        #expect(server.commands == ["EHLO", "STARTTLS"] && server.mails == 0)
    }

    @Test func aCertificateForAnotherHostIsRefused() async throws {
        let server = try Server("wrong-name")
        defer { server.stop() }
        let settings = try Self.settings("smtp://\(Self.login)@127.0.0.1:\(server.port)", ca: server.ca)
        let error = try await Self.failure(settings)
        #expect(error.contains("TLS certificate") && error.contains("not issued for 127.0.0.1"))
        #expect(server.commands == ["EHLO", "STARTTLS"] && server.mails == 0)
    }

    @Test func noSTARTTLSWithAPasswordIsRefusedUnlessTheURLSaysTLSNone() async throws {
        let server = try Server("plain")
        defer { server.stop() }
        let error = try await Self.failure(try Self.settings("smtp://\(Self.login)@127.0.0.1:\(server.port)"))
        #expect(error.contains("does not offer STARTTLS") && error.contains("?tls=none"))
        // The server offered AUTH in plain text, and never saw it.
        #expect(server.commands == ["EHLO"] && server.mails == 0)

        let plain = try Self.settings("smtp://\(Self.login)@127.0.0.1:\(server.port)?tls=none")
        try await SMTPClient(settings: plain).send(subject: Self.subject, body: Self.body)
        #expect(server.commands == ["EHLO", "EHLO", "AUTH PLAIN", "MAIL"])
        #expect(try server.mail().login == "PLAIN \(Self.user)")
    }

    @Test func aReplyInjectedAfterSTARTTLSEndsTheConnection() async throws {
        let server = try Server("inject")
        defer { server.stop() }
        // No handshake starts, so the certificate does not matter: the injected reply ends it first.
        let error = try await Self.failure(try Self.settings("smtp://\(Self.login)@127.0.0.1:\(server.port)"))
        #expect(error.contains("plain text after its answer to STARTTLS"))
        #expect(server.commands == ["EHLO", "STARTTLS"])
    }

    @Test func urlsAndTheirDescriptionsWithoutThePassword() throws {
        let yandex = try Self.settings("smtp://\(Self.login)@smtp.yandex.ru:587")
        #expect(yandex.security == .opportunistic && yandex.host == "smtp.yandex.ru" && yandex.port == 587)
        #expect(yandex.credentials == .init(user: Self.user, password: Self.password))
        #expect(yandex.from == Self.user)
        #expect(yandex.description == "smtp://alerts%40firm.ru:***@smtp.yandex.ru:587")
        var dump = ""
        Swift.dump(yandex, to: &dump)
        for shown in [dump, String(describing: yandex), String(reflecting: yandex), "\(yandex.credentials!)"] {
            #expect(!shown.contains(Self.password) && !shown.contains("p%40ss"))
        }

        let office = try Self.settings("smtps://robot:secret@smtp.office365.com")
        #expect(office.security == .implicitTLS && office.port == 465 && office.from == "saleskpi@localhost")
        #expect(office.description == "smtps://robot:***@smtp.office365.com:465")
        let relay = try Self.settings("smtp://relay")
        #expect(relay.security == .opportunistic && relay.port == 25 && relay.credentials == nil)
        #expect(try Self.settings("smtp://u:p@[::1]:2525?tls=none").description == "smtp://u:***@[::1]:2525?tls=none")
        #expect(try Self.settings("smtp://relay?tls=starttls").security == .startTLS)
        #expect(SMTPSettings(url: "smtp://relay", from: "kpi@firm.ru", to: ["a@b"])?.from == "kpi@firm.ru")
        for bad in [
            "http://relay", "smtp://user@relay", "smtps://relay?tls=none", "smtp://relay?tls=yes",
            "smtp://relay?port=1", "smtp://",
        ] {
            #expect(SMTPSettings(url: bad, to: ["a@b"]) == nil, "\(bad)")
        }
        #expect(SMTPSettings(url: "smtp://relay", to: []) == nil)
    }
}
