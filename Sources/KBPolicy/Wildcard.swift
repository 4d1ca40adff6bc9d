/// IAM's `*` and `?` wildcards: `*` matches any run of characters (including `/`
/// and `:`), `?` exactly one.
///
/// Matching uses the classic two-pointer algorithm that only ever backtracks to the
/// most recent `*`, so it takes at most O(pattern × text) steps: hostile patterns
/// such as `*a*a*a*a*b` cannot make it exponential.
public enum Wildcard {
    /// One element of a compiled pattern. Literal `*` and `?` (from the policy
    /// variable escapes `${*}` and `${?}`) are `.literal`.
    public enum Token: Hashable, Sendable {
        case literal(Unicode.Scalar)
        case anyOne
        case anyRun
    }

    public static func tokens(_ pattern: String) -> [Token] {
        pattern.unicodeScalars.map { $0 == "*" ? .anyRun : $0 == "?" ? .anyOne : .literal($0) }
    }

    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        let p = tokens(caseInsensitive ? pattern.lowercased() : pattern)
        let t = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        return matches(p, t)
    }

    public static func matches(_ p: [Token], _ t: [Unicode.Scalar]) -> Bool {
        var pi = 0
        var ti = 0
        var star = -1
        var resume = 0
        while ti < t.count {
            if pi < p.count, p[pi] == .anyOne || p[pi] == .literal(t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == .anyRun {
                star = pi
                resume = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                resume += 1
                ti = resume
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == .anyRun { pi += 1 }
        return pi == p.count
    }

    /// Whether a string contains `*` or `?`.
    public static func isPattern(_ text: String) -> Bool {
        func scan<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
            bytes.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
        }
        return text.utf8.withContiguousStorageIfAvailable(scan) ?? scan(text.utf8)
    }
}

extension Wildcard {
    /// Matches without allocating, on the UTF-8 bytes of both strings: `?` takes
    /// one whole character, `*` backtracks a character at a time. With
    /// `ignoringASCIICase`, A–Z and a–z compare equal (action names are ASCII).
    public static func matchesBytes(_ pattern: String, _ text: String, ignoringASCIICase: Bool = false) -> Bool {
        var pattern = pattern
        var text = text
        return pattern.withUTF8 { p in
            text.withUTF8 { t in matches(p, t, ignoringASCIICase: ignoringASCIICase) }
        }
    }

    /// The same on byte arrays already in hand (the redundancy checks keep them).
    public static func matchesBytes(_ pattern: [UInt8], _ text: [UInt8], ignoringASCIICase: Bool = false) -> Bool {
        pattern.withUnsafeBufferPointer { p in
            text.withUnsafeBufferPointer { t in matches(p, t, ignoringASCIICase: ignoringASCIICase) }
        }
    }

    static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>, ignoringASCIICase: Bool)
        -> Bool
    {
        let star = UInt8(ascii: "*")
        let question = UInt8(ascii: "?")
        @inline(__always) func fold(_ byte: UInt8) -> UInt8 {
            ignoringASCIICase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        @inline(__always) func nextScalar(_ index: Int) -> Int {
            var next = index + 1
            while next < t.count, t[next] & 0xC0 == 0x80 { next += 1 }
            return next
        }
        var pi = 0
        var ti = 0
        var starAt = -1
        var resume = 0
        while ti < t.count {
            if pi < p.count, p[pi] == question {
                pi += 1
                ti = nextScalar(ti)
            } else if pi < p.count, p[pi] != star, fold(p[pi]) == fold(t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == star {
                starAt = pi
                resume = ti
                pi += 1
            } else if starAt >= 0 {
                pi = starAt + 1
                resume = nextScalar(resume)
                ti = resume
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == star { pi += 1 }
        return pi == p.count
    }
}

extension String {
    /// Whether the text holds `${`: a policy variable or a placeholder in its form.
    /// On the bytes: `contains("${")` searches by Characters, and runs on every value.
    public var containsVariableOpening: Bool {
        func scan<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
            var previous: UInt8 = 0
            for byte in bytes {
                if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return true }
                previous = byte
            }
            return false
        }
        return utf8.withContiguousStorageIfAvailable { buffer in
            // Nearly every value has no `$` at all: look for that first.
            guard buffer.count > 1, let dollar = buffer.firstIndex(of: UInt8(ascii: "$")) else { return false }
            return scan(buffer[dollar...])
        } ?? scan(utf8)
    }

    /// Whether `needle`'s UTF-8 bytes occur in the text. `contains(_:)` with a string
    /// compares Characters through the string-processing library, far slower on the
    /// short ASCII names of the catalogue.
    public func containsBytes(_ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard let first = needle.first else { return true }
        let bytes = utf8
        let last = bytes.count - needle.count
        guard last >= 0 else { return false }
        var start = bytes.startIndex
        for offset in 0...last {
            defer { start = bytes.index(after: start) }
            guard bytes[start] == first else { continue }
            var index = bytes.index(after: start)
            var matched = true
            for byte in needle.dropFirst() {
                if bytes[index] != byte {
                    matched = false
                    break
                }
                index = bytes.index(after: index)
            }
            if matched { return true }
            _ = offset
        }
        return false
    }
}
