import Foundation
import SalesCore
import SalesServer
import SalesStorage
import Testing

/// Alerts go to a real SMTP server (aiosmtpd) and a real HTTP receiver on loopback, started by
/// `Tests/support/alert_receivers.py` (`.ci/run` installs aiosmtpd); each is sent once per period.
@Suite struct AlertTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../support/alert_receivers.py"
    ).standardized.path

    /// Two recommendations with the numbers of `AdvisorTests` (A's meeting → proposal gap, A's stale deals).
    static let alerts = [
        Recommendation(
            kind: .conversion, rep: 1, repName: "Анна Соколова",
            text: .init(
                en: "Meeting→Proposal conversion 50 % against the team's 100 %",
                ru: "Конверсия Встреча→КП 50 % против 100 % у команды"),
            subject: "step 2", impact: 500_000_00),
        Recommendation(
            kind: .staleDeals, rep: 1, repName: "Анна Соколова",
            text: .init(
                en: "3 of 3 open deals have had no activity for 14+ days",
                ru: "3 из 3 открытых сделок без активности 14+ дней"),
            subject: "", impact: 0),
    ]

    @Test func emailAndWebhooksOncePerPeriod() async throws {
        let dir = NSTemporaryDirectory() + "saleskpi-alerts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let receivers = Process()
        receivers.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        receivers.arguments = ["python3", Self.script, dir]
        let input = Pipe()
        let output = Pipe()
        receivers.standardInput = input
        receivers.standardOutput = output
        try receivers.run()
        defer {
            try? input.fileHandleForWriting.close()
            receivers.waitUntilExit()
        }
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        let ports = String(decoding: line, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        try #require(ports.count == 2, "aiosmtpd missing? pip install aiosmtpd")

        let store = try SQLiteEventStore(path: dir + "/store.sqlite")
        let dispatcher = AlertDispatcher(
            email: SMTPSettings(
                host: "127.0.0.1", port: ports[0], from: "saleskpi@test.local",
                to: ["head@test.local", "rop@test.local"]),
            webhooks: [
                .init(url: URL(string: "http://127.0.0.1:\(ports[1])/hook")!, format: .json),
                .init(
                    url: URL(string: "http://127.0.0.1:\(ports[1])/bot123:secret/sendMessage")!, format: .telegram,
                    telegramChat: "-100500"),
                .init(url: URL(string: "http://127.0.0.1:\(ports[1])/slack")!, format: .slack),
            ],
            language: .ru)
        let november = Period.month(2026, 11)
        let first = try await dispatcher.dispatch(Self.alerts, period: november, sent: store.alertLog, now: 1)
        #expect(first == .init(sent: 2, alreadySent: 0))

        // The e-mail: both recipients, the subject and body in Russian, intact through base64.
        let mail = try String(contentsOfFile: dir + "/mail-1.eml", encoding: .utf8)
        #expect(mail.hasPrefix("X-Envelope-To: head@test.local,rop@test.local"))
        let parts = mail.components(separatedBy: "\r\n\r\n")
        let body = String(
            decoding: Data(base64Encoded: parts[1].replacingOccurrences(of: "\r\n", with: ""))!, as: UTF8.self)
        #expect(
            body == """
                SalesKPI: 2 рекомендации за 2026-11

                • Анна Соколова: Конверсия Встреча→КП 50 % против 100 % у команды (на кону 500 000)
                • Анна Соколова: 3 из 3 открытых сделок без активности 14+ дней
                """)
        #expect(
            mail.contains(
                "Subject: =?UTF-8?B?" + Data("SalesKPI: 2 рекомендации за 2026-11".utf8).base64EncodedString() + "?="))

        // The webhooks, one body each in its format.
        var posts: [String: [String: Any]] = [:]
        for i in 1...3 {
            let path = try String(contentsOfFile: dir + "/post-\(i).path", encoding: .utf8)
            posts[path] =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/post-\(i).json")))
                as? [String: Any]
        }
        let generic = try #require(posts["/hook"]?["alerts"] as? [[String: Any]])
        #expect(
            generic.count == 2 && generic[0]["kind"] as? String == "conversion"
                && generic[0]["at_stake"] as? Double == 500_000)
        #expect(posts["/hook"]?["period"] as? String == "2026-11")
        #expect(posts["/bot123:secret/sendMessage"]?["chat_id"] as? String == "-100500")
        #expect(
            (posts["/slack"]?["text"] as? String)?.hasPrefix("SalesKPI: 2 рекомендации за 2026-11\n\n• Анна Соколова")
                == true)

        // Sent again in the same period: nothing goes out; a new period sends again.
        #expect(
            try await dispatcher.dispatch(Self.alerts, period: november, sent: store.alertLog, now: 2)
                == .init(sent: 0, alreadySent: 2))
        #expect(!FileManager.default.fileExists(atPath: dir + "/mail-2.eml"))
        #expect(
            try await dispatcher.dispatch(Self.alerts, period: Period.month(2026, 12), sent: store.alertLog, now: 3)
                == .init(sent: 2, alreadySent: 0))
    }

    @Test func aDeadSMTPServerIsAClearErrorAndNothingIsMarkedSent() async throws {
        let dir = NSTemporaryDirectory() + "saleskpi-alerts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteEventStore(path: dir + "/store.sqlite")
        let dispatcher = AlertDispatcher(
            email: SMTPSettings(host: "127.0.0.1", port: 1, from: "a@b", to: ["c@d"]), webhooks: [], language: .en)
        await #expect(throws: SMTPError.self) {
            try await dispatcher.dispatch(Self.alerts, period: Period.month(2026, 11), sent: store.alertLog, now: 1)
        }
        #expect(try !store.alertLog.wasSent(key: "\(Period.month(2026, 11))|1|conversion|step 2"))
    }
}
