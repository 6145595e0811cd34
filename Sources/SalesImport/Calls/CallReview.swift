import Foundation
import SalesCore
import SalesSpeech
import SalesStorage

/// A reviewer's correction applied to a stored call: its transcript is analysed again with every correction
/// made to it so far, and one write stores the evaluation's new numbers, the corrected analysis and the
/// correction. The caller's engine then replaces the old evaluation with the new one (`SalesEngine.replace`).
public struct CallReview {
    public struct Outcome: Sendable {
        public var before: Evaluation
        public var after: Evaluation
        public var analysis: CallAnalysis
    }

    /// A correction that does not fit the call (`CallCorrection.problem`).
    public struct Refused: Error, Sendable {
        public let reason: LocalizedText
    }

    let store: EventStore
    let analyzer: CallAnalyzer
    /// The corrections one call may take.
    public static let maxCorrections = 500

    public init(store: EventStore, analyzer: CallAnalyzer) {
        self.store = store
        self.analyzer = analyzer
    }

    /// nil: no analysed call has this id.
    public func correct(evaluationID id: Int64, _ correction: CallCorrection, by userID: Int64?, at now: Timestamp)
        throws -> Outcome?
    {
        guard let (call, record) = try store.analyzedCall(evaluationID: id) else { return nil }
        let transcript = try record.decoded().transcript
        if let reason = correction.problem(in: transcript, lexicon: analyzer.lexicon) { throw Refused(reason: reason) }
        let earlier = try store.callCorrections(evaluationID: id).map { try $0.decoded() }
        // A call has a few dozen utterances: more corrections than this is a script gone wrong, not a review.
        guard earlier.count < Self.maxCorrections else {
            let limit = "\(Self.maxCorrections)"
            throw Refused(reason: LocalizedText("speech.correction.too_many", ["limit": .text(limit)]))
        }
        var vocabulary = analyzer.makeVocabulary()
        let analysis = analyzer.analyze(
            transcript, corrections: CallCorrections(earlier + [correction]), sharing: &vocabulary)
        var before = Evaluation(
            externalID: CallImporter.evaluationID(call: call.call), rep: EntityRef("", id: call.rep), at: call.at,
            score: call.score, objectionsRaised: call.objectionsRaised, objectionsHandled: call.objectionsHandled,
            call: call.measures)
        before.id = id
        var after = before
        after.score = analysis.argumentationScore
        after.objectionsRaised = analysis.objections.count
        after.objectionsHandled = analysis.objectionsHandled
        after.call = analysis.measures
        let stored = CallCorrectionRecord(
            evaluationID: id, at: now, userID: userID, correction: try CallTranscriptRecord.json(correction))
        try store.write(source: try store.source(of: .evaluation, id: id) ?? "") { writer in
            try writer.correct(after, analysis: try CallTranscriptRecord.json(analysis), by: stored)
        }
        return Outcome(before: before, after: after, analysis: analysis)
    }

    /// The calls reviewers corrected, labelled as their corrected analyses read them (`CallLabels(reviewed:)`):
    /// what retraining learns from.
    public static func reviewedCalls(in store: EventStore) throws -> [LabelledCall] {
        try store.reviewedCalls().map { id, record in
            let (transcript, analysis) = try record.decoded()
            return LabelledCall(
                labels: CallLabels(file: "\(id)-\(record.file)", reviewed: analysis), transcript: transcript)
        }
    }
}

extension CallCorrectionRecord {
    /// The correction back from its JSON.
    public func decoded() throws -> CallCorrection {
        try JSONDecoder().decode(CallCorrection.self, from: Data(correction.utf8))
    }
}
