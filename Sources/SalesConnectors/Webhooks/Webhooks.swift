import Crypto
import Foundation
import SalesCore
import Synchronization

/// What a CRM's webhook delivered, as the server received it.
public struct WebhookDelivery: Sendable {
    public var method: String
    /// The path and query as called: `/hooks/hubspot/SECRET?x=1`.
    public var uri: String
    /// Header values by lower-case name.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, uri: String, headers: [String: String], body: Data) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }
}

/// Whether a webhook comes from the connection's CRM, on top of the secret in its path, each as its CRM signs:
/// Bitrix24 sends its `auth[application_token]`, HubSpot an `X-HubSpot-Signature-v3` HMAC, Pipedrive HTTP Basic
/// credentials, Salesforce its organisation's id. A delivery only says that a sync is due (the sync reads the
/// CRM's API from its cursor), so it is checked, not trusted.
public enum Webhooks {
    public enum Verdict: Sendable, Equatable {
        /// A sync is due; `events` are the delivery's event ids (HubSpot's `eventId`, Salesforce's notification
        /// `Id`), for seeing a repeated delivery.
        case accepted(events: [String])
        case refused(String)
    }

    /// HubSpot's timestamps older than this are replays.
    public static let hubSpotWindow: Int64 = 300

    public static func verify(crm: String, settings: ConnectionSettings, _ d: WebhookDelivery, now: Timestamp)
        -> Verdict
    {
        switch crm {
        case "bitrix24":
            let sent = form(String(decoding: d.body, as: UTF8.self))["auth[application_token]"]
            guard let token = settings.hookToken, let sent, constantTimeEqual(token, sent) else {
                return .refused("application token")
            }
            return .accepted(events: [])
        case "hubspot": return hubSpot(settings, d, now: now)
        case "pipedrive":
            let expected = "Basic " + Data("saleskpi:\(settings.hookToken ?? "")".utf8).base64EncodedString()
            guard settings.hookToken != nil, constantTimeEqual(d.headers["authorization"] ?? "", expected) else {
                return .refused("basic auth")
            }
            return .accepted(events: [])
        case "salesforce": return salesforce(settings, d)
        default: return .accepted(events: [])
        }
    }

    /// v3: base64 HMAC-SHA256, keyed by the app's client secret, of method + the URI HubSpot called + body +
    /// timestamp; the timestamp within 5 minutes. The URI is the public one: tried with the scheme the proxy
    /// forwarded, else https, else http.
    static func hubSpot(_ settings: ConnectionSettings, _ d: WebhookDelivery, now: Timestamp) -> Verdict {
        guard let secret = settings.hookToken, let signature = d.headers["x-hubspot-signature-v3"],
            let ms = d.headers["x-hubspot-request-timestamp"].flatMap({ Int64($0) })
        else { return .refused("no signature") }
        guard abs(now - ms / 1000) <= hubSpotWindow else { return .refused("stale timestamp") }
        let host = d.headers["x-forwarded-host"] ?? d.headers["host"] ?? ""
        let schemes = [d.headers["x-forwarded-proto"], "https", "http"].compactMap { $0 }
        let signed = schemes.contains { scheme in
            let uri = "\(scheme)://\(host)\(d.uri)"
            return constantTimeEqual(
                hubSpotSignature(secret: secret, method: d.method, uri: uri, body: d.body, ms: ms), signature)
        }
        guard signed else { return .refused("signature") }
        let events = (try? JSONSerialization.jsonObject(with: d.body) as? [[String: Any]]) ?? []
        return .accepted(
            events: events.compactMap { ($0["eventId"] as? NSNumber)?.stringValue ?? $0["eventId"] as? String })
    }

    static func hubSpotSignature(secret: String, method: String, uri: String, body: Data, ms: Int64) -> String {
        let message = Data((method + uri).utf8) + body + Data("\(ms)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// An Outbound Message names its organisation; with an id stored, another one's is refused.
    static func salesforce(_ settings: ConnectionSettings, _ d: WebhookDelivery) -> Verdict {
        let text = String(decoding: d.body, as: UTF8.self)
        let organisation = elements("OrganizationId", in: text).first ?? ""
        if let id = settings.hookToken, !id.isEmpty, !organisation.hasPrefix(String(id.prefix(15))) {
            return .refused("organisation")
        }
        // Each notification's own <Id> (its sObject's fields are prefixed: <sf:Id>).
        return .accepted(events: elements("Id", in: text))
    }

    /// What Salesforce waits for: without it, it delivers the message again for 24 hours.
    public static let salesforceAck = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>\
        <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>\
        </notificationsResponse></soapenv:Body></soapenv:Envelope>
        """

    /// The texts of `<name>…</name>` (any namespace prefix but none on the name itself).
    static func elements(_ name: String, in text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "</\(name)>") else { break }
            out.append(String(rest[..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// `a=1&b%5Bc%5D=2` → `["a": "1", "b[c]": "2"]`.
    public static func form(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if let k = kv.first { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The last event ids seen, bounded: a delivery whose events were all seen is a repeat.
public final class SeenEvents: Sendable {
    /// The ids, and the same in a ring: the oldest is overwritten (and forgotten) first.
    private let state = Mutex<(set: Set<String>, ring: [String], next: Int)>(([], [], 0))
    let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    /// Records `ids`; whether any was new.
    public func insert(_ ids: [String]) -> Bool {
        state.withLock { s in
            var new = false
            for id in ids where s.set.insert(id).inserted {
                new = true
                if s.ring.count < capacity {
                    s.ring.append(id)
                } else {
                    s.set.remove(s.ring[s.next])
                    s.ring[s.next] = id
                    s.next = (s.next + 1) % capacity
                }
            }
            return new
        }
    }
}
