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
        for line
            in (code.lines.last.map { $0.line + 1 } ?? code.range.start.line + 1)...max(
                code.range.end.line, code.range.start.line + 1)
        {
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
        case .configuration(.bucketEncryption): return "encryption"
        case .jsonData, .transcript, .shellCommands, .other: return "other"
        }
    }
}

/// A terminal session: each command marked with how it ran, the output the guide
/// shows, the diff when it differs, and what the engine did.
struct TranscriptView {
    let code: CodeBlock
    let examples: [Int: ExampleResult]
    let findingsByLine: [Int: [Diagnostic]]
    private(set) var shownLines: Set<Int> = []
    private(set) var keywords: [String] = []

    init(code: CodeBlock, examples: [Int: ExampleResult], findingsByLine: [Int: [Diagnostic]]) {
        self.code = code
        self.examples = examples
        self.findingsByLine = findingsByLine
    }

    mutating func render() -> String {
        let texts = code.lines.map(\.text)
        let (transcript, preamble) = TranscriptParser.parse(lines: texts)
        func fileLine(_ index: Int) -> Int {
            index < code.lines.count ? code.lines[index].line : code.range.start.line + 1 + index
        }
        var html = "<figure class=\"code-block transcript\" data-lang=\"\(HTML.attribute(code.language ?? ""))\">"
        let statuses = transcript.commands.map { examples[fileLine($0.firstLine)]?.status }
        let passed = statuses.filter { $0 == .pass }.count
        let failed = statuses.filter { $0 == .fail || $0 == .error }.count
        html += "<figcaption class=\"code-caption\">"
        if let title = code.attribute("title") { html += "<span class=\"code-title\">\(HTML.escape(title))</span> " }
        let status = failed > 0 ? "fail" : passed > 0 ? "pass" : "skip"
        html += "<span class=\"badge badge-status status-\(status)\">"
        html +=
            failed > 0
            ? "\(failed) of \(transcript.commands.count) failed"
            : passed > 0 ? "\(passed) of \(transcript.commands.count) ran as shown" : "not run"
        html += "</span></figcaption>"
        if !preamble.isEmpty {
            html += "<pre class=\"command-output\"><code>"
            html += preamble.map { HTML.escape(texts[$0]) }.joined(separator: "\n") + "</code></pre>"
        }
        html += "<div class=\"commands\">"
        for command in transcript.commands {
            let line = fileLine(command.firstLine)
            html += renderCommand(
                command, example: examples[line], line: line,
                lines: command.segments.map { fileLine($0.line) } + command.expected.map { fileLine($0.line) })
        }
        html += "</div>"
        let clean = transcript.commands.map(\.text).joined(separator: "\n")
        html += CopyButton.html(clean, label: "Copy commands") + "</figure>\n"
        return html
    }

