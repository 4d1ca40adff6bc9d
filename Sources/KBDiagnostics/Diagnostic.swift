/// How bad a finding is. Only errors fail `kbtool verify`.
public enum Severity: String, Sendable, Codable, CaseIterable {
    case error, warning, note
}

/// A stable identifier for a check, printed in brackets after the message
/// (`[json-syntax]`) so users can search for it and tools can filter on it.
public struct RuleID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// Another place that explains a finding, e.g. the first of two duplicate keys.
public struct RelatedLocation: Hashable, Sendable, Codable {
    public var range: SourceRange
    public var message: String

    public init(range: SourceRange, message: String) {
        self.range = range
        self.message = message
    }
}

/// A machine-applicable edit: replace `range` with `replacement`.
public struct FixIt: Hashable, Sendable, Codable {
    public var range: SourceRange
    public var replacement: String
    /// A short imperative description, e.g. "insert ','".
    public var message: String
    /// Whether `kbtool verify --fix` may apply it unasked: the edit has one
    /// possible meaning (a missing comma, a letter's case), not a guess.
    public var isUnambiguous: Bool

    public init(range: SourceRange, replacement: String, message: String, isUnambiguous: Bool = false) {
        self.range = range
        self.replacement = replacement
        self.message = message
        self.isUnambiguous = isUnambiguous
    }
}

/// One finding. A value, so checks can be tested without rendering anything.
public struct Diagnostic: Hashable, Sendable, Codable {
    public var severity: Severity
    public var rule: RuleID
    public var message: String
    public var range: SourceRange
    public var related: [RelatedLocation]
    public var fix: FixIt?
    /// Extra sentences printed after the source excerpt ("help: ...").
    public var notes: [String]
    /// The id this finding was reported under before its rule family was
    /// merged (`transcript-command` for a transcript's usage errors, now
    /// `command-*`): `kbtool.yml` levels and `kbtool-disable` comments naming
    /// it still apply, so existing configurations keep working.
    public var formerRule: RuleID?

    public init(
        _ severity: Severity,
        _ rule: RuleID,
        _ message: String,
        at range: SourceRange,
        related: [RelatedLocation] = [],
        fix: FixIt? = nil,
        notes: [String] = []
    ) {
        self.severity = severity
        self.rule = rule
        self.message = message
        self.range = range
        self.related = related
        self.fix = fix
        self.notes = notes
    }
}

extension Diagnostic {
    /// Orders diagnostics by file, then position, then severity, for stable output.
    public static func sortedForOutput(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let severityRank: [Severity: Int] = [.error: 0, .warning: 1, .note: 2]
        return diagnostics.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if a.range.file != b.range.file { return a.range.file < b.range.file }
            if a.range.start != b.range.start { return a.range.start < b.range.start }
            if a.severity != b.severity { return severityRank[a.severity]! < severityRank[b.severity]! }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}

/// Counts printed at the end of a run. `passed`/`failed` count checked items
/// (blocks, examples, each guide's own prose checks) so a CI log reads like a test run.
public struct DiagnosticSummary: Hashable, Sendable, Codable {
    public var files: Int
    public var errors: Int
    public var warnings: Int
    public var notes: Int
    public var passed: Int
    public var failed: Int

    public init(files: Int, diagnostics: [Diagnostic], passed: Int, failed: Int) {
        self.files = files
        self.errors = diagnostics.filter { $0.severity == .error }.count
        self.warnings = diagnostics.filter { $0.severity == .warning }.count
        self.notes = diagnostics.filter { $0.severity == .note }.count
        self.passed = passed
        self.failed = failed
    }
}
