import Foundation
import SalesCore

/// A model bound to an analyzer's word ids: feature keys to indices, each head's weights in full.
struct LoadedCallModel: Sendable {
    struct Head: Sendable {
        var intercept: Double
        var threshold: Double
    }
    let index: [UInt64: Int32]
    /// Each feature as a mark's reason reads it (`CallFeatures.reason`), made once.
    let reasons: [String]
    let heads: [Head]
    /// Every head's weights end to end (head h's at h × features), read without copying a head per utterance.
    private let weights: [Double]
    private let width: Int
    /// Head indices by the lexicon's objection category and stage index; the next step's and `handled`.
    let objectionHeads: [(category: Int, head: Int)], stageHeads: [(stage: Int, head: Int)]
    let agreed: Int?, declined: Int?, handled: Int?

    init(_ m: CallModel, words: inout LexiconWords, objections: [String], stages: [String]) {
        var index: [UInt64: Int32] = [:]
        for (i, name) in m.features.enumerated() {
            if let key = CallFeatures.parse(name, words: &words, objections: objections, stages: stages) {
                index[key] = Int32(i)
            }
        }
        self.index = index
        reasons = m.features.map(CallFeatures.reason)
        let ids = m.heads.keys.sorted()
        width = m.features.count
        var weights = [Double](repeating: 0, count: ids.count * width)
        for (h, id) in ids.enumerated() {
            for pair in m.heads[id]!.weights where pair.count == 2 && Int(pair[0]) < width {
                weights[h * width + Int(pair[0])] = pair[1]
            }
        }
        self.weights = weights
        heads = ids.map { Head(intercept: m.heads[$0]!.intercept, threshold: m.heads[$0]!.threshold) }
        func head(_ id: String) -> Int? { ids.firstIndex(of: id) }
        objectionHeads = objections.indices.compactMap { c in
            head(CallModel.objectionPrefix + objections[c]).map { (c, $0) }
        }
        stageHeads = stages.indices.compactMap { s in head(CallModel.stagePrefix + stages[s]).map { (s, $0) } }
        agreed = head(CallModel.agreed)
        declined = head(CallModel.declined)
        handled = head(CallModel.handled)
    }

    func features(_ keys: [UInt64]) -> [Int32] { keys.compactMap { index[$0] } }

    func weight(_ head: Int, _ feature: Int32) -> Double { weights[head * width + Int(feature)] }

    /// Every feature on at 1/√(their count), as the model was fitted (`BinaryRows(normalised: true)`).
    func probability(_ head: Int, _ features: [Int32]) -> Double {
        var z = 0.0
        weights.withUnsafeBufferPointer { w in
            let row = w.baseAddress! + head * width
            for f in features { z += row[Int(f)] }
        }
        z = heads[head].intercept + z * BinaryRows.value(count: features.count, normalised: true)
        return 1 / (1 + exp(-z))
    }

    func says(_ head: Int, _ keys: [UInt64]) -> Bool {
        probability(head, features(keys)) >= heads[head].threshold
    }
}

extension CallFeatures {
    /// A key's kind and its two ids, as `key` made it.
    static func parts(_ key: UInt64) -> (kind: Kind, a: Int32, b: Int32)? {
        Kind(rawValue: key >> 60).map {
            ($0, Int32(truncatingIfNeeded: (key >> 30) & 0x3FFF_FFFF), Int32(truncatingIfNeeded: key & 0x3FFF_FFFF))
        }
    }

    /// A feature's name in the model file: its kind's letter and its stems, or a flag's name.
    static func name(_ key: UInt64, stems: [[UInt32]], objections: [String], stages: [String]) -> String? {
        guard let (kind, a, b) = parts(key) else { return nil }
        func stem(_ id: Int32) -> String {
            String(String.UnicodeScalarView(stems[Int(id)].compactMap(Unicode.Scalar.init)))
        }
        switch kind {
        case .flag: return flagName(a, objections: objections, stages: stages).map { "f " + $0 }
        case .pair: return "b \(stem(a)) \(stem(b))"
        default: return "\(kind.letter) \(stem(a))"
        }
    }

    /// The key a name stands for with these word ids (its stems given ids if new); nil for a flag this lexicon
    /// has no such category or stage for.
    static func parse(_ name: String, words: inout LexiconWords, objections: [String], stages: [String]) -> UInt64? {
        let parts = name.split(separator: " ").map(String.init)
        guard parts.count >= 2, let kind = Kind.allCases.first(where: { $0.letter == parts[0] }) else { return nil }
        if kind == .flag {
            return flagID(parts[1], objections: objections, stages: stages).map { key(.flag, $0) }
        }
        let ids = parts.dropFirst().map { words.stemID($0.unicodeScalars.map(\.value)) }
        return kind == .pair ? (ids.count == 2 ? key(.pair, ids[0], ids[1]) : nil) : key(kind, ids[0])
    }

