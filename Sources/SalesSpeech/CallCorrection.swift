import Foundation
import SalesCore

/// A reviewer's reading of one utterance — what the analysis should have heard there — or of the call's next
/// step. A correction overrides the analysis where it speaks and leaves the rest to it; the analysis of a call
/// with corrections is redone with them, so the numbers behind it (objections handled, the script, the next
/// step, the score) follow.
public struct CallCorrection: Sendable, Codable, Equatable {
    /// The utterance, from 0; nil: the call as a whole (only `nextStepAgreed`).
    public var utterance: Int?
    /// A client's utterance: the objection kinds it raises, each with whether the rep handled it; empty: none.
    public var objections: [String: Bool]?
    /// A rep's utterance: the script stages it is part of; empty: none.
    public var stages: [String]?
    /// A client's utterance: `agreed` or `declined` (the answer to a next step proposed), or "" for neither.
    public var nextStep: String?
    /// The call: whether it ended with a next step agreed, whatever its utterances say.
    public var nextStepAgreed: Bool?

    public init(
        utterance: Int?, objections: [String: Bool]? = nil, stages: [String]? = nil, nextStep: String? = nil,
        nextStepAgreed: Bool? = nil
    ) {
        self.utterance = utterance
        self.objections = objections
        self.stages = stages
        self.nextStep = nextStep
        self.nextStepAgreed = nextStepAgreed
    }

    enum CodingKeys: String, CodingKey {
        case utterance, objections, stages
        case nextStep = "next_step"
        case nextStepAgreed = "next_step_agreed"
    }

    public static let answers = ["agreed", "declined", ""]

    /// Why this correction cannot apply to the call, if it cannot: an utterance that does not exist or is the
    /// other side's, an unknown objection kind or stage, nothing corrected.
    public func problem(in t: Transcript, lexicon: SpeechLexicon) -> LocalizedText? {
        guard objections != nil || stages != nil || nextStep != nil || nextStepAgreed != nil else {
            return LocalizedText("speech.correction.empty")
        }
        guard let u = utterance else {
            return objections == nil && stages == nil && nextStep == nil
                ? nil : LocalizedText("speech.correction.no_utterance")
        }
        guard t.utterances.indices.contains(u) else {
            return LocalizedText(
                "speech.correction.utterance", ["utterance": .count(u), "count": .count(t.utterances.count)])
        }
        let speaker = t.utterances[u].speaker
        if objections != nil || nextStep != nil, speaker != .client {
            return LocalizedText("speech.correction.client_only", ["utterance": .count(u)])
        }
        if stages != nil, speaker != .rep {
            return LocalizedText("speech.correction.rep_only", ["utterance": .count(u)])
        }
        let kinds = Set(lexicon.objections.keys)
        if let bad = objections?.keys.sorted().first(where: { !kinds.contains($0) }) {
            return LocalizedText(
                "speech.correction.kind", ["kind": .text(bad), "kinds": .text(kinds.sorted().joined(separator: ", "))])
        }
        let stageIDs = lexicon.stages.map(\.id)
        if let bad = stages?.first(where: { !stageIDs.contains($0) }) {
            return LocalizedText(
                "speech.correction.stage", ["stage": .text(bad), "stages": .text(stageIDs.joined(separator: ", "))])
        }
        if let step = nextStep, !Self.answers.contains(step) {
            return LocalizedText("speech.correction.next_step", ["value": .text(step)])
        }
        return nil
    }
}

/// A call's corrections in the order they were made, the later saying the last word on what both speak of.
public struct CallCorrections: Sendable, Equatable {
    public private(set) var objections: [Int: [String: Bool]] = [:]
    public private(set) var stages: [Int: [String]] = [:]
    public private(set) var nextSteps: [Int: String] = [:]
    public private(set) var nextStepAgreed: Bool?

    public static let none = CallCorrections([])

    public init(_ list: [CallCorrection]) {
        for c in list {
            if let u = c.utterance {
                if let o = c.objections { objections[u] = o }
                if let s = c.stages { stages[u] = s }
                if let n = c.nextStep { nextSteps[u] = n }
            }
            if let agreed = c.nextStepAgreed { nextStepAgreed = agreed }
        }
    }

    public var isEmpty: Bool { objections.isEmpty && stages.isEmpty && nextSteps.isEmpty && nextStepAgreed == nil }
    /// Whether the next step's course must be followed again: a proposal or an answer was corrected.
    var touchNextStep: Bool { !nextSteps.isEmpty || !stages.isEmpty }
}
