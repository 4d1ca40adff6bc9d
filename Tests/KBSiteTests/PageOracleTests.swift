import Foundation
import KBPageOracle
import KBTestSupport
import Testing

/// The sanitiser judged by the page oracle (the FuzzPage fuzz target's), over
/// hostile guides built into whole pages, theme included; and the oracle
/// itself, over pages known to be unsafe, so it is shown able to fail.
@Suite struct PageOracleTests {
    static let site = try! GuideSite()

    /// Raw HTML a guide might hold to run script or break out of its article.
    /// Each must build into pages the oracle finds nothing wrong with.
    @Test(arguments: [
        "<script>alert(1)</script>",
        "text <script>alert(1)</script> more",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<img/src=x/onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"&#x6A&#x61vascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"jav&Tab;ascript:alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\" \u{1}javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<svg onload=alert(1)><circle/></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<details open ontoggle=alert(1)>x</details>",
        "<a href=x onmouseover=alert(1)//>x</a>",
        "<<script>script>alert(1)<</script>/script>",
        "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
        "<base href=javascript:alert(1)//>",
        "<plaintext>",
        "<xmp>",
        "<textarea>",
        "<title>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<!--><script>alert(1)</script>-->",
        "<!--->x--><script>alert(1)</script>",
        "<a title=\"a --!><script>alert(1)</script>\">x</a>",
        "</article></main><script>alert(1)</script>",
        "</div></div></div>",
        "<div>",
        "<div/>",
        "<span/>x",
        "<table><tr><td>",
        "<main>x</main>",
        "<nav>x</nav>",
        "<header>x</header><footer>y</footer>",
        "<div role=\"main\">x</div>",
        "<div role=navigation>x</div>",
        "<div id=\"sidebar\">x</div>",
        "<div id=\"content\">x</div>",
        "<p id=\"search-input\">x</p>",
        "<b><i>x</b></i>",
        "<ul><li>a<li>b</ul>",
        ":::note\n<div>\n:::\n\nafter",
        ":::note\n\n<div>\n\n:::\n\n</div>",
        "> <div>\n\nout </div>",
        "- <div>\n- </div>",
        "<details><summary>s</summary>\n\n# Heading\n\n</details>",
        "<Tabs><TabItem value=\"a\" label=\"<script>alert(1)</script>\">x</TabItem></Tabs>",
        "<Tabs>\n<TabItem value=\"a\" label='\" onmouseover=\"alert(1)'>\n\nx\n\n</TabItem>\n</Tabs>",
        "<Screenshot src=\"javascript:alert(1)\" onclick=\"alert(1)\"/>",
        "---\ntitle: \"</title><script>alert(1)</script>\"\n---\n\nx",
        "---\ndescription: '\"><script>alert(1)</script>'\n---\n\nx",
        "---\ncustom_edit_url: javascript:alert(1)\n---\n\nx",
        "---\nsidebar_label: <img src=x onerror=alert(1)>\n---\n\nx",
        "---\nslug: /\n---\n\n<script>alert(1)</script>",
        "# <img src=x onerror=alert(1)>",
        "## Sidebar\n\nx",
        "## Content\n\nx",
        "## x {#search-results}\n\ny",
        "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
        "<img srcset=\"javascript:alert(1) 1x\">",
        "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
        "<a href=\"&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1)\">x</a>",
        "<a href=\"javascript&#58;alert(1)\">x</a>",
        "<a href=\"javascript&#x3A;alert(1)\">x</a>",
        "<a href=\"javascript&#x3A alert(1)\">x</a>",
        "<a href='javascript:alert(1)'>x</a>",
        "<a href=javascript:alert(1)>x</a>",
        "<a href=\"\u{0}javascript:alert(1)\">x</a>",
        "<a \"href=\"javascript:alert(1)\">x</a>",
        "<a href=\"x\" href=\"javascript:alert(1)\">x</a>",
        "<a/href=\"javascript:alert(1)\">x</a>",
        "<a href\n=\n\"javascript:alert(1)\">x</a>",
        "<img src=\"x\" alt=\"\\\"\" onerror=\"alert(1)\">",
        "<img src=x alt=\"``onerror=alert(1)\">",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
        "```json\n{\"a\": \"</script><script>alert(1)</script>\"}\n```",
        "<table><tr><td>x</td></tr>\n\n<div>y</div>\n\n</table>",
        "<q cite=\"javascript:alert(1)\">x</q>",
        "<blockquote cite=\"vbscript:x\">x</blockquote>",
        "<a name=\"content\">x</a>",
        "x <kbd>\n\n# y",
        "<h1>a<h2>b</h2></h1>",
        "<details>\n\n:::tip\n\n</details>\n\n:::",
        "[x](javascript&colon;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](java&#x0A;script:alert(1))",
        "[x](java%0ascript:alert(1))",
        "[x](\"javascript:alert(1)\")",
        "[x](https://example.com \"t\\\" onmouseover=\\\"alert(1)\")",
        "![x\" onerror=\"alert(1)](a.png)",
        "## x {#a\"onmouseover=alert(1)}",
        "```json title=\"x\\\" onload=\\\"alert(1)\" kb\n{}\n```",
        "```console\n$ echo '<script>alert(1)</script>'\n<script>alert(1)</script>\n```",
        "| <script>alert(1)</script> | <img src=x onerror=alert(1)> |\n|---|---|\n| [x](javascript:y) | </td></tr></table></article> |",
        "---\ncustom_edit_url: \"https://example.com/\\\" onmouseover=\\\"alert(1)\"\n---\n\nx",
        "---\ncustom_edit_url: \" javascript:alert(1)\"\n---\n\nx",
        "---\nslug: /claims\n---\n\nx",
        "---\nslug: \"/x\\\"><script>alert(1)</script>\"\n---\n\nx",
        "- [ ] <script>alert(1)</script>\n- [x] <img src=x onerror=alert(1)>",
        "Term[^1]\n\n[^1]: <script>alert(1)</script>",
        "https://example.com/\"onmouseover=\"alert(1) and www.example.com/<script>",
        "<a href=\"#\" id=\"top\">x</a> <span id=\"page-findings\">y</span>",
        "<ol start=\"1\" type=\"javascript:alert(1)\"><li>x</li></ol>",
        "<time datetime=\"javascript:alert(1)\">x</time>",
        "<img src=\"/img/x.png\" width=\"1\" height=\"1\" alt=\"</article>\">",
    ])
    func hostileGuideBuildsSafePages(input: String) {
        let found = Self.site.violations(input)
        #expect(found.isEmpty, "\(found.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })")
    }

