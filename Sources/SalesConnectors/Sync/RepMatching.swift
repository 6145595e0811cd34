import SalesCore

/// The CRM's users matched to reps SalesKPI already has (from an export, or typed in), as the connection's rep map
/// says, by the user's id in the CRM or by its e-mail. A matched user's own record is not stored — the rep's
/// name, role and team stay as SalesKPI has them — and every deal, lead and activity of the user names the rep.
///
/// E-mails come only with the users, and every connector reads its CRM's users first in every run: a run's
/// matches are known before any record that names a user.
struct RepMatching {
    private let byKey: [String: String]
    /// The CRM's user id → the rep's, for this run.
    private var matched: [String: String] = [:]

    init(_ map: [String: String]) {
        byKey = Dictionary(map.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        // A user id given alone matches before the users are read.
        matched = map
    }

    var isEmpty: Bool { byKey.isEmpty }

    mutating func apply(_ records: [SalesEvent]) -> [SalesEvent] {
        guard !byKey.isEmpty else { return records }
        return records.compactMap { record in
            switch record {
            case .rep(let r):
                let rep = byKey[r.externalID.lowercased()] ?? r.email.flatMap { byKey[$0.lowercased()] }
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
