import KBDiagnostics
import KBGuide
import Testing

@Suite struct AnchorTests {
    @Test(arguments: [
        ("Symmetric cryptography", "symmetric-cryptography"),
        ("1. Create the key and its key policy", "1-create-the-key-and-its-key-policy"),
        ("What's new in 2021?", "whats-new-in-2021"),
        ("C++ & Rust", "c--rust"),
        ("Über uns", "über-uns"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("Keys 🔑 and locks", "keys--and-locks"),
        ("  Trim  me ", "--trim--me-"),
        ("`kms:Decrypt` needs `kms:ViaService`", "kmsdecrypt-needs-kmsviaservice"),
        ("S3 (SSE-KMS)", "s3-sse-kms"),
        ("日本語の見出し", "日本語の見出し"),
        ("Step ① create key", "step--create-key"),
        ("x²", "x"),
        ("Option Ⓐ", "option-ⓐ"),
        ("ΟΔΟΣ ΚΑΙ ΣΟΦΙΑ", "οδος-και-σοφια"),
        ("Chapter Ⅻ", "chapter-ⅻ"),
    ])
    func slugsMatchGithubSlugger(_ text: String, _ slug: String) {
        #expect(HeadingSlugger.baseSlug(text) == slug)
    }

    @Test func duplicatesGetNumberedSuffixes() {
        var slugger = HeadingSlugger()
        #expect(
            ["Setup", "Setup", "Setup-1", "Setup"].map { slugger.slug($0) } == [
                "setup", "setup-1", "setup-1-1", "setup-2",
            ])
    }

    @Test func headingsInAGuideGetIdsInDocumentOrder() {
        let guide = parse(
            """
            # Overview

            ## Setup

            > ## Setup

            - ## Setup

            ## Custom title {#my-id}

            ## Old name <a name="legacy-anchor"></a>

            ## Inline `code` and [link](#overview) and *emphasis*
            """)
        #expect(
            guide.headings.map(\.anchor) == [
                "overview", "setup", "setup-1", "setup-2", "my-id", "old-name-", "inline-code-and-link-and-emphasis",
            ])
        #expect(guide.headings[4].text == "Custom title")
        #expect(guide.headings[4].customID == "my-id")
        #expect(guide.headings[5].htmlAnchors == ["legacy-anchor"])
        let anchors = guide.anchors
        #expect(anchors["legacy-anchor"] != nil)
        #expect(anchors["my-id"] != nil)
        #expect(anchors["custom-title"] == nil, "an explicit id replaces the computed one")
    }

    @Test func htmlBlocksAndInlineHTMLDefineAnchors() {
        let guide = parse(
            """
            <div id="top-box">Box</div>

            Text with <span id='inline-id'>span</span> and <a name=bare>.
            """)
        let anchors = guide.anchors
        #expect(anchors["top-box"] != nil)
        #expect(anchors["inline-id"] != nil)
        #expect(anchors["bare"] != nil)
    }

    @Test func anchorsAreCaseSensitive() {
        let guide = parse("# Symmetric cryptography\n")
        #expect(guide.anchors["symmetric-cryptography"] != nil)
        #expect(guide.anchors["Symmetric-cryptography"] == nil)
    }

    @Test func htmlAnchorScannerReadsAttributesInAnyQuoting() {
        #expect(HTMLAnchorScanner.anchors(in: #"<a name="x"></a><h2 id='y'>T</h2><p ID=z>"#) == ["x", "y", "z"])
        #expect(HTMLAnchorScanner.anchors(in: #"<span name="not-an-anchor">"#) == [])
    }
}