    /// The fuzz target's seeds and the inputs that once made it trap, so CI
    /// replays them without libFuzzer.
    @Test func fuzzSeedsAndPastFindingsBuildSafePages() throws {
        var checked = 0
        for folder in ["Fuzz/Corpus/FuzzPage", "Fuzz/Crashes/FuzzPage"] {
            let url = Fixtures.packageRoot.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] {
                let bytes = try Data(contentsOf: url.appendingPathComponent(name))
                let found = Self.site.violations(Array(bytes))
                #expect(found.isEmpty, "\(folder)/\(name): \(found)")
                checked += 1
            }
        }
        #expect(checked >= 20)
    }

    // MARK: - The oracle can fail

    static var emptyPage: String { site.pages([]).guidePage ?? "" }

    /// The empty guide's page with `markup` put at the start of its article.
    static func page(withArticleMarkup markup: String) -> String {
        emptyPage.replacingOccurrences(of: "<article class=\"doc\">", with: "<article class=\"doc\">" + markup)
    }

    @Test func anEmptyGuidesPageIsClean() {
        let oracle = PageOracle(emptyPage: Self.emptyPage)
        #expect(Self.emptyPage.contains("<article class=\"doc\">"))
        #expect(oracle.violations(in: Self.emptyPage).isEmpty)
    }

    @Test(arguments: [
        ("<script>alert(1)</script>", "a script the theme does not have"),
        ("<script src=\"../assets/evil.js\"></script>", "a script the theme does not have"),
        ("<img src=x onerror=alert(1)>", "event handler onerror"),
        ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "javascript: URL"),
        ("<a href=\"javascript&colon;alert(1)\">x</a>", "javascript: URL"),
        ("<a href=\" JaVa\nScript:alert(1)\">x</a>", "javascript: URL"),
        ("<a href=\"&#106avascript:alert(1)\">x</a>", "javascript: URL"),
        ("<a href=\"data:text/html,x\">x</a>", "data: URL"),
        ("<a href=\"&unknownref;javascript:x\">x</a>", "cannot read"),
        ("</article></main><main>", "landmarks outside the article"),
        ("<div>", "</article> closes <article> while [\"div\"] is open"),
        ("<div></article>", "</article> closes <article> while [\"div\"] is open"),
        ("<div></span></div>", "</span> closes nothing open"),
        ("<nav>x</nav>", "a <nav> landmark inside the article"),
        ("<div role=\"main\">x</div>", "role=\"main\""),
        ("<p id=\"sidebar\">x</p>", "id \"sidebar\""),
        ("<textarea>", "<textarea> inside the article"),
        ("<div style=\"background:url(javascript:x)\">x</div>", "a style that runs code"),
    ])
    func theOracleFindsAnUnsafePage(markup: String, expected: String) {
        let oracle = PageOracle(emptyPage: Self.emptyPage)
        let found = oracle.violations(in: Self.page(withArticleMarkup: markup))
        #expect(found.contains { $0.message.contains(expected) }, "\(found)")
    }

    @Test func aDataImageIsAllowedAndAnImageIsNotALink() {
        let oracle = PageOracle(emptyPage: Self.emptyPage)
        #expect(oracle.violations(in: Self.page(withArticleMarkup: "<img src=\"data:image/png;base64,AA==\">")).isEmpty)
        #expect(
            !oracle.violations(in: Self.page(withArticleMarkup: "<a href=\"data:image/png;base64,AA==\">x</a>")).isEmpty
        )
    }

    @Test func landmarksOutsideTheArticleMustMatchTheFrame() {
        let oracle = PageOracle(emptyPage: Self.emptyPage)
        let extra = Self.emptyPage.replacingOccurrences(of: "</footer>", with: "</footer><nav>x</nav>")
        #expect(oracle.violations(in: extra).contains { $0.message.hasPrefix("landmarks outside the article") })
    }

    @Test func theTokenizerReadsAsABrowserDoes() {
        let tokens = HTMLTokenizer.tokenize(
            "<a href=\"x\"title='y'/><!--><b>--><script>a</b></script ><p =a b=c&amp;d>")
        let tags = tokens.compactMap { token -> String? in
            switch token.kind {
            case .startTag(let name, let attributes, _):
                return "<\(name)" + attributes.map { " \($0.name)=\($0.value)" }.joined() + ">"
            case .endTag(let name): return "</\(name)>"
            case .rawText(let text): return "raw:\(text)"
            default: return nil
            }
        }
        #expect(tags == ["<a href=x title=y>", "<b>", "<script>", "raw:a</b>", "</script>", "<p =a= b=c&d>"])
        #expect(URLScheme.of(" \u{1}J\ta\nvascript:x") == "javascript")
        #expect(URLScheme.of("\u{A0}javascript:x") == nil)
        #expect(URLScheme.of("/a:b") == nil)
    }
}
