import SalesCore

/// An event store in memory: for tests and short-lived runs. Same contract as the SQLite store.
public final class InMemoryEventStore: EventStore {
    struct State {
        var events: [EventKind: [SalesEvent]] = [:]
        var ids: [EventKind: [String: Int64]] = [:]  // "source\u{1}external" → id
    }
    private var state = State()

    public init() {}

    public func write<T>(source: String, _ body: (EventWriter) throws -> T) throws -> T {
        let writer = Writer(state: state, source: source)
        let result = try body(writer)
        state = writer.state  // commit only when the body finished
        return result
    }

    final class Writer: EventWriter {
        var state: State
        let source: String
        init(state: State, source: String) { self.state = state; self.source = source }

        func append(_ event: inout SalesEvent) throws -> AppendOutcome {
            let kind = event.kind, key = source + "\u{1}" + event.externalID
            if state.ids[kind]?[key] != nil { return .duplicate }
            let missing = event.resolveReferences { k, ext in self.state.ids[k]?[self.source + "\u{1}" + ext] }
            if !missing.isEmpty { return .unresolved(missing) }
            let id = Int64((state.events[kind]?.count ?? 0) + 1)
            event.setID(id)
            state.events[kind, default: []].append(event)
            state.ids[kind, default: [:]][key] = id
            return .inserted(id)
        }
    }

    public func replay(_ body: (SalesEvent) throws -> Void) throws {
        for kind in EventKind.allCases { for e in state.events[kind] ?? [] { try body(e) } }
    }

    public func count() throws -> [EventKind: Int] { state.events.mapValues(\.count) }
}
