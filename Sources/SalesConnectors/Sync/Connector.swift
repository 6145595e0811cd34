import Foundation
import SalesCore

/// A CRM's live side: what it reads and how it pages. A connector reads what changed since a cursor and hands
/// over each page of canonical records with the cursor after it; the runner stores the page, then the cursor.
/// A page stored twice (a sync killed between the two) changes nothing: records are idempotent.
public protocol CRMConnector: Sendable {
    /// The store's source for this CRM's records, and its connection's name.
    var crm: String { get }
    /// API calls made so far.
    var requests: Int { get }
    /// Reads everything changed since `cursor` (nil: everything), in pages.
    func pull(from cursor: String?, _ page: (SyncPage) async throws -> Void) async throws
}

/// Records read from a CRM, and where the next sync starts once they are stored.
public struct SyncPage: Sendable {
    /// What the page is, for messages: `leads, page 3`.
    public var label: String
    public var records: [SalesEvent]
    /// The connector's cursor after this page, as text (JSON) to store.
    public var cursor: String
    /// Records that name something the store does not have are left out, not an error (a stage move of a deal
    /// deleted since).
    public var skipsUnknownReferences: Bool
    public init(label: String, records: [SalesEvent], cursor: String, skipsUnknownReferences: Bool = false) {
        self.label = label
        self.records = records
        self.cursor = cursor
        self.skipsUnknownReferences = skipsUnknownReferences
    }
}

/// What `saleskpi connect` stores for a CRM (as JSON in the store; the token and the webhook secret never leave it).
public struct ConnectionSettings: Codable, Sendable, Equatable {
    /// The API's base: `https://firm.amocrm.ru`, or a local server standing in for it.
    public var baseURL: String
    public var token: String
    /// The path part of `/hooks/<crm>/<secret>`: a webhook without it is refused.
    public var webhookSecret: String
    /// The CRM's own stage names (or ids) → SalesKPI's stages, on top of the preset's.
    public var stages: [String: String]
    /// The currency the CRM keeps amounts in, when it says none per deal.
    public var currency: String
    /// What the CRM signs its webhooks with, when it does: Bitrix24's `auth[application_token]`, HubSpot's client
    /// secret, Pipedrive's HTTP Basic password, Salesforce's organisation id.
    public var hookToken: String?
    /// The CRM's users (by id or e-mail) that are reps SalesKPI already has, by the rep's id (`RepMatching`).
    public var reps: [String: String]

    public init(
        baseURL: String, token: String, webhookSecret: String, stages: [String: String], currency: String,
        hookToken: String? = nil, reps: [String: String] = [:]
    ) {
        self.baseURL = baseURL
        self.token = token
        self.webhookSecret = webhookSecret
        self.stages = stages
        self.currency = currency
        self.hookToken = hookToken
        self.reps = reps
    }

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url"
        case token
        case webhookSecret = "webhook_secret"
        case stages, currency
        case hookToken = "hook_token"
        case reps
    }

    /// Settings stored before the rep map existed have none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baseURL = try c.decode(String.self, forKey: .baseURL)
        token = try c.decode(String.self, forKey: .token)
        webhookSecret = try c.decode(String.self, forKey: .webhookSecret)
        stages = try c.decode([String: String].self, forKey: .stages)
        currency = try c.decode(String.self, forKey: .currency)
        hookToken = try c.decodeIfPresent(String.self, forKey: .hookToken)
        reps = try c.decodeIfPresent([String: String].self, forKey: .reps) ?? [:]
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> ConnectionSettings {
        try JSONDecoder().decode(ConnectionSettings.self, from: Data(text.utf8))
    }

    /// A new webhook secret: 128 random bits, hex.
    public static func newSecret() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
}
