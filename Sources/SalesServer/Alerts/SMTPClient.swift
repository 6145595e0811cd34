import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why an e-mail was not sent, for the person running the command: it names the server, never a password.
public struct SMTPError: Error, CustomStringConvertible {
    public var description: String
}

/// A minimal SMTP client (RFC 5321) on SwiftNIO for company mail: one message per connection; STARTTLS (RFC 3207) or
/// implicit TLS (RFC 8314) with the certificate and host name verified; AUTH PLAIN or LOGIN (RFC 4954); a UTF-8
/// subject (RFC 2047) and a base64 body, so any text goes through unchanged and no line needs dot-stuffing.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings
    /// Connecting, and waiting for each reply (the TLS handshake included), may take this long.
    public var timeoutSeconds = 10
    public init(settings: SMTPSettings) { self.settings = settings }

    public func send(subject: String, body: String) async throws {
        let tls: NIOSSLContext?
        let connection: SMTPConnection
        do {
            tls = try makeTLSContext()
            connection = try await connect(implicitTLS: settings.security == .implicitTLS ? tls : nil)
        } catch {
            throw describe(error, connecting: true)
        }
        do {
            try await converse(connection, tls: tls, message: message(subject: subject, body: body))
        } catch {
            await connection.close()
            throw describe(error, connecting: false)
        }
        await connection.close()
    }

    /// Full verification (chain and host name) against the system store plus `caFile`; nil when TLS is off.
    private func makeTLSContext() throws -> NIOSSLContext? {
        guard settings.security != .none else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile = settings.caFile {
            let certificates = try? NIOSSLCertificate.fromPEMFile(caFile)
            guard let certificates, !certificates.isEmpty else {
                throw SMTPError(description: "cannot read CA certificates (PEM) from \(caFile)")
            }
            configuration.additionalTrustRoots = [.certificates(certificates)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private func connect(implicitTLS tls: NIOSSLContext?) async throws -> SMTPConnection {
        let name = serverHostname
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(Int64(timeoutSeconds)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: name)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(eventLoop: channel.eventLoop))
                }
            }
            .connect(host: settings.host, port: settings.port).get()
        return try await SMTPConnection(channel: channel, timeout: .seconds(Int64(timeoutSeconds)))
    }

    /// The SMTP dialog up to the accepted message; TLS and login as `settings.security` and the server's EHLO decide.
    private func converse(_ connection: SMTPConnection, tls: NIOSSLContext?, message: String) async throws {
        try await expect(220, from: connection, after: nil, step: "the greeting")
        var extensions = try await hello(connection)
        if let tls, settings.security == .opportunistic || settings.security == .startTLS {
            if extensions["STARTTLS"] != nil {
                try await expect(220, from: connection, after: "STARTTLS", step: "STARTTLS")
                try await connection.startTLS(tls, serverHostname: serverHostname)
                extensions = try await hello(connection)
            } else if settings.security == .startTLS || settings.credentials != nil {
                throw refusal
            }
        }
        if let credentials = settings.credentials {
            try await authenticate(connection, credentials, offered: extensions["AUTH"] ?? [])
        }
        try await expect(250, from: connection, after: "MAIL FROM:<\(settings.from)>", step: "MAIL FROM")
        for recipient in settings.to {
            let command = "RCPT TO:<\(recipient)>"
            try await expect(250, 251, from: connection, after: command, step: "RCPT TO <\(recipient)>")
        }
        try await expect(354, from: connection, after: "DATA", step: "DATA")
        try await expect(250, from: connection, after: message + "\r\n.", step: "the message")
        _ = try? await connection.exchange("QUIT")
    }

    /// Why a server without STARTTLS is refused, and the ways out.
    private var refusal: SMTPError {
        let why = settings.credentials != nil ? "the password is not sent in plain text" : "the URL requires it"
        return SMTPError(
            description: "SMTP \(settings.server) does not offer STARTTLS and \(why) (smtps:// if the "
                + "server speaks TLS on another port, usually 465; ?tls=none to send without TLS anyway)")
    }

    /// EHLO; the extensions the server lists, by upper-cased keyword, with their parameters (`AUTH=…` too).
    private func hello(_ connection: SMTPConnection) async throws -> [String: [String]] {
        let reply = try await expect(250, from: connection, after: "EHLO saleskpi", step: "EHLO")
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            extensions[keyword, default: []] += words.dropFirst()
        }
        return extensions
    }

    /// AUTH PLAIN when offered (one round trip), else AUTH LOGIN; steps name the user, never the password.
    private func authenticate(
        _ connection: SMTPConnection, _ credentials: SMTPSettings.Credentials,
        offered mechanisms: [String]
    ) async throws {
        let step = "the login of \(credentials.user)"
        if mechanisms.contains("PLAIN") {
            let token = Data("\0\(credentials.user)\0\(credentials.password)".utf8).base64EncodedString()
            try await expect(235, from: connection, after: "AUTH PLAIN " + token, step: step + " (AUTH PLAIN)")
        } else if mechanisms.contains("LOGIN") {
            try await expect(334, from: connection, after: "AUTH LOGIN", step: step + " (AUTH LOGIN)")
            let user = Data(credentials.user.utf8).base64EncodedString()
            try await expect(334, from: connection, after: user, step: step + " (AUTH LOGIN user)")
            let password = Data(credentials.password.utf8).base64EncodedString()
            try await expect(235, from: connection, after: password, step: step + " (AUTH LOGIN password)")
        } else {
            let offer = mechanisms.isEmpty ? "no AUTH" : "AUTH " + mechanisms.joined(separator: " ")
            throw SMTPError(description: "SMTP \(settings.server) offers \(offer): PLAIN or LOGIN is needed to log in")
        }
    }

    /// Sends `command` and checks the reply's code; `step` names the command in errors (a command may hold secrets).
    @discardableResult
    private func expect(
        _ codes: Int..., from connection: SMTPConnection, after command: String?,
        step: String
    ) async throws -> SMTPReply {
        let reply = try await connection.exchange(command)
        guard codes.contains(reply.code) else {
            let expected = codes.map(String.init).joined(separator: " or ")
            throw SMTPError(description: "SMTP \(settings.server) answered '\(reply)' to \(step), expected \(expected)")
        }
        return reply
    }

    /// The headers and the base64 body; RFC 5322 requires Date, and providers take mail without a Message-ID for spam.
    func message(subject: String, body: String) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let domain = settings.from.split(separator: "@").last.map(String.init) ?? "saleskpi"
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        var message = "From: \(settings.from)\r\nTo: \(settings.to.joined(separator: ", "))\r\n"
        message += "Subject: \(encodedSubject)\r\nDate: \(date.string(from: Date()))\r\n"
        message += "Message-ID: <\(UUID().uuidString)@\(domain)>\r\nMIME-Version: 1.0\r\n"
        message += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        let lines: Data.Base64EncodingOptions = [
            .lineLength76Characters, .endLineWithCarriageReturn,
            .endLineWithLineFeed,
        ]
        return message + Data(body.utf8).base64EncodedString(options: lines)
    }

    /// The name for SNI and the certificate check; nil for an IP address, which NIOSSL checks against the
    /// certificate's IP addresses instead (SNI carries names only).
    private var serverHostname: String? {
        (try? SocketAddress(ipAddress: settings.host, port: 0)) == nil ? settings.host : nil
    }

    /// An error naming the server and what failed: for TLS, why the certificate was refused.
    private func describe(_ error: any Error, connecting: Bool) -> SMTPError {
        let server = settings.server
        let tlsReasons = Self.tlsReasons(error)
        let text: String
        switch error {
        case let error as SMTPError:
            return error
        case SMTPConnectionError.closed:
            text = "the SMTP server \(server) closed the connection"
        case SMTPConnectionError.timedOut:
            let hint = settings.port == 465 && settings.security != .implicitTLS ? " (port 465 wants smtps://)" : ""
            text = "the SMTP server \(server) did not answer within \(timeoutSeconds) s\(hint)"
        case SMTPConnectionError.malformedReply(let line):
            text = "\(server) is not an SMTP server or answered out of turn: '\(line)'"
        case SMTPConnectionError.dataAfterSTARTTLS:
            text = "SMTP \(server) sent plain text after its answer to STARTTLS (an injection attempt?)"
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            text = "the TLS certificate of \(server) is not issued for \(settings.host)"
        case _ where tlsReasons.contains("CERTIFICATE_VERIFY_FAILED"):
            let stores = settings.caFile.map { "the system store or \($0)" } ?? "the system store"
            text =
                "the TLS certificate of \(server) is not trusted: it is self-signed, expired or not signed by a CA "
                + "of \(stores) (CERTIFICATE_VERIFY_FAILED; a company CA is trusted with --smtp-ca FILE)"
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            let reason = tlsReasons.isEmpty ? "\(error)" : tlsReasons.joined(separator: ", ")
            let implicit = settings.security == .implicitTLS
            let hint = implicit ? "; smtps:// speaks TLS from the first byte, as on port 465" : ""
            text = "TLS with SMTP \(server) failed (\(reason)\(hint))"
        case ChannelError.connectTimeout:
            text = "cannot connect to SMTP \(server): no answer within \(timeoutSeconds) s"
        case let error as NIOConnectionError:
            let reasons = Set(error.connectionErrors.map { ($0.error as? IOError).map(Self.reason) ?? "\($0.error)" })
            let reason = reasons.isEmpty ? "no address for \(settings.host)" : reasons.sorted().joined(separator: "; ")
            text = "cannot connect to SMTP \(server): \(reason)"
        default:
            text = connecting ? "cannot connect to SMTP \(server): \(error)" : "SMTP \(server): \(error)"
        }
        return SMTPError(description: text)
    }

    /// BoringSSL's reason codes in a TLS error (`CERTIFICATE_VERIFY_FAILED`), without its source paths.
    private static func tlsReasons(_ error: any Error) -> [String] {
        "\(error)".matches(of: /OPENSSL_internal:([A-Z0-9_]+)/).map { String($0.1) }
    }

    private static func reason(_ error: IOError) -> String {
        String(cString: strerror(error.errnoCode))
    }
}
