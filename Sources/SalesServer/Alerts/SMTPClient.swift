import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where alert e-mails go: a relay on the company network (plain SMTP, no TLS or login — run a
/// local relay such as Postfix for an external provider).
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var from: String
    public var to: [String]
    public init(host: String, port: Int = 25, from: String, to: [String]) { self.host = host; self.port = port; self.from = from; self.to = to }

    /// `smtp://host:port`.
    public init?(url: String, from: String, to: [String]) {
        guard let u = URLComponents(string: url), u.scheme == "smtp", let host = u.host, !to.isEmpty else { return nil }
        self.init(host: host, port: u.port ?? 25, from: from, to: to)
    }
}

public struct SMTPError: Error, CustomStringConvertible {
    public var description: String
}

/// A minimal SMTP client (RFC 5321): one message per connection, UTF-8 subject (RFC 2047) and a
/// base64 body, so any text goes through unchanged and no line needs dot-stuffing.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings
    public var timeoutSeconds = 10
    public init(settings: SMTPSettings) { self.settings = settings }

    public func send(subject: String, body: String) throws {
        let fd = try connect()
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        func expect(_ code: Int) throws {
            var line: String
            repeat { line = try reader.line() } while line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-"
            guard Int(line.prefix(3)) == code else { throw SMTPError(description: "SMTP \(settings.host):\(settings.port) answered '\(line)', expected \(code)") }
        }
        func command(_ text: String, _ code: Int) throws { try write(fd, text + "\r\n"); try expect(code) }
        try expect(220)
        try command("EHLO saleskpi", 250)
        try command("MAIL FROM:<\(settings.from)>", 250)
        for r in settings.to { try command("RCPT TO:<\(r)>", 250) }
        try command("DATA", 354)
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        var message = "From: \(settings.from)\r\nTo: \(settings.to.joined(separator: ", "))\r\nSubject: \(encodedSubject)\r\n"
        message += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        message += Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        try command(message + "\r\n.", 250)
        try write(fd, "QUIT\r\n")
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(settings.host, "\(settings.port)", &hints, &list) == 0, let first = list else {
            throw SMTPError(description: "cannot resolve SMTP host \(settings.host)")
        }
        defer { freeaddrinfo(list) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let a = node {
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            node = a.pointee.ai_next
        }
        throw SMTPError(description: "cannot connect to SMTP \(settings.host):\(settings.port)")
    }

    private func write(_ fd: Int32, _ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SMTPError(description: "SMTP \(settings.host): connection lost while sending") }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Reads CRLF-terminated lines from a socket.
    struct LineReader {
        let fd: Int32
        var buffer: [UInt8] = []
        mutating func line() throws -> String {
            while true {
                if let i = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<i], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    buffer.removeSubrange(...i)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 1024)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw SMTPError(description: "the SMTP server closed the connection or did not answer in time") }
                buffer += chunk[..<n]
            }
        }
    }
}
