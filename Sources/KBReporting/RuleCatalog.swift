import KBDiagnostics

/// What a rule checks, why it matters and how to fix what it finds: the text of
/// `kbtool explain RULE`, and the rule metadata of SARIF output.
public struct RuleDocumentation: Sendable, Hashable {
    public var id: String
    /// One line: what the rule reports.
    public var summary: String
    /// Why it matters to a reader who copies the guide into production.
    public var why: String
    /// How to fix a finding.
    public var fix: String
    /// The severity its findings usually have (a few rules report several).
    public var severity: Severity
    /// A short example of a finding, optional.
    public var example: String?
}

public enum RuleCatalog {
    /// Every rule kbtool reports, by id.
    public static let rules: [String: RuleDocumentation] = Dictionary(
        uniqueKeysWithValues: entries.map { ($0.id, $0) })

    static let entries: [RuleDocumentation] = RuleCatalogEntries.all
}
