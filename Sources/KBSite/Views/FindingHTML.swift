import KBDiagnostics

/// A finding as HTML: icon, severity, message, rule, notes and the fix.
enum FindingHTML {
    static func render(_ diagnostic: Diagnostic, block: Bool, omittingNotes omit: (String) -> Bool = { _ in false })
        -> String
    {
        let severity = diagnostic.severity.rawValue
        let icon = ["error": "✖", "warning": "▲"][severity] ?? "ℹ"
        var html = "<span class=\"finding finding-\(severity)\" role=\"note\">"
        html += "<span class=\"finding-icon\" aria-hidden=\"true\">\(icon)</span> "
        html += "<span class=\"finding-severity\">\(severity)</span> "
        html += HTML.escape(diagnostic.message)
        html += " <span class=\"finding-rule\">\(HTML.escape(diagnostic.rule.rawValue))</span>"
        for note in diagnostic.notes where !omit(note) {
            html += "<span class=\"finding-help\">\(HTML.escape(note))</span>"
        }
        if let fix = diagnostic.fix {
            let replacement = fix.replacement.count > 200 ? String(fix.replacement.prefix(200)) + "…" : fix.replacement
            html += "<span class=\"finding-fix\">fix: \(HTML.escape(fix.message))"
            if !replacement.isEmpty && !fix.message.contains(replacement) {
                html += " <code>\(HTML.escape(replacement))</code>"
            }
            html += "</span>"
        }
        html += "</span>"
        // Outside code, a finding stands as its own block.
        return block ? "<div class=\"finding-block\">\(html)</div>\n" : html
    }
}