    private mutating func renderCommand(_ command: TranscriptCommand, example: ExampleResult?, line: Int, lines: [Int])
        -> String
    {
        let status = example?.status.rawValue ?? "unsupported"
        let (mark, label) = Self.mark(example?.status)
        var html = "<div class=\"command status-\(status)\" id=\"cmd-L\(line)\">"
        html +=
            "<div class=\"command-line\"><span class=\"mark\" title=\"\(label)\" aria-label=\"\(label)\">\(mark)</span>"
        html +=
            "<pre class=\"command-text\"><code><span class=\"prompt\" aria-hidden=\"true\">$ </span>\(HTML.escape(command.text))</code></pre>"
        html += CopyButton.html(command.text) + "</div>"
        for word in command.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\"" || $0 == "'" })
        where word.hasPrefix("arn:") {
            if !keywords.contains(String(word)) { keywords.append(String(word)) }
        }
        let expected = command.expected.map(\.text)
        var trimmed = expected
        while trimmed.last?.allSatisfy(\.isWhitespace) == true { trimmed.removeLast() }
        if !trimmed.isEmpty {
            html +=
                "<pre class=\"command-output\" aria-label=\"output shown in the guide\"><code>\(HTML.escape(trimmed.joined(separator: "\n")))</code></pre>"
        }
        let actualLines = example.map { example -> [String] in
            let lines = example.actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return lines.last == "" ? Array(lines.dropLast()) : lines
        }
        // A diff only when the output differs (a failed exit status may print just what the guide shows).
        if let example, example.status == .fail || example.status == .error, actualLines != trimmed {
            html +=
                "<div class=\"command-actual\"><p class=\"command-diff-title\">What kbtool got instead (<span class=\"diff-del-key\">−</span> the guide, <span class=\"diff-add-key\">+</span> the run):</p>"
            html += "<pre class=\"command-diff\"><code>"
            html += LineDiff.diff(trimmed, actualLines ?? []).map { change in
                switch change {
                case .same(let text): return "<span class=\"diff-same\">  \(HTML.escape(text))</span>"
                case .deleted(let text): return "<span class=\"diff-del\">- \(HTML.escape(text))</span>"
                case .added(let text): return "<span class=\"diff-add\">+ \(HTML.escape(text))</span>"
                }
            }.joined(separator: "\n")
            html += "</code></pre></div>"
        } else if let example, example.status == .pass, trimmed.isEmpty, !example.actual.isEmpty {
            // The guide shows no output: show what the command printed.
            html +=
                "<details class=\"command-printed\"><summary>Output</summary><pre class=\"command-output\"><code>\(HTML.escape(example.actual))</code></pre></details>"
        }
        var findings = ""
        for fileLine in lines {
            guard let found = findingsByLine[fileLine], !shownLines.contains(fileLine) else { continue }
            shownLines.insert(fileLine)
            // The diff above already shows what a "diff (…)" note would say.
            findings += found.map { FindingHTML.render($0, block: true, omittingNotes: { $0.hasPrefix("diff (") }) }
                .joined()
        }
        // A finding says why already; the reason stands alone only without one.
        if findings.isEmpty, let reason = example?.reason {
            html += "<p class=\"command-reason\">\(HTML.escape(reason))</p>"
        } else if example == nil {
            html += "<p class=\"command-reason\">not run by kbtool</p>"
        }
        html += findings
        if let trace = example?.trace, !trace.isEmpty {
            html +=
                "<details class=\"command-trace\"><summary>Trace: \(trace.count) step\(trace.count == 1 ? "" : "s")</summary><ol class=\"trace-steps\">"
            for step in trace {
                var classes = "trace-step step-\(HTML.attribute(step.kind))"
                if let decision = step.decision {
                    classes += decision == "Allowed" ? " decision-allowed" : " decision-denied"
                }
                html += "<li class=\"\(classes)\">\(HTML.escape(step.summary))"
                if let decidedBy = step.decidedBy, !decidedBy.isEmpty {
                    html +=
                        "<span class=\"trace-detail\">decided by \(HTML.escape(decidedBy.joined(separator: ", ")))</span>"
                }
                html += "</li>"
            }
            html += "</ol></details>"
        }
        return html + "</div>"
    }

    static func mark(_ status: ExampleResult.Status?) -> (String, String) {
        switch status {
        case .pass: return ("✓", "passed")
        case .fail: return ("✗", "failed")
        case .error: return ("✗", "failed: kbtool could not run it")
        case .skipped: return ("↷", "skipped")
        case .unsupported, nil: return ("·", "not run")
        }
    }
}

/// A line diff by longest common subsequence; past a size bound it shows the two
/// sides whole rather than spend quadratic time.
enum LineDiff {
    enum Change: Equatable {
        case same(String)
        case deleted(String)
        case added(String)
    }

    static let maxCells = 1_000_000

    static func diff(_ old: [String], _ new: [String]) -> [Change] {
        guard old.count * new.count <= maxCells else {
            return old.map { .deleted($0) } + new.map { .added($0) }
        }
        let n = old.count
        let m = new.count
        var lengths = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var changes: [Change] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] {
                changes.append(.same(old[i]))
                i += 1
                j += 1
            } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                // What the guide shows goes first, then what the run printed.
                changes.append(.deleted(old[i]))
                i += 1
            } else {
                changes.append(.added(new[j]))
                j += 1
            }
        }
        return changes
    }
}

