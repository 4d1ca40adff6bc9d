extension Wildcard {
    /// Whether every string `narrower` matches, `wider` matches too: the language of
    /// one pattern inside the other's. Sound, not complete: a `true` is always right,
    /// and the rare `false` for an inclusion it misses (`?*` in `*?`) only means a
    /// redundancy goes unreported. A table over (position, position), filled from
    /// the ends: O(n × m) time, no recursion; pairs too long to compare are `false`.
    public static func covers(_ wider: String, _ narrower: String, ignoringASCIICase: Bool = false) -> Bool {
        func fold(_ text: String) -> [UInt8] {
            ignoringASCIICase ? text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } : Array(text.utf8)
        }
        let q = fold(wider)
        let p = fold(narrower)
        // What both must start and end with: the wider pattern's literal ends must be
        // the narrower's (cheap, and it rules out nearly every pair before the table).
        let star = UInt8(ascii: "*")
        let one = UInt8(ascii: "?")
        let isLiteral = { (byte: UInt8) in byte != star && byte != one }
        let head = q.prefix(while: isLiteral)
        let tail = q.reversed().prefix(while: isLiteral)
        guard p.prefix(while: isLiteral).starts(with: head),
            p.reversed().prefix(while: isLiteral).starts(with: tail)
        else { return false }
        let width = q.count + 1
        guard (p.count + 1) * width <= 1 << 20 else { return false }
        // table[i * width + j]: does q[j...] cover p[i...]?
        var table = [Bool](repeating: false, count: (p.count + 1) * width)
        for i in stride(from: p.count, through: 0, by: -1) {
            for j in stride(from: q.count, through: 0, by: -1) {
                let result: Bool
                if j == q.count {
                    result = i == p.count
                } else if q[j] == star {
                    // The wider `*` stops here, or absorbs the narrower's next token (its `*` included).
                    result = table[i * width + j + 1] || (i < p.count && table[(i + 1) * width + j])
                } else if i == p.count || p[i] == star {
                    // Only a `*` can absorb the narrower pattern's `*`.
                    result = false
                } else if p[i] == one {
                    result = q[j] == one && table[(i + 1) * width + j + 1]
                } else {
                    result = (q[j] == one || q[j] == p[i]) && table[(i + 1) * width + j + 1]
                }
                table[i * width + j] = result
            }
        }
        return table[0]
    }
}
