import KBGuide

/// Code that is neither a transcript nor JSON: the text as written, with its
/// language as a class and a copy button; findings on its lines follow it.
struct CodeBlockView {
    let code: CodeBlock
    /// The fence's language, reduced to word characters.
    let language: String
    /// The `aws` commands in it that kbtool checked against the CLI model
    /// (without running them), and how many of those have an error.
    var checkedCommands = 0
    var failedCommands = 0

    func render() -> String {
        var html = "<figure class=\"code-block\" data-lang=\"\(HTML.attribute(language))\">"
        let title = code.attribute("title")
        if title != nil || checkedCommands > 0 {
            html += "<figcaption class=\"code-caption\">"
            if let title { html += "<span class=\"code-title\">\(HTML.escape(title))</span> " }
            if checkedCommands > 0 { html += commandBadge() }
            html += "</figcaption>"
        }
        let languageClass = language.isEmpty ? "" : " class=\"language-\(HTML.attribute(language))\""
        html += "<pre><code\(languageClass)>\(HTML.escape(code.literal))</code></pre>"
        return html + CopyButton.html(code.literal) + "</figure>\n"
    }

    /// Commands outside transcripts are read against the CLI model, never run:
    /// the badge says which, so a reader does not take them for tested output.
    private func commandBadge() -> String {
        let noun = checkedCommands == 1 ? "command" : "commands"
        if failedCommands > 0 {
            return
                "<span class=\"badge badge-status status-fail\" title=\"checked against the AWS CLI model, not run\">\(failedCommands) of \(checkedCommands) \(noun) refused by the CLI model</span>"
        }
        return
            "<span class=\"badge badge-status status-skip\" title=\"checked against the AWS CLI model, not run\">\(checkedCommands) \(noun) checked, not run</span>"
    }
}

/// The copy button every code block carries: hidden until the script shows it,
/// and copying only the clean text it holds.
enum CopyButton {
    static func html(_ text: String, label: String = "Copy") -> String {
        "<button type=\"button\" class=\"copy-button\" hidden data-copy=\"\(HTML.attribute(text))\" aria-label=\"\(label) to clipboard\">\(label)</button>"
    }
}
