extension Array {
    /// In a list sorted by `key`, the elements from the first at or after `from`: what an "updated since" filter
    /// matches, found by a binary search (a simulated account holds hundreds of thousands of records).
    func since(_ from: Int64, by key: KeyPath<Element, Int64>) -> ArraySlice<Element> {
        var (lo, hi) = (0, count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid][keyPath: key] < from { lo = mid + 1 } else { hi = mid }
        }
        return self[lo...]
    }
}
