import Foundation
import SalesCore
import Synchronization

/// The ways CRMs' APIs write a time: HubSpot `2026-01-01T10:00:00.000Z`, Salesforce `2026-01-01T10:00:00.000+0000`,
/// Pipedrive v2 `2026-01-01T10:00:00Z`, Bitrix24 `2026-01-01T13:00:00+03:00`; Pipedrive v1 `2026-01-01 10:00:00`
/// (UTC).
enum APITime {
    private static let formats = [
        "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
        "yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ]
    private static let formatters = Mutex(
        formats.map { format in
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = format
            return f
        })

    static func parse(_ text: String) -> Timestamp? {
        formatters.withLock { list in
            for f in list { if let d = f.date(from: text) { return Timestamp(d.timeIntervalSince1970.rounded(.down)) } }
            return nil
        }
    }

    /// The time, or an error naming where it came from.
    static func time(_ text: String, _ path: String) throws -> Timestamp {
        guard let t = parse(text) else { throw ConnectorError.badAnswer(path: path, reason: "'\(text)' is not a time") }
        return t
    }

    /// `2026-01-01T10:00:00Z`: how HubSpot, Pipedrive and SOQL take a time.
    static func utc(_ t: Timestamp) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }
}
