/// Porter's stemmer for English (M. F. Porter, 1980), so that "price", "prices", "priced" and
/// "pricing" all become "price"/"pric". Works on lower-case ASCII scalars.
enum EnglishStemmer {
    private static func s(_ t: String) -> [UInt32] { t.unicodeScalars.map(\.value) }
    private static let y = UInt32(UInt8(ascii: "y"))

    private static func isConsonant(_ w: [UInt32], _ k: Int) -> Bool {
        switch w[k] {
        case 0x61, 0x65, 0x69, 0x6F, 0x75: return false  // a e i o u
        case y: return k == 0 || !isConsonant(w, k - 1)
        default: return true
        }
    }

    /// m: the number of vowel-consonant sequences in `w[0..<end]`.
    private static func measure(_ w: [UInt32], _ end: Int) -> Int {
        var m = 0
        var k = 0
        while k < end, isConsonant(w, k) { k += 1 }
        while k < end {
            while k < end, !isConsonant(w, k) { k += 1 }
            guard k < end else { break }
            m += 1
            while k < end, isConsonant(w, k) { k += 1 }
        }
        return m
    }

    private static func hasVowel(_ w: [UInt32], _ end: Int) -> Bool { (0..<end).contains { !isConsonant(w, $0) } }
    private static func endsDoubleConsonant(_ w: [UInt32], _ end: Int) -> Bool {
        end >= 2 && w[end - 1] == w[end - 2] && isConsonant(w, end - 1)
    }
    /// *o: consonant-vowel-consonant, the last not w, x or y.
    private static func endsCVC(_ w: [UInt32], _ end: Int) -> Bool {
        guard end >= 3, isConsonant(w, end - 3), !isConsonant(w, end - 2), isConsonant(w, end - 1) else { return false }
        return ![0x77, 0x78, y].contains(w[end - 1])
    }
    private static func ends(_ w: [UInt32], _ suffix: [UInt32]) -> Bool {
        w.count >= suffix.count && w.suffix(suffix.count).elementsEqual(suffix)
    }

    /// Replaces the first (longest) suffix of `rules` that `w` ends with, when the stem before it has m > `minMeasure`.
    private static func replace(_ w: inout [UInt32], _ rules: [([UInt32], [UInt32])], minMeasure: Int) {
        for (suffix, replacement) in rules where ends(w, suffix) {
            if measure(w, w.count - suffix.count) > minMeasure {
                w.removeLast(suffix.count)
                w += replacement
            }
            return
        }
    }

    private static let step2 = [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
        ("abli", "able"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
        ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
        ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
    ]
    .map { (s($0), s($1)) }.sorted { $0.0.count > $1.0.count }
    private static let step3 = [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ]
    .map { (s($0), s($1)) }.sorted { $0.0.count > $1.0.count }
    private static let step4 = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
        "ism", "ate", "iti", "ous", "ive", "ize",
    ].map(s).sorted { $0.count > $1.count }

    static func stem(_ word: [UInt32]) -> [UInt32] {
        var w = word
        guard w.count > 2 else { return w }
        // Step 1a: plurals.
        if ends(w, s("sses")) || ends(w, s("ies")) {
            w.removeLast(2)
        } else if ends(w, s("ss")) {
        } else if ends(w, s("s")) {
            w.removeLast()
        }
        // Step 1b: -eed, -ed, -ing.
        if ends(w, s("eed")) {
            if measure(w, w.count - 3) > 0 { w.removeLast() }
        } else if let cut = [s("ed"), s("ing")].first(where: { ends(w, $0) && hasVowel(w, w.count - $0.count) })?.count
        {
            w.removeLast(cut)
            if ends(w, s("at")) || ends(w, s("bl")) || ends(w, s("iz")) {
                w.append(0x65)
            } else if endsDoubleConsonant(w, w.count), ![0x6C, 0x73, 0x7A].contains(w.last!) {
                w.removeLast()
            } else if measure(w, w.count) == 1, endsCVC(w, w.count) {
                w.append(0x65)
            }
        }
        // Step 1c: -y after a vowel in the stem.
        if w.last == y, hasVowel(w, w.count - 1) { w[w.count - 1] = 0x69 }
        replace(&w, step2, minMeasure: 0)
        replace(&w, step3, minMeasure: 0)
        // Step 4: -ion only after s or t.
        for suffix in step4 where ends(w, suffix) {
            let stem = w.count - suffix.count
            if measure(w, stem) > 1, suffix != s("ion") || (stem > 0 && (w[stem - 1] == 0x73 || w[stem - 1] == 0x74)) {
                w.removeLast(suffix.count)
            }
            break
        }
        // Step 5: a final -e, a final double l.
        if w.last == 0x65 {
            let m = measure(w, w.count - 1)
            if m > 1 || (m == 1 && !endsCVC(w, w.count - 1)) { w.removeLast() }
        }
        if w.count >= 2, w.last == 0x6C, endsDoubleConsonant(w, w.count), measure(w, w.count) > 1 { w.removeLast() }
        return w
    }
}
