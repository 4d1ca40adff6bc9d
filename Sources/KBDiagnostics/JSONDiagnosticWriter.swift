import Foundation

/// Writes one JSON document (`--format json`) for tools and CI annotations.
/// Field names are a public interface: add fields, never rename them.
public struct JSONDiagnosticWriter: Sendable {
    public init() {}

    public func render(_ diagnostics: [Diagnostic], summary: DiagnosticSummary) -> String {
        render(diagnostics, summary: summary, examples: [String]())
    }

    /// With `examples`: the commands of the guides' transcripts and how each went.
    public func render<Example: Encodable>(_ diagnostics: [Diagnostic], summary: DiagnosticSummary, examples: [Example])
        -> String
    {
        render(
            diagnostics, summary: summary, examples: examples, facts: [String](), blocks: [String](), flows: [String]())
    }

    /// Everything: transcript `examples`, `facts` with their claims, JSON
    /// `blocks` with their kinds and evidence, and cross-account `flows`.
    public func render<Example: Encodable, Fact: Encodable, Block: Encodable, Flow: Encodable>(
        _ diagnostics: [Diagnostic], summary: DiagnosticSummary, examples: [Example], facts: [Fact], blocks: [Block],
        flows: [Flow]
    ) -> String {
        let document = Document(
            version: 1,
            diagnostics: Diagnostic.sortedForOutput(diagnostics).map(Entry.init),
            summary: summary,
            examples: examples, facts: facts, blocks: blocks, flows: flows
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The document printed when the run could not start (bad usage, unreadable
    /// input): no diagnostics, and the reason in `error`.
    public func renderFailure(_ message: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Failure(version: 1, error: message, diagnostics: []))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    struct Failure: Encodable {
        var version: Int
        var error: String
        var diagnostics: [Entry]
    }

    struct Document<Example: Encodable, Fact: Encodable, Block: Encodable, Flow: Encodable>: Encodable {
        var version: Int
        var diagnostics: [Entry]
        var summary: DiagnosticSummary
        var examples: [Example]
        var facts: [Fact]
        var blocks: [Block]
        var flows: [Flow]
    }

    struct Entry: Encodable {
        var file: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var severity: Severity
        var rule: String
        var message: String
        var notes: [String]
        var related: [Related]
        var fix: Fix?

        init(_ diagnostic: Diagnostic) {
            file = diagnostic.range.file
            line = diagnostic.range.start.line
            column = diagnostic.range.start.column
            endLine = diagnostic.range.end.line
            endColumn = diagnostic.range.end.column
            severity = diagnostic.severity
            rule = diagnostic.rule.rawValue
            message = diagnostic.message
            notes = diagnostic.notes
            related = diagnostic.related.map(Related.init)
            fix = diagnostic.fix.map(Fix.init)
        }
    }

    struct Related: Encodable {
        var file: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var message: String

        init(_ related: RelatedLocation) {
            file = related.range.file
            line = related.range.start.line
            column = related.range.start.column
            endLine = related.range.end.line
            endColumn = related.range.end.column
            message = related.message
        }
    }

    struct Fix: Encodable {
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var replacement: String
        var message: String

        init(_ fix: FixIt) {
            line = fix.range.start.line
            column = fix.range.start.column
            endLine = fix.range.end.line
            endColumn = fix.range.end.column
            replacement = fix.replacement
            message = fix.message
        }
    }
}
