import Foundation
import SalesCore
import SalesImport
import SalesStorage

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends recommendations as alerts — by e-mail and to webhooks — each alert once per period: the
/// store remembers what was sent, so running it every hour from cron repeats nothing.
public struct AlertDispatcher: Sendable {
    public enum WebhookFormat: String, Sendable, CaseIterable {
        /// `{"period": …, "alerts": [{"rep", "kind", "text", "at_stake"}]}`.
        case json
        /// Slack incoming webhook: `{"text": …}`.
        case slack
        /// Telegram Bot API `sendMessage` (the URL holds the bot token): `{"chat_id", "text"}`.
        case telegram
    }
    public struct Webhook: Sendable {
        public var url: URL
        public var format: WebhookFormat
        public var telegramChat: String?
        public init(url: URL, format: WebhookFormat, telegramChat: String? = nil) {
            self.url = url
            self.format = format
            self.telegramChat = telegramChat
        }
    }

    public var email: SMTPSettings?
    public var webhooks: [Webhook]
    public var language: Language
    public init(email: SMTPSettings?, webhooks: [Webhook], language: Language) {
        self.email = email
        self.webhooks = webhooks
        self.language = language
    }

    /// What one run did.
    public struct Outcome: Sendable, Equatable {
        public var sent: Int
        public var alreadySent: Int
        public init(sent: Int, alreadySent: Int) {
            self.sent = sent
            self.alreadySent = alreadySent
        }
    }

    /// Sends the alerts not yet sent for `period`; records them as sent only after every channel took them.
    public func dispatch(_ recommendations: [Recommendation], period: Period, sent: any AlertLog, now: Timestamp)
        async throws -> Outcome
    {
        let fresh = try recommendations.filter { try !sent.wasSent(key: Self.key($0, period)) }
        guard !fresh.isEmpty else { return Outcome(sent: 0, alreadySent: recommendations.count) }
        let title = language.message("alert.title", ["count": .count(fresh.count), "period": .text(period.label)])
        let lines = fresh.map { r in
            let stake = language.message("alert.at_stake", ["value": .text(Self.money(r.impact))])
            return "• \(r.repName): \(r.text(language))" + (r.impact > 0 ? " (\(stake))" : "")
        }
        let text = title + "\n\n" + lines.joined(separator: "\n")
        if let email { try await SMTPClient(settings: email).send(subject: title, body: text) }
        for hook in webhooks { try await post(hook, body: body(hook, fresh, period: period, text: text)) }
        for r in fresh { try sent.markSent(key: Self.key(r, period), at: now) }
        return Outcome(sent: fresh.count, alreadySent: recommendations.count - fresh.count)
    }

    /// One alert per person, kind, subject and period.
    static func key(_ r: Recommendation, _ period: Period) -> String {
        "\(period)|\(r.rep)|\(r.kind.rawValue)|\(r.subject)"
    }

    static func money(_ m: Money) -> String { ReportTable.human(Double(m) / 100, 0) }

    func body(_ hook: Webhook, _ alerts: [Recommendation], period: Period, text: String) throws -> Data {
        let object: [String: Any] =
            switch hook.format {
            case .json:
                [
                    "period": period.label,
                    "alerts": alerts.map {
                        [
                            "rep": $0.repName, "kind": $0.kind.rawValue, "text": $0.text(language),
                            "at_stake": Double($0.impact) / 100,
                        ] as [String: Any]
                    },
                ]
            case .slack: ["text": text]
            case .telegram: ["chat_id": hook.telegramChat ?? "", "text": text]
            }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    func post(_ hook: Webhook, body: Data) async throws {
        var request = URLRequest(url: hook.url, timeoutInterval: 15)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        // The token of a Telegram URL is a secret: name the host only.
        guard (200..<300).contains(status) else {
            throw SMTPError(description: "webhook \(hook.url.host ?? "") answered HTTP \(status)")
        }
    }
}
