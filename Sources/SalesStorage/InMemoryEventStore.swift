import SalesCore

/// An event store in memory: for tests and short-lived runs. Same contract as the SQLite store.
public class InMemoryEventStore: EventStore {
    struct State {
        var events: [EventKind: [SalesEvent]] = [:]
        var ids: [EventKind: [String: Int64]] = [:]  // "source\u{1}external" → id
        var transcripts: [Int64: CallTranscriptRecord] = [:]  // by evaluation id
        var corrections: [CallCorrectionRecord] = []
        var revision: Int64 = 0
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
        init(state: State, source: String) {
            self.state = state
            self.source = source
        }

        func append(_ event: inout SalesEvent) throws -> AppendOutcome {
            let kind = event.kind
            let key = source + "\u{1}" + event.externalID
            if state.ids[kind]?[key] != nil, !kind.isUpdatable { return .duplicate }
            let missing = event.resolveReferences { k, ext in self.state.ids[k]?[self.source + "\u{1}" + ext] }
            if !missing.isEmpty { return .unresolved(missing) }
            if let id = state.ids[kind]?[key] {
                event.setID(id)
                guard state.events[kind]![Int(id) - 1] != event else { return .duplicate }
                state.events[kind]![Int(id) - 1] = event
                state.revision += 1
                return .updated(id)
            }
            let id = Int64((state.events[kind]?.count ?? 0) + 1)
            event.setID(id)
            state.events[kind, default: []].append(event)
            state.ids[kind, default: [:]][key] = id
            return .inserted(id)
        }

        func attach(_ transcript: CallTranscriptRecord, toEvaluation id: Int64) throws {
            guard state.transcripts[id] == nil else {
                throw StoreError.schema("evaluation \(id) already has a transcript")
            }
            state.transcripts[id] = transcript
        }

        func correct(_ e: Evaluation, analysis: String, by correction: CallCorrectionRecord) throws {
            guard let all = state.events[.evaluation], all.indices.contains(Int(e.id) - 1),
                case .evaluation(var stored) = all[Int(e.id) - 1], state.transcripts[e.id] != nil
            else { throw StoreError.schema("evaluation \(e.id) is not stored") }
            (stored.score, stored.objectionsRaised, stored.objectionsHandled) =
                (e.score, e.objectionsRaised, e.objectionsHandled)
            stored.call = e.call
            state.events[.evaluation]![Int(e.id) - 1] = .evaluation(stored)
            state.transcripts[e.id]!.analysis = analysis
            state.corrections.append(correction)
            state.revision += 1
        }
    }

    public func replay(_ body: (SalesEvent) throws -> Void) throws {
        for kind in EventKind.allCases { for e in state.events[kind] ?? [] { try body(e) } }
    }

    public func count() throws -> [EventKind: Int] { state.events.mapValues(\.count) }
    public func revision() throws -> Int64 { state.revision }

    /// The stored event of `kind` with this id (ids count from 1 in each kind, as in SQLite).
    private func event(_ kind: EventKind, _ id: Int64?) -> SalesEvent? {
        guard let id, let all = state.events[kind], id >= 1, id <= all.count else { return nil }
        return all[Int(id) - 1]
    }

    private func accountName(_ id: Int64?) -> String? {
        guard case .account(let a)? = event(.account, id) else { return nil }
        return a.name
    }

    public func source(of kind: EventKind, id: Int64) throws -> String? {
        state.ids[kind]?.first { $0.value == id }.map { String($0.key.prefix { $0 != "\u{1}" }) }
    }

    public func dealDetails(ids: [Int64]) throws -> [Int64: DealDetails] {
        var out: [Int64: DealDetails] = [:]
        for id in ids {
            guard case .deal(let d)? = event(.deal, id) else { continue }
            out[id] = DealDetails(
                externalID: d.externalID, account: accountName(d.account.id) ?? "", amount: d.amount,
                product: d.product, kind: d.kind, createdAt: d.createdAt, original: d.original)
        }
        return out
    }

    public func activities(reps: [Int64], from: Timestamp, to: Timestamp, type: ActivityType?, limit: Int) throws
        -> [ActivitySummary]
    {
        let wanted = Set(reps)
        let found: [ActivitySummary] = (state.events[.activity] ?? []).compactMap {
            guard case .activity(let a) = $0, wanted.contains(a.rep.id), a.at >= from, a.at < to,
                type == nil || a.type == type
            else { return nil }
            return ActivitySummary(
                externalID: a.externalID, rep: a.rep.id, type: a.type, at: a.at, durationSeconds: a.durationSeconds,
                outcome: a.outcome, account: accountName(a.account?.id))
        }
        return Array(found.sorted { $0.at > $1.at }.prefix(limit))
    }

    public func activities(source: String, externalIDs: [String]) throws -> [String: ActivityOwner] {
        var out: [String: ActivityOwner] = [:]
        for ext in externalIDs {
            guard let id = state.ids[.activity]?[source + "\u{1}" + ext], case .activity(let a)? = event(.activity, id),
                case .rep(let r)? = event(.rep, a.rep.id)
            else { continue }
            out[ext] = ActivityOwner(externalID: ext, type: a.type, at: a.at, rep: EntityRef(r.externalID, id: r.id))
        }
        return out
    }

    private func analyzedCall(_ id: Int64) -> AnalyzedCall? {
        guard state.transcripts[id] != nil, case .evaluation(let e)? = event(.evaluation, id), let measures = e.call
        else { return nil }
        var call = e.externalID
        if case .activity(let a)? = event(.activity, e.activity?.id) { call = a.externalID }
        return AnalyzedCall(
            evaluationID: id, call: call, rep: e.rep.id, at: e.at, score: e.score, objectionsRaised: e.objectionsRaised,
            objectionsHandled: e.objectionsHandled, measures: measures)
    }

    public func analyzedCalls(reps: [Int64], from: Timestamp, to: Timestamp, limit: Int) throws -> [AnalyzedCall] {
        let wanted = Set(reps)
        let found = state.transcripts.keys.compactMap(analyzedCall).filter {
            wanted.contains($0.rep) && $0.at >= from && $0.at < to
        }
        return Array(found.sorted { ($0.at, $0.evaluationID) > ($1.at, $1.evaluationID) }.prefix(limit))
    }

    public func analyzedCall(evaluationID: Int64) throws -> (AnalyzedCall, CallTranscriptRecord)? {
        guard let call = analyzedCall(evaluationID), let t = state.transcripts[evaluationID] else { return nil }
        return (call, t)
    }

    public func callCorrections(evaluationID: Int64) throws -> [CallCorrectionRecord] {
        state.corrections.filter { $0.evaluationID == evaluationID }
    }

    public func reviewedCalls() throws -> [(evaluationID: Int64, record: CallTranscriptRecord)] {
        Set(state.corrections.map(\.evaluationID)).sorted().compactMap { id in state.transcripts[id].map { (id, $0) } }
    }
}
