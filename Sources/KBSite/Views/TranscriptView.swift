import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBGuide
import KBPolicy
import KBPolicyLint
import KBShell
import KBTranscript

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
        // A diff only when the output differs (a failed exit status may print just what the guide shows),
        // and only for a command that ran: one refused before running (its finding says why) printed nothing.
        let ran = example.map { $0.status == .fail || !$0.actual.isEmpty || !$0.trace.isEmpty } ?? false
        if let example, example.status == .fail || example.status == .error, ran, actualLines != trimmed {
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
        case .unsupported, nil: return ("·", "checked, not run")
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
