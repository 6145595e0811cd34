import SalesCore

/// The CRM's users matched to reps SalesKPI already has (from an export, or typed in), as the connection's rep map
/// says, by the user's id in the CRM or by its e-mail. A matched user's own record is not stored — the rep's
/// name, role and team stay as SalesKPI has them — and every deal, lead and activity of the user names the rep.
///
/// E-mails come only with the users, and every connector reads its CRM's users first in every run: a run's
/// matches are known before any record that names a user.
struct RepMatching {
    /// E-mails in any case; ids exactly (Salesforce's 15-character ids differ by case alone).
    private let byEmail: [String: String]
    /// The CRM's user id → the rep's, for this run: the map's ids, then the users matched by e-mail.
    private var matched: [String: String]

    init(_ map: [String: String]) {
        byEmail = Dictionary(
            map.filter { $0.key.contains("@") }.map { ($0.key.lowercased(), $0.value) },
            uniquingKeysWith: { first, _ in first })
        matched = map
    }

    mutating func apply(_ records: [SalesEvent]) -> [SalesEvent] {
        guard !matched.isEmpty else { return records }
        return records.compactMap { record in
            switch record {
            case .rep(let r):
                let rep = matched[r.externalID] ?? r.email.flatMap { byEmail[$0.lowercased()] }
                guard let rep else { return record }
                matched[r.externalID] = rep
                return nil
            case .deal(var d):
                d.owner = renamed(d.owner)
                return .deal(d)
            case .lead(var l):
                l.owner = l.owner.map(renamed)
                return .lead(l)
            case .activity(var a):
                a.rep = renamed(a.rep)
                return .activity(a)
            default: return record
            }
        }
    }

    private func renamed(_ ref: EntityRef) -> EntityRef { matched[ref.external].map { EntityRef($0) } ?? ref }
}
