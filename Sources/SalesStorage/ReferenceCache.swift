import SalesCore

/// Store ids of referenced records, by kind and "source␁external id": saves a query per reference
/// during an import. Only kinds that other records point to are kept. A write that rolls back must
/// `forget` what it added.
package final class ReferenceCache {
    private var ids: [EventKind: [String: Int64]] = [:]
    package static let cachedKinds: Set<EventKind> = [.team, .rep, .account, .lead, .deal, .invoice]

    package init() {}

    package static func key(_ source: String, _ external: String) -> String { source + "\u{1}" + external }

    /// The cached id, else `lookup`'s answer (cached when found).
    private func id(_ kind: EventKind, _ key: String, lookup: () throws -> Int64?) rethrows -> Int64? {
        if let id = ids[kind]?[key] { return id }
        let id = try lookup()
        if let id, Self.cachedKinds.contains(kind) { ids[kind, default: [:]][key] = id }
        return id
    }

    /// Remembers a record just inserted; returns whether it was kept (for `forget` after a rollback).
    private func insert(_ kind: EventKind, _ key: String, _ id: Int64) -> Bool {
        guard Self.cachedKinds.contains(kind) else { return false }
        ids[kind, default: [:]][key] = id
        return true
    }

    /// Puts store ids into `event`'s references, from the cache or `lookup` (kind, key);
    /// returns those that name nothing.
    package func resolve(_ event: inout SalesEvent, source: String, lookup: (EventKind, String) throws -> Int64?) throws
        -> [UnresolvedReference]
    {
        var lookupError: Error?
        let missing = event.resolveReferences { kind, external in
            do { return try id(kind, Self.key(source, external)) { try lookup(kind, external) } } catch {
                lookupError = error
                return nil
            }
        }
        if let lookupError { throw lookupError }
        return missing
    }

    /// Gives a just-inserted event its id and remembers it, noting in `added` what a rollback must forget.
    package func stored(_ event: inout SalesEvent, id: Int64, source: String, added: inout [(EventKind, String)]) {
        event.setID(id)
        let key = Self.key(source, event.externalID)
        if insert(event.kind, key, id) { added.append((event.kind, key)) }
    }

    package func forget(_ added: [(EventKind, String)]) {
        for (kind, key) in added { ids[kind]?[key] = nil }
    }
}
