/// The Snowball stemmer for Russian (Porter's algorithm as published at snowballstem.org), so that
/// «стоимость», «стоимости», «стоимостью» all become «стоимост». Works on lower-case scalars with
/// «ё» already folded into «е» (see `Words`).
enum RussianStemmer {
    typealias Ending = [UInt32]

    private static func endings(_ list: [String]) -> [Ending] {
        // Longest first: Snowball removes the longest ending of a group that matches.
        list.map { $0.unicodeScalars.map(\.value) }.sorted { $0.count > $1.count }
    }

    private static let a: UInt32 = 0x430, ya: UInt32 = 0x44F, i: UInt32 = 0x438, n: UInt32 = 0x43D,
        softSign: UInt32 = 0x44C
    private static let vowels: Set<UInt32> = Set("аеиоуыэюя".unicodeScalars.map(\.value))

    private static let perfectiveGerund1 = endings(["в", "вши", "вшись"])
    private static let perfectiveGerund2 = endings(["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"])
    private static let adjective = endings([
        "ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом",
        "его", "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею",
    ])
    private static let participle1 = endings(["ем", "нн", "вш", "ющ", "щ"])
    private static let participle2 = endings(["ивш", "ывш", "ующ"])
    private static let reflexive = endings(["ся", "сь"])
    private static let verb1 = endings([
        "ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно",
    ])
    private static let verb2 = endings([
        "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен",
        "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю",
    ])
    private static let noun = endings([
        "а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й",
        "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я",
    ])
    private static let superlative = endings(["ейше", "ейш"])
    private static let derivational = endings(["ость", "ост"])

    static func stem(_ word: [UInt32]) -> [UInt32] {
        var w = word
        // RV: after the first vowel. R2: the region after the second vowel-then-consonant.
        guard let firstVowel = w.firstIndex(where: vowels.contains) else { return w }
        let rv = firstVowel + 1
        func regionAfterVowelConsonant(from start: Int) -> Int {
            var k = start
            while k < w.count, !vowels.contains(w[k]) { k += 1 }
            while k < w.count, vowels.contains(w[k]) { k += 1 }
            return min(w.count, k + 1)
        }
        let r1 = regionAfterVowelConsonant(from: 0)
        let r2 = regionAfterVowelConsonant(from: r1)

        /// Removes the longest of `list` ending inside `region`; `afterAOrYa`: only when "а" or "я" precedes it (kept).
        func remove(_ list: [Ending], region: Int = rv, afterAOrYa: Bool = false) -> Bool {
            for e in list where w.count - e.count >= region && w.count >= e.count && w.suffix(e.count).elementsEqual(e)
            {
                let cut = w.count - e.count
                if afterAOrYa {
                    guard cut - 1 >= region, w[cut - 1] == a || w[cut - 1] == ya else { return false }
                }
                w.removeLast(e.count)
                return true
            }
            return false
        }
        /// Tries the "after а/я" group and the plain group; the longer matching ending wins.
        func removeEither(_ group1: [Ending], _ group2: [Ending]) -> Bool {
            let l1 = group1.first { w.count - $0.count >= rv && w.suffix($0.count).elementsEqual($0) }?.count ?? 0
            let l2 = group2.first { w.count - $0.count >= rv && w.suffix($0.count).elementsEqual($0) }?.count ?? 0
            if l2 >= l1, l2 > 0 { return remove(group2) }
            return l1 > 0 && remove(group1, afterAOrYa: true)
        }

        // Step 1.
        if !removeEither(perfectiveGerund1, perfectiveGerund2) {
            _ = remove(reflexive)
            if remove(adjective) {
                _ = removeEither(participle1, participle2)
            } else if !removeEither(verb1, verb2) {
                _ = remove(noun)
            }
        }
        // Step 2.
        if w.count > rv, w.last == i { w.removeLast() }
        // Step 3.
        _ = remove(derivational, region: r2)
        // Step 4.
        if w.count >= 2, w.count - 2 >= rv, w[w.count - 1] == n, w[w.count - 2] == n {
            w.removeLast()
        } else if remove(superlative) {
            if w.count >= 2, w.count - 2 >= rv, w[w.count - 1] == n, w[w.count - 2] == n { w.removeLast() }
        } else if w.count > rv, w.last == softSign {
            w.removeLast()
        }
        return w
    }
}
