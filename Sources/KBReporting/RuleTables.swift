import Foundation
import KBDiagnostics

/// The README's rule tables, made from the registry: `scripts/rule-tables`
/// writes them between the README's markers, and a test fails when they are stale.
public enum RuleTables {
    /// One table per README section: the policy checks (`policy-*`) and every other rule.
    public static func sections(_ registry: RuleRegistry) -> [(name: String, table: String)] {
        let policies = registry.rules.filter { $0.id.rawValue.hasPrefix("policy-") }
        let others = registry.rules.filter { !$0.id.rawValue.hasPrefix("policy-") }
        return [("rules", table(others)), ("policy-rules", table(policies))]
    }

    /// A markdown table: rule, default severity, summary.
    public static func table(_ rules: [Rule]) -> String {
        var lines = ["| Rule | Severity | What |", "| --- | --- | --- |"]
        for rule in rules {
            let summary = rule.summary.replacingOccurrences(of: "|", with: "\\|")
            lines.append("| `\(rule.id)` | \(rule.severity.rawValue) | \(summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The marker lines a section sits between in the README.
    public static func markers(_ name: String) -> (begin: String, end: String) {
        (
            "<!-- BEGIN \(name): generated from the rule registry by scripts/rule-tables; do not edit -->",
            "<!-- END \(name) -->"
        )
    }

    /// Every section with its markers, as `kbtool explain --markdown` prints them.
    public static func document(_ registry: RuleRegistry) -> String {
        sections(registry).map { section in
            let (begin, end) = markers(section.name)
            return begin + "\n" + section.table + end + "\n"
        }.joined()
    }
}
