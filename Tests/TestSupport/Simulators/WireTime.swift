import Foundation

/// How the simulated CRMs write a time, without a formatter per value (a simulated 100 000-deal account writes
/// millions): `2026-01-01T10:00:00` in UTC, for each simulator to finish as its CRM does.
enum WireTime {
    static func utc(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// Milliseconds as `.123`.
    static func millis(_ ms: Int64) -> String {
        let m = ((ms % 1000) + 1000) % 1000
        return "." + String(repeating: "0", count: m < 10 ? 2 : m < 100 ? 1 : 0) + "\(m)"
    }
}