    /// How a mark's reason reads: «word», «two words», «¬word» (after a negation), ↩«word» (in the other side's
    /// turn before), #flag.
    static func reason(_ name: String) -> String {
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return name }
        switch parts[0] {
        case "w", "b": return "«\(parts[1])»"
        case "n": return "«¬\(parts[1])»"
        case "p": return "↩«\(parts[1])»"
        case "r": return "→«\(parts[1])»"
        case "t": return "⇢«\(parts[1])»"
        default: return "#" + parts[1]
        }
    }
}

extension CallAnalyzer {
    /// What the model heard: stage mentions, objection mentions by category, their marks, the next step.
    struct Heard {
        var marks: [CallAnalysis.Mark] = []
        var stages: [(stage: Int, utterance: Int)] = []
        var objections: [Int: [Int]] = [:]
        var nextStepAgreed: Bool?
        /// Where a lexicon phrase was heard and the model ruled it out (its probability under a tenth of its
        /// threshold), as category << 32 | utterance.
        var ruledOut: Set<Int> = []
        func vetoed(_ category: Int, _ utterance: Int) -> Bool { ruledOut.contains(category << 32 | utterance) }
    }

    func hear(_ u: [Transcript.Utterance], _ r: ReadCall, _ model: LoadedCallModel) -> Heard {
        var heard = Heard()
        let nextStep = lexicon.stages.firstIndex { $0.id == SpeechLexicon.nextStepStage }
        // The next step's course: none proposed yet, proposed, agreed, declined.
        var step = 0
        let keys = featureKeys(u, r)
        for i in u.indices {
            let matched = keys[i].compactMap { key in model.index[key].map { (key: key, feature: $0) } }
            let features = matched.map(\.feature)
            func mark(_ kind: CallAnalysis.Mark.Kind, _ id: String, _ head: Int) {
                heard.marks.append(explained(kind, id, utterance: i, head: head, matched, model, r))
            }
            switch u[i].speaker {
            case .rep:
                for (s, h) in model.stageHeads where model.probability(h, features) >= model.heads[h].threshold {
                    heard.stages.append((s, i))
                    mark(.stage, lexicon.stages[s].id, h)
                    // A step proposed anew after a refusal waits for its answer; after an agreement, the rep is
                    // confirming it.
                    if s == nextStep && step != 2 { step = 1 }
                }
            case .client:
                for (c, h) in model.objectionHeads {
                    let p = model.probability(h, features)
                    if p < model.heads[h].threshold / 10, r.objectionMatches[i].contains(where: { $0.label == c }) {
                        heard.ruledOut.insert(c << 32 | i)
                    }
                    guard p >= model.heads[h].threshold else { continue }
                    if heard.objections[c]?.last != i { heard.objections[c, default: []].append(i) }
                    mark(.objection, objectionCategories[c], h)
                }
                if step > 0, let a = model.agreed, let d = model.declined {
                    let yes = model.probability(a, features)
                    let no = model.probability(d, features)
                    if yes >= model.heads[a].threshold && yes >= no {
                        step = 2
                        mark(.nextStep, "agreed", a)
                    } else if no >= model.heads[d].threshold {
                        step = 3
                        mark(.nextStep, "declined", d)
                    }
                }
            case .unknown: break
            }
        }
        if model.agreed != nil, model.declined != nil, model.stageHeads.contains(where: { $0.stage == nextStep }) {
            heard.nextStepAgreed = step == 2
        }
        return heard
    }

    /// A mark the model made, placed on its strongest word and explained by its three strongest features.
    private func explained(
        _ kind: CallAnalysis.Mark.Kind, _ id: String, utterance i: Int, head: Int,
        _ matched: [(key: UInt64, feature: Int32)], _ model: LoadedCallModel, _ r: ReadCall
    ) -> CallAnalysis.Mark {
        let strongest = matched.filter { model.weight(head, $0.feature) > 0 }
            .sorted { model.weight(head, $0.feature) > model.weight(head, $1.feature) }
        var mark = CallAnalysis.Mark(kind: kind, id: id, utterance: i, word: 0, length: 0)
        mark.because = strongest.prefix(3).map { model.reasons[Int($0.feature)] }
        let span = r.spans[i]
        // The strongest feature that is a word of this utterance is where the mark goes.
        for (key, _) in strongest {
            guard let (kind, a, b) = CallFeatures.parts(key), kind == .word || kind == .pair || kind == .negated
            else { continue }
            let pair = kind == .pair
            if let p = span.first(where: {
                r.stemIDs[$0] == a && (!pair || ($0 + 1 < span.upperBound && r.stemIDs[$0 + 1] == b))
            }) {
                mark.word = p - span.lowerBound
                mark.length = pair ? 2 : 1
                break
            }
        }
        return mark
    }

