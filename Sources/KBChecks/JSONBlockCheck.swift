import KBDiagnostics
import KBGuide
import KBJSON

/// A code block that kbtool reads as JSON, with what parsing made of it.
public struct JSONBlock: Sendable {
    public var code: CodeBlock
    /// The document, also after recovery; nil when parsing had to stop.
    public var value: JSONValue?
    public var diagnostics: [Diagnostic]
}

/// Finds the JSON blocks of a guide and reports their syntax errors in file coordinates.
public enum JSONBlockCheck {
    /// A block is JSON when its language says so, or when it has no language and
    /// its text starts with `{` or `[` (bare fences holding policies are common).
    public static func dialect(of code: CodeBlock) -> JSONParser.Options? {
        switch code.language {
        case "json": return .strict
        case "jsonc": return .jsonc
        case "json5": return .json5
        case nil:
            let first = code.literal.unicodeScalars.first { !$0.properties.isWhitespace }
            return first == "{" || first == "[" ? .strict : nil
        default:
            return nil
        }
    }

    public static func check(_ guide: Guide) -> [JSONBlock] {
        guide.codeBlocks.compactMap { code in
            guard let options = dialect(of: code) else { return nil }
            let result = JSONParser.parse(code.literal, options: options)
            return JSONBlock(
                code: code, value: result.value,
                diagnostics: result.issues.map { diagnostic($0, locate: code.locator, whole: code.range) })
        }
    }

    /// Turns a parser issue into a diagnostic. `whole` is where size limits point.
    static func diagnostic(_ issue: JSONIssue, locate: SourceLocator, whole: SourceRange) -> Diagnostic {
        let rule: RuleID
        let severity: Severity
        switch issue.kind {
        case .syntax: (rule, severity) = (.jsonSyntax, .error)
        case .duplicateKey: (rule, severity) = (.jsonDuplicateKey, .error)
        case .limit: (rule, severity) = (.jsonLimit, .error)
        case .questionable: (rule, severity) = (.jsonUnicode, .warning)
        }
        var notes: [String] = []
        if let assumption = issue.assumption { notes.append("kbtool \(assumption) and kept checking") }
        let range = issue.kind == .limit ? whole : locate.range(issue.range)
        return Diagnostic(
            severity, rule, issue.message, at: range,
            related: issue.related.map {
                RelatedLocation(range: locate.range($0.range), message: $0.message)
            },
            fix: issue.fix.map {
                // The parser only recovers when the fix is unambiguous.
                FixIt(
                    range: locate.range($0.range), replacement: $0.replacement, message: $0.message,
                    isUnambiguous: true)
            },
            notes: notes)
    }
}