/// The guide's cross-account flow as the engine ran it: a table that needs no script.
enum FlowView {
    static func render(_ flow: FlowResult) -> String {
        var html = "<section class=\"flow\" aria-labelledby=\"cross-account-flow\">"
        html +=
            "<h2 id=\"cross-account-flow\">Cross-account flow <a class=\"hash-link\" href=\"#cross-account-flow\" aria-label=\"Link to this section: Cross-account flow\">#</a></h2>"
        guard flow.missing.isEmpty else {
            html +=
                "<p>kbtool could not run this guide's flow: it lacks \(HTML.escape(PolicySummary.join(flow.missing))).</p></section>\n"
            return html
        }
        html +=
            "<p>kbtool ran the guide's policies in its engine: the partner <code>\(HTML.escape(flow.partner))</code> "
        html +=
            "uses the bucket <code>\(HTML.escape(flow.bucket))</code>, encrypted with <code>\(HTML.escape(flow.keyARN))</code>. "
        html +=
            flow.works
            ? "<strong class=\"flow-verdict flow-works\">The flow works.</strong>"
            : "<strong class=\"flow-verdict flow-fails\">The flow fails.</strong>"
        html += "</p>"
        html +=
            "<table class=\"flow-table\"><thead><tr><th scope=\"col\">Request</th><th scope=\"col\">Result</th><th scope=\"col\">Why</th></tr></thead><tbody>"
        for step in flow.steps {
            let result = step.allowed ? "allowed" : step.intended ? "denied" : "denied (not granted by the guide)"
            html +=
                "<tr class=\"\(step.allowed ? "decision-allowed" : "decision-denied")\"><td><code>s3:\(HTML.escape(step.operation))</code></td><td>\(result)</td><td>"
            if !step.allowed {
                html += HTML.escape(step.denied ?? "")
                if !step.deniedBy.isEmpty {
                    html +=
                        " — change the " + HTML.escape(PolicySummary.join(step.deniedBy.map(\.rawValue), with: "or"))
                }
                if let reason = step.reason { html += "<br><span class=\"flow-reason\">\(HTML.escape(reason))</span>" }
                if !step.trace.isEmpty {
                    html +=
                        "<details><summary>Policy trace</summary><ul>"
                        + step.trace.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></details>"
                }
            }
            html += "</td></tr>"
        }
        html += "</tbody></table>"
        if !flow.substitutions.isEmpty {
            html += "<p class=\"flow-substitutions\">Placeholders ran as: "
            html += flow.substitutions.map {
                "<code>\(HTML.escape($0.placeholder))</code> (\(HTML.escape($0.actor))) = <code>\(HTML.escape($0.value))</code>"
            }.joined(separator: ", ")
            html += ".</p>"
        }
        return html + "</section>\n"
    }
}

/// The request explorer: its data embedded as inert JSON, and a form the script
/// fills in. Without a script only a note shows.
enum ExplorerView {
    static func render(_ data: ExplorerData) -> String {
        var html = "<section class=\"explorer\" id=\"request-explorer\" aria-labelledby=\"request-explorer-title\">"
        html +=
            "<h2 id=\"request-explorer-title\">Request explorer <a class=\"hash-link\" href=\"#request-explorer\" aria-label=\"Link to this section: Request explorer\">#</a></h2>"
        html +=
            "<p>Pick who asks, what and on which resource: the decision and its trace were computed by kbtool's engine with this guide's policies, for every combination.</p>"
        html +=
            "<noscript><p class=\"explorer-noscript\">The explorer needs JavaScript; the flow above shows the main requests.</p></noscript>"
        html += "<form class=\"explorer-form\" hidden>"
        html += "<label>Principal <select name=\"principal\"></select></label>"
        html += "<label>Action <select name=\"action\"></select></label>"
        html += "<label>Resource <select name=\"resource\"></select></label></form>"
        html += "<output class=\"explorer-result\" aria-live=\"polite\"></output>"
        html +=
            "<script type=\"application/json\" class=\"explorer-data\">\(HTML.scriptJSON(SiteJSON.encode(data)))</script>"
        return html + "</section>\n"
    }
}
