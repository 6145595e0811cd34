/// Words as the analysis compares them: lower-case letters and digits, «ё» as «е», everything else a
/// separator ("какой-то" is two words, "don't" is "don" and "t"); stems by the word's alphabet.
public enum Words {
    /// A scalar as words keep it — lower-case, «ё» as «е» — or nil for a separator.
    @inline(__always) static func folded(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x41...0x5A, 0x410...0x42F: v + 0x20  // A–Z, А–Я
        case 0x401, 0x451: 0x435  // Ё, ё → е
        case 0x400...0x40F: v + 0x50  // Ѐ–Џ
        case 0x30...0x39, 0x61...0x7A, 0x430...0x44F, 0x450...0x45F: v  // digits, a–z, а–я, ѐ–џ
        default: nil
        }
    }

    /// The text's words, each as Unicode scalar values.
    static func split(_ text: String) -> [[UInt32]] {
        var words: [[UInt32]] = []
        var word: [UInt32] = []
        for scalar in text.unicodeScalars {
            if let v = folded(scalar.value) {
                word.append(v)
                continue
            }
            if !word.isEmpty {
                words.append(word)
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// Where the text's words are, in the order `split` gives them: for highlighting a mark's words.
    public static func ranges(in text: String) -> [Range<String.Index>] {
        var out: [Range<String.Index>] = []
        var start: String.Index?
        let scalars = text.unicodeScalars
        for i in scalars.indices {
            if folded(scalars[i].value) != nil {
                if start == nil { start = i }
                continue
            }
            if let s = start {
                out.append(s..<i)
                start = nil
            }
        }
        if let s = start { out.append(s..<text.endIndex) }
        return out
    }

    /// How many words the text holds (the benchmark's floor: the split without keeping the words).
    public static func count(_ text: String) -> Int {
        var n = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let letter = folded(scalar.value) != nil
            if letter, !inWord { n += 1 }
            inWord = letter
        }
        return n
    }

    static func isCyrillic(_ w: [UInt32]) -> Bool { w.contains { $0 >= 0x400 && $0 < 0x500 } }
    static func isNumber(_ w: [UInt32]) -> Bool { w.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    static func stem(_ w: [UInt32]) -> [UInt32] {
        if isNumber(w) { return w }
        return isCyrillic(w) ? RussianStemmer.stem(w) : EnglishStemmer.stem(w)
    }

    /// A word or phrase's stems, for callers outside (tests, the docs' examples).
    public static func stems(_ text: String) -> [String] {
        split(text).map { String(String.UnicodeScalarView(stem($0).compactMap(Unicode.Scalar.init))) }
    }
}
