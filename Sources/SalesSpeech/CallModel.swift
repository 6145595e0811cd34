import Foundation
import SalesCore

/// What a labelled corpus taught about how people raise objections, run a script and agree next steps: one
/// L2-regularised logistic regression ("head") per label over an utterance's features — its stemmed words and
/// word pairs, words in a negation's scope, the other side's previous turn, the lexicon's matches. Shipped as
/// `Resources/call-model.json` (`saleskpi calls train`); the lexicon still decides what the model has no head for.
public struct CallModel: Sendable, Codable, Equatable {
    public struct Head: Sendable, Codable, Equatable {
        public var intercept: Double
        /// (feature index, weight), the weights too small to matter left out.
        public var weights: [[Double]]
        /// The probability from which the head says yes.
        public var threshold: Double
    }

    public var format = 1
    /// What it was trained on, for `calls evaluate` and the docs.
    public var trainedOn: String
    public var lambda: Double
    /// Feature names (`CallFeatures.name`), by index.
    public var features: [String]
    /// By head id: `objection.<kind>`, `stage.<id>`, `next.agreed`, `next.declined`, `handled`.
    public var heads: [String: Head]

    /// The L2 penalty: the best cross-validated macro F1 on the training corpus (352 calls) among 0.03–1.2.
    public static let defaultLambda = 0.03

    public static let objectionPrefix = "objection.", stagePrefix = "stage."
    public static let agreed = "next.agreed", declined = "next.declined", handled = "handled"

    /// The model trained on `corpus/calls/train`, shipped with the program.
    public static let standard: CallModel? = {
        guard let url = Bundle.module.url(forResource: "call-model", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return try? JSONDecoder().decode(CallModel.self, from: data)
    }()

    public static func read(_ path: String) throws -> CallModel {
        try JSONDecoder().decode(CallModel.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func write(_ path: String) throws { try json.write(to: URL(fileURLWithPath: path)) }

    /// The model as a file or a store keeps it: the same model gives the same bytes.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try! encoder.encode(self)  // numbers, strings and arrays: nothing that can fail to encode
    }
}

extension CallModel {
    public init(json: Data) throws { self = try JSONDecoder().decode(CallModel.self, from: json) }
}

/// An utterance's features as integer keys: a kind and up to two stem ids (or a flag's id).
enum CallFeatures {
    enum Kind: UInt64, CaseIterable {
        /// A stem; two stems in a row; a stem within three words after a negation ("not"…)
        case word = 1
        case pair
        case negated
        /// A stem of the other side's previous turn.
        case previous
        case flag
        /// For `handled`: a stem of the rep's reply to the objection; of the client's turn after it.
        case reply
        case then

        var letter: String {
            switch self {
            case .word: "w"
            case .pair: "b"
            case .negated: "n"
            case .previous: "p"
            case .flag: "f"
            case .reply: "r"
            case .then: "t"
            }
        }
    }

    @inline(__always) static func key(_ kind: Kind, _ a: Int32, _ b: Int32 = 0) -> UInt64 {
        kind.rawValue << 60 | UInt64(UInt32(bitPattern: a)) << 30 | UInt64(UInt32(bitPattern: b))
    }

    /// The flags: fixed ones, then the lexicon's objection categories and stages, as this utterance's matches
    /// (`lex:`) and the previous turn's (`prevlex:`).
    enum Flag: Int32, CaseIterable {
        case question, firstOfSpeaker, opening, closing, short, long, number
        case replyNone, replyLong, replyNumber, replyArgument, raisedAgain
        /// The reply's length, cumulative: five words or more, ten, twenty, forty.
        case reply5, reply10, reply20, reply40
    }
    static let lexiconFlags: Int32 = 1_000, previousLexiconFlags: Int32 = 2_000, stageFlags: Int32 = 500

    static func flagName(_ id: Int32, objections: [String], stages: [String]) -> String? {
        if let f = Flag(rawValue: id) { return "\(f)" }
        for (base, prefix) in [(lexiconFlags, "lex:"), (previousLexiconFlags, "prevlex:")] {
            let i = Int(id - base)
            if i >= 0, i < objections.count { return prefix + objections[i] }
            if i >= stageFlags, i - Int(stageFlags) < stages.count { return prefix + stages[i - Int(stageFlags)] }
        }
        return nil
    }

    static func flagID(_ name: String, objections: [String], stages: [String]) -> Int32? {
        if let f = Flag.allCases.first(where: { "\($0)" == name }) { return f.rawValue }
        for (base, prefix) in [(lexiconFlags, "lex:"), (previousLexiconFlags, "prevlex:")] where name.hasPrefix(prefix)
        {
            let rest = String(name.dropFirst(prefix.count))
            if let i = objections.firstIndex(of: rest) { return base + Int32(i) }
            if let i = stages.firstIndex(of: rest) { return base + stageFlags + Int32(i) }
        }
        return nil
    }
}
