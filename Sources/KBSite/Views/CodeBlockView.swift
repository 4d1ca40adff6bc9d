import KBGuide

/// Code that is neither a transcript nor JSON: the text as written, with its
/// language as a class and a copy button; findings on its lines follow it.
struct CodeBlockView {
    let code: CodeBlock
    /// The fence's language, reduced to word characters.
    let language: String

    func render() -> String {
        var html = "<figure class=\"code-block\" data-lang=\"\(HTML.attribute(language))\">"
        if let title = code.attribute("title") {
            html +=
                "<figcaption class=\"code-caption\"><span class=\"code-title\">\(HTML.escape(title))</span></figcaption>"
        }
        let languageClass = language.isEmpty ? "" : " class=\"language-\(HTML.attribute(language))\""
        html += "<pre><code\(languageClass)>\(HTML.escape(code.literal))</code></pre>"
        return html + CopyButton.html(code.literal) + "</figure>\n"
    }
}

/// The copy button every code block carries: hidden until the script shows it,
/// and copying only the clean text it holds.
enum CopyButton {
    static func html(_ text: String, label: String = "Copy") -> String {
        "<button type=\"button\" class=\"copy-button\" hidden data-copy=\"\(HTML.attribute(text))\" aria-label=\"\(label) to clipboard\">\(label)</button>"
    }
}