    /// Each utterance's feature keys, sorted and unique: its words, word pairs and negated words, the other
    /// side's previous turn, and flags (a question, the speaker's first turn, the call's opening or close,
    /// short or long, a number, the lexicon's matches here and in the previous turn).
    func featureKeys(_ u: [Transcript.Utterance], _ r: ReadCall) -> [[UInt64]] {
        typealias F = CallFeatures
        var out: [[UInt64]] = []
        out.reserveCapacity(u.count)
        var last: [Transcript.Speaker: Int] = [:]
        for i in u.indices {
            var k: [UInt64] = []
            let span = r.spans[i]
            k.reserveCapacity(span.count * 4 + 16)
            var scope = 0
            var previous: Int32 = -1
            for p in span {
                let s = r.stemIDs[p]
                if s >= 0 {
                    k.append(F.key(.word, s))
                    if previous >= 0 { k.append(F.key(.pair, previous, s)) }
                    if scope > 0 { k.append(F.key(.negated, s)) }
                }
                if s >= 0 && opensScope(s) { scope = 3 } else if scope > 0 { scope -= 1 }
                previous = s
            }
            func flag(_ f: F.Flag) { k.append(F.key(.flag, f.rawValue)) }
            if r.asks[i] { flag(.question) }
            if last[u[i].speaker] == nil { flag(.firstOfSpeaker) }
            if i < 2 { flag(.opening) }
            if i >= u.count - 2 { flag(.closing) }
            if span.count <= 3 { flag(.short) }
            if span.count > 15 { flag(.long) }
            if span.contains(where: { r.isNumber[$0] }) { flag(.number) }
            for m in r.stageMatches[i] { k.append(F.key(.flag, F.lexiconFlags + F.stageFlags + Int32(m.label))) }
            for m in r.objectionMatches[i] { k.append(F.key(.flag, F.lexiconFlags + Int32(m.label))) }
            let other: Transcript.Speaker? = u[i].speaker == .rep ? .client : u[i].speaker == .client ? .rep : nil
            if let other, let j = last[other] {
                for p in r.spans[j] where r.stemIDs[p] >= 0 { k.append(F.key(.previous, r.stemIDs[p])) }
                for m in r.stageMatches[j] {
                    k.append(F.key(.flag, F.previousLexiconFlags + F.stageFlags + Int32(m.label)))
                }
                for m in r.objectionMatches[j] { k.append(F.key(.flag, F.previousLexiconFlags + Int32(m.label))) }
            }
            last[u[i].speaker] = i
            k.sort()
            out.append(Self.unique(k))
        }
        return out
    }

    /// The features `handled` judges a raising by: the rep's reply (its words, none, long, a number, an
    /// argument), the client's next turn, and whether the client raised the same objection again later.
    func replyKeys(raise i: Int, again: Bool, _ u: [Transcript.Utterance], _ r: ReadCall) -> [UInt64] {
        typealias F = CallFeatures
        var k: [UInt64] = []
        let reply = Self.reply(to: i, u)
        var words = 0
        for q in reply {
            words += r.spans[q].count
            for p in r.spans[q] where r.stemIDs[p] >= 0 { k.append(F.key(.reply, r.stemIDs[p])) }
        }
        func flag(_ f: F.Flag) { k.append(F.key(.flag, f.rawValue)) }
        if reply.isEmpty { flag(.replyNone) }
        if words > 15 { flag(.replyLong) }
        for (least, f) in [(5, F.Flag.reply5), (10, .reply10), (20, .reply20), (40, .reply40)] where words >= least {
            flag(f)
        }
        if reply.contains(where: { q in r.spans[q].contains { r.isNumber[$0] } }) { flag(.replyNumber) }
        if reply.contains(where: { arguments.occurs(in: r.stems($0)) }) { flag(.replyArgument) }
        if again { flag(.raisedAgain) }
        if let next = ((reply.last ?? i) + 1..<u.count).first(where: { u[$0].speaker == .client }) {
            for p in r.spans[next] where r.stemIDs[p] >= 0 { k.append(F.key(.then, r.stemIDs[p])) }
        }
        k.sort()
        return Self.unique(k)
    }

    private static func unique(_ sorted: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(sorted.count)
        for x in sorted where out.last != x { out.append(x) }
        return out
    }
}
