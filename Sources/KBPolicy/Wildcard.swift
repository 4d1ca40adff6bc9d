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
        text.contains("*") || text.contains("?")
    }
}
