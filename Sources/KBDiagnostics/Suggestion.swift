/// "Did you mean ...?" for misspelt names: the closest candidate by edit distance,
/// when it is close enough to be a plausible typo.
public enum Suggestion {
    /// The candidate nearest to `word`, or nil when none is within a third of its length.
    public static func closest(to word: String, in candidates: some Sequence<String>, caseSensitive: Bool = false)
        -> String?
    {
        let target = Array((caseSensitive ? word : word.lowercased()).unicodeScalars)
        let limit = max(1, target.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            // Lengths first (lowercasing keeps an ASCII name's length): most stop here.
            if abs(candidate.utf8.count - target.count) > limit, candidate.utf8.allSatisfy({ $0 < 0x80 }) { continue }
            let scalars = Array((caseSensitive ? candidate : candidate.lowercased()).unicodeScalars)
            guard abs(scalars.count - target.count) <= limit else { continue }
            let distance = editDistance(target, scalars, bound: min(limit, (best?.1 ?? .max) - 1))
            if distance <= limit, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    public static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        editDistance(a, b, bound: .max)
    }

    /// The distance, or some value above `bound` as soon as every entry of two
    /// consecutive rows exceeds it (a transposition reaches back two rows): the
    /// distance can then only be larger.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], bound: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        var previousMin = 0
        for i in 1...a.count {
            current[0] = i
            var currentMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
                currentMin = min(currentMin, current[j])
            }
            if currentMin > bound, previousMin > bound { return bound + 1 }
            previousMin = currentMin
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
