/// The lexicon's words as small integers: every stem a stemmed phrase uses, every exact word the
/// fillers and open-question words use. A call's words are looked up here once each, so that the
/// analysis compares integers, not strings.
struct LexiconWords: Sendable {
    private(set) var stems: [[UInt32]: Int32] = [:]
    private(set) var exact: [[UInt32]: Int32] = [:]
    /// The stems by id (a model's features are named by them).
    private(set) var stemList: [[UInt32]] = []

    mutating func stemID(_ stem: [UInt32]) -> Int32 {
        if let id = stems[stem] { return id }
        stemList.append(stem)
        return id(stem, in: &stems)
    }
    mutating func exactID(_ word: [UInt32]) -> Int32 { id(word, in: &exact) }

    private func id(_ key: [UInt32], in table: inout [[UInt32]: Int32]) -> Int32 {
        if let id = table[key] { return id }
        let id = Int32(table.count)
        table[key] = id
        return id
    }
}

/// The words a batch of calls has used so far, each stored once with what the lexicon makes of it:
/// its stem's id and its own id in `LexiconWords` (-1: the lexicon has no use for it), and whether
/// it is a number. A word is stemmed the first time it is heard; the calls of a bulk import share one
/// vocabulary, so common words are stemmed once per import, not once per call.
public struct CallVocabulary: Sendable {
    let lexicon: LexiconWords
    private var scalars: [UInt32] = []
    private var bounds: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: a word's id + 1, or 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 1024)
    private(set) var stem: [Int32] = []
    private(set) var exact: [Int32] = []
    private(set) var isNumber: [Bool] = []
    /// Past this many words the vocabulary starts afresh, so that a long import's memory stays bounded.
    static let capacity = 1 << 20

    init(lexicon: LexiconWords) { self.lexicon = lexicon }

    /// Starts afresh past `capacity` words (between calls: a call's ids stay valid while it is read).
    mutating func bound() { if count >= Self.capacity { self = CallVocabulary(lexicon: lexicon) } }

    var count: Int { hashes.count }

    /// A text's words appended to `tokens` as word ids, and the questions it asks: sentences ending
    /// in "?" with a word in them; open when one of their first two words is in `opensQuestion`.
    mutating func read(_ text: String, into tokens: inout [Int32], opensQuestion: (Int32) -> Bool) -> (
        questions: Int, open: Int
    ) {
        var word: [UInt32] = []
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var questions = 0
        var open = 0
        var sentenceStart = tokens.count
        word.reserveCapacity(32)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if let f = Words.folded(v) {
                word.append(f)
                hash = (hash ^ UInt64(f)) &* 0x100_0000_01b3
                continue
            }
            if !word.isEmpty {
                tokens.append(intern(word, hash: hash))
                word.removeAll(keepingCapacity: true)
                hash = 0xcbf2_9ce4_8422_2325
            }
            // Sentence ends: "?", "!", ".", "…".
            guard v == 0x3F || v == 0x21 || v == 0x2E || v == 0x2026 else { continue }
            if v == 0x3F, tokens.count > sentenceStart {
                questions += 1
                let firstTwo = sentenceStart..<min(tokens.count, sentenceStart + 2)
                if firstTwo.contains(where: { opensQuestion(exact[Int(tokens[$0])]) }) { open += 1 }
            }
            sentenceStart = tokens.count
        }
        if !word.isEmpty { tokens.append(intern(word, hash: hash)) }
        return (questions, open)
    }

    private mutating func intern(_ word: [UInt32], hash: UInt64) -> Int32 {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == hash, sameWord(id, word) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        scalars.append(contentsOf: word)
        bounds.append(scalars.count)
        hashes.append(hash)
        let stemmed = Words.stem(word)
        stem.append(lexicon.stems[stemmed] ?? -1)
        exact.append(lexicon.exact[word] ?? -1)
        isNumber.append(Words.isNumber(word))
        slots[slot] = id + 1
        if count * 2 > slots.count { grow() }
        return id
    }

    private func sameWord(_ id: Int, _ word: [UInt32]) -> Bool {
        let start = bounds[id]
        guard bounds[id + 1] - start == word.count else { return false }
        for k in word.indices where scalars[start + k] != word[k] { return false }
        return true
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }
}
