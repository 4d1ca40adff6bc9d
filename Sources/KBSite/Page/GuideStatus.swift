import KBChecks
import KBDiagnostics

/// What verification actually checked in a guide, by kind. A guide's prose
/// checks (front matter, links, encoding) are not counted: they run on every
/// guide, so they make nothing "verified".
public struct CheckCounts: Sendable, Hashable {
    public var blocks = 0
    public var commands = 0
    public var facts = 0
    public var flows = 0

    public init() {}

    public init(_ items: [CheckedItem]) {
        for item in items {
            switch item.kind {
            case .jsonBlock, .policyFile: blocks += 1
            case .example, .command: commands += 1
            case .fact: facts += 1
            case .flow: flows += 1
            case .guide: break
            }
        }
    }

    public var total: Int { blocks + commands + facts + flows }

    static func + (a: CheckCounts, b: CheckCounts) -> CheckCounts {
        var sum = a
        sum.blocks += b.blocks
        sum.commands += b.commands
        sum.facts += b.facts
        sum.flows += b.flows
        return sum
    }

    /// "3 policy blocks, 2 commands, 1 fact", or "" when nothing was checked.
    var words: String {
        [
            (blocks, "policy block"), (commands, "command"), (facts, "fact"), (flows, "cross-account flow"),
        ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }.joined(separator: ", ")
    }
}

/// A guide's status as the site states it: verified only when something was
/// checked and all of it passed.
public enum GuideStatus: Sendable, Hashable {
    case verified
    case problems(errors: Int, warnings: Int)
    case notChecked

    init(_ findings: GuideFindings) {
        let errors = findings.diagnostics.filter { $0.severity == .error }.count
        let warnings = findings.diagnostics.filter { $0.severity == .warning }.count
        if errors > 0 || warnings > 0 {
            self = .problems(errors: errors, warnings: warnings)
        } else {
            self = findings.checked.total == 0 ? .notChecked : .verified
        }
    }

    /// The CSS status class (`status-pass`…).
    var cssClass: String {
        switch self {
        case .verified: return "pass"
        case .problems(let errors, _): return errors > 0 ? "fail" : "warn"
        case .notChecked: return "skip"
        }
    }

    /// A badge's words: "verified", "2 errors, 1 warning", "not checked".
    var words: String {
        switch self {
        case .verified: return "verified"
        case .notChecked: return "not checked"
        case .problems(let errors, let warnings):
            return [(errors, "error"), (warnings, "warning")].filter { $0.0 > 0 }
                .map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }.joined(separator: ", ")
        }
    }
}

/// What the home page says of one guide: its status and what was checked.
/// Kept for every guide while the pages themselves go to disk.
public struct GuideTally: Sendable, Hashable {
    public var status: GuideStatus = .notChecked
    public var checked = CheckCounts()
    public var passed = 0
    public var failed = 0

    public init() {}

    public init(_ findings: GuideFindings) {
        status = findings.status
        checked = findings.checked
        passed = findings.passed
        failed = findings.failed
    }
}
