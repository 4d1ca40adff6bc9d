import Testing

@testable import KBSite

@Suite struct EscapingTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        ("plain", "plain"),
        ("nul\u{0}", "nul\u{FFFD}"),
    ])
    func textIsEscaped(input: String, expected: String) {
        #expect(HTML.escape(input) == expected)
    }

    @Test func attributesCannotEndEarly() {
        let value = HTML.attribute("x\" onmouseover=\"alert(1)' y")
        #expect(!value.contains("\""))
        #expect(!value.contains("'"))
        #expect(value == "x&quot; onmouseover=&quot;alert(1)&#39; y")
    }

    @Test func jsonInAScriptCannotCloseIt() {
        let embedded = HTML.scriptJSON(#"{"a":"</script><script>alert(1)</script>","b":"<!--"}"#)
        #expect(!embedded.contains("<"))
        #expect(!embedded.contains(">"))
        #expect(embedded.contains(#"\u003c/script\u003e"#))
    }

    @Test(arguments: [
        ("https://docs.aws.amazon.com/kms/", true),
        ("other-guide.md#section", true),
        ("#anchor", true),
        ("../up/guide.md", true),
        ("mailto:security@example.com", true),
        ("javascript:alert(1)", false),
        ("JaVaScRiPt:alert(1)", false),
        (" javascript:alert(1)", false),
        ("java\tscript:alert(1)", false),
        ("java\nscript:alert(1)", false),
        ("vbscript:msgbox", false),
        ("data:text/html,<script>alert(1)</script>", false),
        ("file:///etc/passwd", false),
    ])
    func onlySafeLinkTargetsPass(destination: String, safe: Bool) {
        #expect(SafeURL.isSafeLink(destination) == safe, "\(destination)")
    }
}
