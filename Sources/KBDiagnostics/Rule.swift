/// A check's rule, declared once beside the check that reports it: its id, the
/// severity its findings usually have, and the documentation that `kbtool
/// explain`, SARIF rule metadata and the README's rule tables are made from.
///
/// ```swift
/// extension Rule {
///     public static let jsonSyntax = Rule(
///         "json-syntax", .error,
///         summary: "A JSON block is not valid RFC 8259 JSON.",
///         why: "…", fix: "…", example: "expected ',' between array elements")
/// }
/// ```
///
/// Each module lists its rules once more, in its registration list, so the
/// registry of the whole tool can be assembled without reflection.
public struct Rule: Sendable, Hashable, CustomStringConvertible {
    /// Printed in brackets after a finding; a public interface: never rename one.
    public let id: RuleID
    /// The severity its findings usually have (a few rules report several).
    public let severity: Severity
    /// One line: what the rule reports.
    public let summary: String
    /// Why it matters to a reader who copies the guide into production.
    public let why: String
    /// How to fix a finding.
    public let fix: String
    /// A short example of a finding's message.
    public let example: String?

    public init(
        _ id: String, _ severity: Severity, summary: String, why: String, fix: String, example: String? = nil
    ) {
        self.id = RuleID(id)
        self.severity = severity
        self.summary = summary
        self.why = why
        self.fix = fix
        self.example = example
    }

    public var description: String { id.rawValue }

    /// Ids that were folded into another rule, and the rule they now are: a
    /// `kbtool.yml` level or a `kbtool-disable` comment naming the old id keeps
    /// working (ids are a public interface).
    public static let formerIDs: [String: String] = [
        // Outdated and false statements are one family wherever they stand (#15).
        "prose-outdated-claim": "fact-outdated"
    ]

    /// The rule id `id` names today: itself, or the rule a former id became.
    public static func currentID(_ id: String) -> String { formerIDs[id] ?? id }

    /// Rules are equal when their ids are: an id names one rule.
    public static func == (lhs: Rule, rhs: Rule) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension RuleID {
    /// Whether a finding with this id was reported by `rule`: `finding.rule == .guideFlow`.
    public static func == (lhs: RuleID, rhs: Rule) -> Bool { lhs == rhs.id }
    public static func != (lhs: RuleID, rhs: Rule) -> Bool { lhs != rhs.id }
}

extension Diagnostic {
    /// A finding of `rule`.
    public init(
        _ severity: Severity, _ rule: Rule, _ message: String, at range: SourceRange,
        related: [RelatedLocation] = [], fix: FixIt? = nil, notes: [String] = []
    ) {
        self.init(severity, rule.id, message, at: range, related: related, fix: fix, notes: notes)
    }
}

/// Every rule of the tool, assembled from the modules' registration lists: what
/// `explain` lists, what `kbtool.yml` may name, and what SARIF describes.
public struct RuleRegistry: Sendable {
    /// In registration order: module by module, each in its list's order.
    public let rules: [Rule]
    private let byID: [String: Rule]

    /// Assembles lists of rules; an id registered twice is a programming error.
    public init(_ lists: [[Rule]]) {
        rules = lists.flatMap { $0 }
        var byID: [String: Rule] = [:]
        for rule in rules {
            precondition(byID[rule.id.rawValue] == nil, "rule '\(rule.id)' is registered twice")
            byID[rule.id.rawValue] = rule
        }
        self.byID = byID
    }

    /// The rule with this id, if the tool has one.
    public subscript(id id: String) -> Rule? { byID[id] }

    public func contains(_ id: String) -> Bool { byID[id] != nil }

    /// Every id, sorted.
    public var ids: [String] { byID.keys.sorted() }

    /// The registered id closest to a misspelt one, for "did you mean".
    public func closest(to id: String) -> String? {
        Suggestion.closest(to: id, in: byID.keys)
    }
}
