import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBGuide
import KBPolicy
import KBPolicyLint
import KBShell
import KBTranscript

/// A JSON block: highlighted, numbered with the guide's own line numbers, its
/// findings under the lines they are about, and for a policy a badge for its kind
/// and what it grants in words.
struct PolicyBlockView {
    let code: CodeBlock
    let block: ClassifiedBlock?
    let findingsByLine: [Int: [Diagnostic]]
    let owner: String?
    private(set) var shownLines: Set<Int> = []
    /// Actions and ARNs the block names, for search.
    private(set) var keywords: [String] = []

    init(code: CodeBlock, block: ClassifiedBlock?, findingsByLine: [Int: [Diagnostic]], owner: String?) {
        self.code = code
        self.block = block
        self.findingsByLine = findingsByLine
        self.owner = owner
    }

    mutating func render() -> String {
        let lines = JSONHighlighter.lines(code.literal)
        let errors = findings(in: code.range).filter { $0.severity == .error }.count
        let warnings = findings(in: code.range).filter { $0.severity == .warning }.count
        var classes = "code-block policy-block"
        if errors > 0 { classes += " has-error" } else if warnings > 0 { classes += " has-warning" }
        var html = "<figure class=\"\(classes)\" data-lang=\"json\" id=\"block-L\(code.range.start.line)\">"
        html += "<figcaption class=\"code-caption\">"
        if let block, block.kind != .jsonData {
            html +=
                "<span class=\"badge badge-kind kind-\(Self.kindClass(block.kind))\" title=\"\(HTML.attribute("decided by " + block.evidence))\">\(HTML.escape(block.kind.description))</span> "
        }
        if let title = code.attribute("title") {
            html += "<span class=\"code-title\">\(HTML.escape(title))</span> "
        }
        let status = errors > 0 ? "fail" : warnings > 0 ? "warn" : "pass"
        let words =
            errors > 0
            ? "\(errors) error\(errors == 1 ? "" : "s")"
            : warnings > 0 ? "\(warnings) warning\(warnings == 1 ? "" : "s")" : "verified"
        html += "<span class=\"badge badge-status status-\(status)\">\(words)</span></figcaption>"
        html += "<pre><code class=\"language-json\">"
        // The fence's line holds findings about the info string (`kind=`).
        html += inlineFindings(line: code.range.start.line)
        for (index, tokens) in lines.enumerated() {
            let fileLine = index < code.lines.count ? code.lines[index].line : code.range.start.line + 1 + index
            let found = findingsByLine[fileLine] ?? []
            let mark =
                found.contains { $0.severity == .error }
                ? " has-error" : found.contains { $0.severity == .warning } ? " has-warning" : ""
            html +=
                "<span class=\"line\(mark)\" data-line=\"\(fileLine)\"><span class=\"ln\" aria-hidden=\"true\">\(fileLine)</span>"
            html += JSONHighlighter.html(tokens) + "</span>\n"
            html += inlineFindings(line: fileLine)
            for token in tokens where token.kind == "tok-action" || token.kind == "tok-arn" {
                let word = String(token.text.dropFirst().dropLast())
                if !keywords.contains(word) { keywords.append(word) }
            }
        }
        // Findings on the closing fence or past the text (an unclosed object).
        // (An unclosed fence ends with its last line: then there are none.)
        let after = code.lines.last.map { $0.line + 1 } ?? code.range.start.line + 1
        for line in stride(from: after, through: max(code.range.end.line, code.range.start.line + 1), by: 1) {
            html += inlineFindings(line: line)
        }
        html += "</code></pre>"
        if let block, let document = block.document, case .policy(let kind) = block.kind {
            html += summary(document: document, kind: kind)
        }
        html += CopyButton.html(code.literal) + "</figure>\n"
        return html
    }

    private func findings(in range: SourceRange) -> [Diagnostic] {
        (range.start.line...max(range.end.line, range.start.line)).flatMap { findingsByLine[$0] ?? [] }
    }

    private mutating func inlineFindings(line: Int) -> String {
        guard let found = findingsByLine[line], !shownLines.contains(line) else { return "" }
        shownLines.insert(line)
        return found.map { FindingHTML.render($0, block: false) }.joined()
    }

    private func summary(document: PolicyDocument, kind: PolicyKind) -> String {
        let grants = PolicySummary.grants(document, kind: kind, owner: owner)
        guard !grants.isEmpty else { return "" }
        var html = "<div class=\"policy-summary\"><p>What this \(HTML.escape(kind.displayName)) says:</p><ul>"
        for grant in grants {
            let effect = grant.effect == .allow ? "allow" : "deny"
            html += "<li class=\"grant \(effect)\(grant.crossAccount ? " cross-account" : "")\">"
            html += HTML.escape(grant.sentence)
            if grant.crossAccount { html += " <span class=\"badge badge-cross\">across accounts</span>" }
            html += "</li>"
        }
        return html + "</ul></div>"
    }

    static func kindClass(_ kind: BlockKind) -> String {
        switch kind {
        case .policy(let kind):
            switch kind {
            case .identity: return "identity"
            case .bucket: return "bucket"
            case .key: return "key"
            case .trust: return "trust"
            case .scp: return "scp"
            case .rcp: return "rcp"
            }
        case .statement: return "statement"
        case .servicePolicy: return "service"
        case .configuration(.bucketEncryption): return "encryption"
        case .jsonData, .jsonLines, .illustration, .cliConfig, .logLines, .transcript, .shellCommands, .other:
            return "other"
        }
    }
}
