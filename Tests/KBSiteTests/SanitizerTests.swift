import Foundation
import Testing

@testable import KBSite

@Suite struct SanitizerTests {
    func clean(_ html: String) -> String {
        var sanitizer = HTMLSanitizer()
        return sanitizer.sanitize(html) + sanitizer.finish()
    }

    /// Whatever the input, no script, handler, style or unsafe URL comes out.
    @Test(arguments: [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=\"alert(1)\">",
        "<img src=x ONERROR=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<svg onload=alert(1)><circle/></svg>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<p onclick=alert(1)>x</p>",
        "<object data=x></object><embed src=x>",
        "<form action=x><input autofocus onfocus=alert(1)></form>",
        "<details open ontoggle=alert(1)>x</details>",
        "<a href=x onmouseover=alert(1)//>x</a>",
        "<img src=\"x\" alt=\"\\\"\" onerror=\"alert(1)\">",
        "<<script>script>alert(1)<</script>/script>",
        "<math><mtext><script>alert(1)</script></mtext></math>",
        "<style>body{display:none}</style>",
        "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
        "<base href=javascript:alert(1)//>",
    ])
    func hostileMarkupIsInert(input: String) {
        let output = clean(input).lowercased()
        #expect(!output.contains("<script"), "\(output)")
        #expect(!output.contains("javascript:"), "\(output)")
        #expect(!output.contains("<iframe"), "\(output)")
        #expect(!output.contains("<svg"), "\(output)")
        #expect(!output.contains("<style"), "\(output)")
        #expect(!output.contains("<meta"), "\(output)")
        #expect(!output.contains("<base"), "\(output)")
        #expect(!output.contains("<input"), "\(output)")
        #expect(!output.contains("style="), "\(output)")
        #expect(HostileGuideTests.attributeNames(output).allSatisfy { !$0.hasPrefix("on") }, "\(output)")
    }

    @Test func allowedMarkupKeepsItsMeaning() {
        #expect(
            clean("<details><summary>More</summary>text</details>") == "<details><summary>More</summary>text</details>")
        #expect(clean("<kbd>Ctrl</kbd>+<kbd>C</kbd>") == "<kbd>Ctrl</kbd>+<kbd>C</kbd>")
        #expect(clean("<a name=\"old-anchor\"></a>") == "<a name=\"old-anchor\"></a>")
        #expect(clean("<br/>line") == "<br>line")
        #expect(clean("5 &lt; 6 &amp;&amp; 7") == "5 &lt; 6 &amp;&amp; 7")
    }

    @Test func openElementsAreClosedAndStrayEndTagsDropped() {
        #expect(clean("<div><p>open") == "<div><p>open</p></div>")
        #expect(clean("</div>text</span>") == "text")
    }

    @Test func anElementSpansFragmentsOfOnePage() {
        var sanitizer = HTMLSanitizer()
        let first = sanitizer.sanitize("<details><summary>Why</summary>")
        let second = sanitizer.sanitize("</details>")
        #expect(first + second + sanitizer.finish() == "<details><summary>Why</summary></details>")
    }

    @Test func pageIdsCannotBeTaken() {
        #expect(clean("<div id=\"content\">x</div>") == "<div id=\"user-content-content\">x</div>")
        #expect(clean("<div id=\"mine\">x</div>") == "<div id=\"mine\">x</div>")
    }

    @Test func unterminatedTagsEndTheFragment() {
        #expect(clean("text <img src=x onerror=alert(1)") == "text ")
        #expect(clean("a < b") == "a &lt; b")
    }
}
