extension Wildcard {
    /// Whether every string `narrower` matches, `wider` matches too: the language of
    /// one pattern inside the other's. Sound, not complete: a `true` is always right,
    /// and the rare `false` for an inclusion it misses (`?*` in `*?`) only means a
    /// redundancy goes unreported.
    public static func covers(_ wider: String, _ narrower: String, ignoringASCIICase: Bool = false) -> Bool {
        func fold(_ text: String) -> [UInt8] {
            ignoringASCIICase ? text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } : Array(text.utf8)
        }
        return covers(fold(wider), fold(narrower))
    }

    /// The same on bytes already in hand (folded to lower case when case is ignored).
    ///
    /// The narrower pattern is read as a string whose `*` and `?` are symbols of their
    /// own, and the wider one matched against it: its `*` absorbs anything, its `?` any
    /// one symbol but a `*`, its literals only themselves. That is glob matching, done
    /// with the two-pointer walk that backtracks only to the last `*`: O(n × m) at
    /// worst, linear in practice, no allocation.
    public static func covers(_ q: [UInt8], _ p: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        let one = UInt8(ascii: "?")
        var qi = 0
        var pi = 0
        var starAt = -1
        var resume = 0
        while pi < p.count {
            if qi < q.count, q[qi] == star {
                starAt = qi
                resume = pi
                qi += 1
            } else if qi < q.count, q[qi] == one ? p[pi] != star : q[qi] == p[pi] && p[pi] != star && p[pi] != one {
                qi += 1
                pi += 1
            } else if starAt >= 0 {
                qi = starAt + 1
                resume += 1
                pi = resume
            } else {
                return false
            }
        }
        while qi < q.count, q[qi] == star { qi += 1 }
        return qi == q.count
    }
}
