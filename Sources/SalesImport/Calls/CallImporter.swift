import Foundation
import SalesCore
import SalesSpeech
import SalesStorage

/// Reads call transcripts, links each to its call activity (and so to its rep and day), analyses it and
/// stores a speech evaluation — the input of the quality KPIs — with the transcript and analysis beside
/// it for the call page. All or nothing unless `skipInvalid`; a call analysed once is never counted twice.
///
/// The call a transcript belongs to: the id the caller gives (`--call`, the API's `call=`), else the
/// file's `call` field, else the file's name without its extension (`CALL-0412.vtt` → `CALL-0412`).
public final class CallImporter {
    public struct Input: Sendable {
        public var file: String
        public var data: Data
        /// The call activity's external id, when the caller knows it.
        public var call: String?
        public init(file: String, data: Data, call: String? = nil) {
            self.file = file
            self.data = data
            self.call = call
        }
    }

    /// One transcript analysed: where from, which call, what it showed.
    public struct Result: Sendable {
        public var file: String
        public var call: String
        public var transcript: Transcript
        public var analysis: CallAnalysis
        /// The evaluation's store id; nil when the call had already been analysed.
        public var evaluationID: Int64?
    }

    public struct Report: Sendable {
        public var results: [Result] = []
        /// The evaluations stored, ready for `SalesEngine.apply`.
        public var stored: [SalesEvent] = []
        public var duplicates = 0
        public var skipped: [ImportIssue] = []
        /// What the reader did about files' quirks, by file.
        public var notes: [(file: String, note: LocalizedText)] = []
    }

    let store: EventStore
    let source: String
    let analyzer: CallAnalyzer
    let reader: TranscriptReader
    public var skipInvalid = false
    public var progress: ((Double) -> Void)?

    /// `model`: what recognises objections, stages and next steps (default the shipped one; nil: the lexicon).
    public convenience init(
        store: EventStore, source: String, lexicon: SpeechLexicon = .standard, model: CallModel? = CallModel.standard,
        repSpeaker: String? = nil
    ) {
        self.init(
            store: store, source: source, analyzer: CallAnalyzer(lexicon: lexicon, model: model),
            repSpeaker: repSpeaker)
    }

    /// With an analyzer the caller keeps: binding the model to the lexicon's words takes a moment, a server
    /// does it once, not per request.
    public init(store: EventStore, source: String, analyzer: CallAnalyzer, repSpeaker: String? = nil) {
        self.store = store
        self.source = source
        self.analyzer = analyzer
        reader = TranscriptReader(repSpeaker: repSpeaker)
    }

    /// The evaluation's external id for a call: one speech evaluation per call.
    public static func evaluationID(call: String) -> String { "speech:" + call }

    public func run(_ inputs: [Input]) throws -> Report {
        var report = Report()
        var issues: [ImportIssue] = []
        var read: [(input: Input, transcript: Transcript, call: String)] = []
        for input in inputs {
            do {
                let t = try reader.read(input.data, file: input.file)
                let call =
                    input.call ?? t.call
                    ?? ((input.file as NSString).lastPathComponent as NSString).deletingPathExtension
                read.append((input, t, call))
                report.notes += t.notes.map { (input.file, $0) }
            } catch {
                issues.append(ImportIssue(file: error.file, line: error.line ?? 0, field: error.field, error.message))
            }
        }
        let owners = try store.activities(source: source, externalIDs: read.map(\.call))
        var vocabulary = analyzer.makeVocabulary()
        var events: [(SalesEvent, CallTranscriptRecord, Int)] = []
        for (n, r) in read.enumerated() {
            progress?(Double(n + 1) / Double(max(1, read.count)))
            guard let owner = owners[r.call] else {
                issues.append(
                    ImportIssue(
                        file: r.input.file, line: 0, field: "call",
                        LocalizedText("import.calls.unknown_call", ["call": "\(r.call)", "source": "\(source)"])))
                continue
            }
            if let rep = r.transcript.rep, rep != owner.rep.external {
                issues.append(
                    ImportIssue(
                        file: r.input.file, line: 0, field: "rep",
                        LocalizedText(
                            "import.calls.other_rep",
                            ["rep": "\(rep)", "call": "\(r.call)", "external": "\(owner.rep.external)"])))
                continue
            }
            let a = analyzer.analyze(r.transcript, sharing: &vocabulary)
            var e = Evaluation(
                externalID: Self.evaluationID(call: r.call), rep: owner.rep, at: owner.at, score: a.argumentationScore,
                objectionsRaised: a.objections.count, objectionsHandled: a.objectionsHandled, call: a.measures)
            e.activity = EntityRef(r.call)
            let record = try CallTranscriptRecord(
                file: (r.input.file as NSString).lastPathComponent, transcript: r.transcript, analysis: a)
            report.results.append(Result(file: r.input.file, call: r.call, transcript: r.transcript, analysis: a))
            events.append((.evaluation(e), record, report.results.count - 1))
        }
        if !issues.isEmpty {
            guard skipInvalid else { throw ImportFailure(issues: issues) }
            report.skipped = issues
        }
        try store.write(source: source) { writer in
            for (event, record, index) in events {
                var e = event
                switch try writer.append(&e) {
                case .inserted(let id):
                    try writer.attach(record, toEvaluation: id)
                    report.stored.append(e)
                    report.results[index].evaluationID = id
                // An evaluation is a fact: never replaced.
                case .duplicate, .updated: report.duplicates += 1
                case .unresolved(let refs): throw StoreError.unresolved(e.kind, e.externalID, refs)
                }
            }
        }
        return report
    }
}

extension CallTranscriptRecord {
    /// The record of a transcript and its analysis, as JSON.
    init(file: String, transcript: Transcript, analysis: CallAnalysis) throws {
        self.init(file: file, transcript: try Self.json(transcript), analysis: try Self.json(analysis))
    }

    /// The JSON the store keeps of a transcript, an analysis or a correction.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The transcript and analysis back from their JSON, for the call page and the API.
    public func decoded() throws -> (transcript: Transcript, analysis: CallAnalysis) {
        let decoder = JSONDecoder()
        return (
            try decoder.decode(Transcript.self, from: Data(transcript.utf8)),
            try decoder.decode(CallAnalysis.self, from: Data(analysis.utf8))
        )
    }
}
