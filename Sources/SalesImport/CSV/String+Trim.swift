extension String {
    /// Without leading and trailing spaces and tabs. Foundation's `trimmingCharacters(in:)` costs a
    /// quarter of an import on Linux; most fields need no trimming, and then nothing is copied.
    var trimmedSpaces: String {
        let u = utf8
        guard let first = u.first, let last = u.last else { return self }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard blank(first) || blank(last) else { return self }
        guard let s = u.firstIndex(where: { !blank($0) }), let e = u.lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[s...e])
    }
}
