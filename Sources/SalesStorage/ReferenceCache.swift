import SalesCore

/// Store ids of referenced records, by kind, source and external id: saves a query per reference
/// during an import. Only kinds that other records point to are kept. A write that rolls back must
/// `forget` what it added.
package final class ReferenceCache {
    /// One flat table keyed by the three parts as they are: an import asks it once per reference, and joining
    /// them into one string would allocate each time.
    package struct Key: Hashable {
        var kind: EventKind
        var source: String
        var external: String
    }

    private var ids: [Key: Int64] = [:]
    package static let cachedKinds: Set<EventKind> = [.team, .rep, .account, .lead, .deal, .invoice]

    package init() {}

    /// Puts store ids into `event`'s references, from the cache or `lookup` (kind, external id);
    /// returns those that name nothing.
    package func resolve(_ event: inout SalesEvent, source: String, lookup: (EventKind, String) throws -> Int64?) throws
        -> [UnresolvedReference]
    {
        var lookupError: Error?
        let missing = event.resolveReferences { kind, external in
            let key = Key(kind: kind, source: source, external: external)
            if let id = ids[key] { return id }
            do {
                let id = try lookup(kind, external)
                if let id, Self.cachedKinds.contains(kind) { ids[key] = id }
                return id
            } catch {
                lookupError = error
                return nil
            }
        }
        if let lookupError { throw lookupError }
        return missing
    }

    /// Gives a just-inserted event its id and remembers it, noting in `added` what a rollback must forget.
    package func stored(_ event: inout SalesEvent, id: Int64, source: String, added: inout [Key]) {
        event.setID(id)
        guard Self.cachedKinds.contains(event.kind) else { return }
        let key = Key(kind: event.kind, source: source, external: event.externalID)
        ids[key] = id
        added.append(key)
    }

    package func forget(_ added: [Key]) {
        for key in added { ids[key] = nil }
    }
}
