import KBBlocks
import KBDiagnostics
import KBGuide
import KBJSON

extension Rule {
    public static let jsonSyntax = Rule(
        "json-syntax", .error,
        summary: "A JSON block is not valid RFC 8259 JSON.",
        why:
            "Readers paste policy blocks into the console or the CLI, which reject invalid JSON; a guide that shows broken JSON fails its readers at the first step.",
        fix:
            "Apply the suggested fix (kbtool verify --fix applies the unambiguous ones), or mark the block `jsonc`/`json5` if it is meant to carry comments.",
        example: "expected ',' between array elements")

    public static let jsonDuplicateKey = Rule(
        "json-duplicate-key", .error,
        summary: "A JSON object has the same key twice.",
        why:
            "Parsers commonly keep only the last occurrence and drop the earlier one without a word: two `StringEquals` blocks under one `Condition` leave only the second condition in force.",
        fix:
            "Merge the two members into one (for a condition operator, put all its keys under a single `StringEquals`), or delete the one that is not meant.",
        example: "duplicate key \"Sid\": only the last one takes effect")

    public static let jsonLimit = Rule(
        "json-limit", .error,
        summary: "A JSON block is nested deeper than 128 levels or is larger than 4 MiB; it is not parsed.",
        why:
            "No policy comes near these limits (the largest quota, a key policy's, is 32 KB), so the block is generated or corrupted; kbtool checks nothing inside it.",
        fix: "Shrink or split the block; if it is sample data rather than a policy, move it to a file and link to it.",
        example: "JSON nested deeper than 128 levels")

    public static let jsonUnicode = Rule(
        "json-unicode", .warning,
        summary: "A `\\u` escape holds an unpaired UTF-16 surrogate, such as a lone `\\uD800`.",
        why:
            "RFC 8259 leaves its meaning open: parsers reject it, replace it with U+FFFD (as kbtool does) or keep it, so the value AWS stores or compares may differ from the one the reader sees.",
        fix: "Write the complete surrogate pair (`\\uD83D\\uDE00`) or the character itself, or remove the escape.",
        example: "unpaired UTF-16 surrogate in a \\u escape; it is read as U+FFFD")
}

/// Reports the syntax of a guide's JSON blocks in file coordinates: the block
/// classifier parsed each once, with the dialect its fence names and the
/// conventions of excerpts set aside.
///
/// A defect repeated through a block (a no-break space on every line, a comment
/// after every member) is one finding: the first, with the count and one fix for
/// all. Defects of text shown as a policy, or in a fence that says `json`, are
/// errors; in a bare fence of sample data (a response, a log record) they are
/// warnings, as the reader is not asked to paste it.
public enum JSONBlockCheck {
    /// The parser's issues for one block, in file coordinates, grouped.
    public static func diagnostics(of block: ClassifiedBlock, in source: SourceText? = nil) -> [Diagnostic] {
        guard block.kind.isJSON, let issues = block.json?.issues, !issues.isEmpty else { return [] }
        let locate = block.code.locator
        let pasted =
            block.isTaggedJSON || block.kind.isPolicyText || looksLikePolicy(block.code.literal)
            || block.paragraph.map(asksToPaste) == true
        // Each parser issue kind is one rule, so rule and message tell repeats apart.
        let findings = issues.map { (diagnostic: diagnostic($0, locate: locate, whole: block.code.range), owner: ()) }
        return RepeatedFindings.merge(findings, source: source).map { group in
            var found = group.diagnostic
            if !pasted && found.severity == .error {
                found.severity = .warning
                found.notes.append(
                    "the block reads as \(block.kind == .jsonData ? "sample data" : "\(block.kind)") in a fence without a language, and the text does not ask readers to paste it, so this is a warning (tag the fence `json` to make it an error)"
                )
            }
            return found
        }
    }

    /// Whether untagged text reads as a policy or statement to paste: it names
    /// `"Effect"` and `"Action"` (or `"NotAction"`), even when it does not parse.
    static func looksLikePolicy(_ text: String) -> Bool {
        text.contains("\"Effect\"") && (text.contains("\"Action\"") || text.contains("\"NotAction\""))
    }

    /// Whether the paragraph before the block asks the reader to save or paste
    /// it ("Save the following JSON in a file named `replication.json`").
    static func asksToPaste(_ paragraph: String) -> Bool {
        let text = paragraph.lowercased()
        return ["save the following", "save this", "file named", "copy the following", "paste"].contains {
            text.contains($0)
        }
    }

    /// Turns a parser issue into a diagnostic. `whole` is where size limits point.
    static func diagnostic(_ issue: JSONIssue, locate: SourceLocator, whole: SourceRange) -> Diagnostic {
        let rule: Rule
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

/// Each JSON block is an item, failed by its syntax errors. Blocks that only
/// look like JSON (log lines, INI files, JSON Lines, illustrations) are not.
struct JSONPass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        for block in input.guide.blocks where block.dialect != nil && block.kind.isJSON {
            let title = block.title.map { " `\($0)`" } ?? ""
            let item = checks.declare(
                .jsonBlock, at: block.code.range, name: "JSON block\(title)", key: .block(line: block.line))
            checks.report(JSONBlockCheck.diagnostics(of: block, in: input.guide.guide.source), against: item)
        }
    }
}
