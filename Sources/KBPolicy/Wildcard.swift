/// IAM's `*` and `?` wildcards: `*` matches any run of characters (including `/`
/// and `:`), `?` exactly one.
///
/// Matching uses the classic two-pointer algorithm that only ever backtracks to the
/// most recent `*`, so it takes at most O(pattern × text) steps: hostile patterns
/// such as `*a*a*a*a*b` cannot make it exponential.
public enum Wildcard {
    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
        let t = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        return matches(p, t)
    }

    static func matches(_ p: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Bool {
        var pi = 0
        var ti = 0
        var star = -1
        var resume = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || (p[pi] == t[ti] && p[pi] != "*") {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
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
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Whether a string contains `*` or `?`.
    public static func isPattern(_ text: String) -> Bool {
        text.contains("*") || text.contains("?")
    }
}
