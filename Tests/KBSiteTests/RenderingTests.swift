import Foundation
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint
import KBTestSupport
import Testing

@testable import KBSite

@Suite struct RenderingTests {
    static func table(_ markdown: String) -> PipeTable? {
        let guide = GuideParser.parse(path: "t.md", bytes: Array(markdown.utf8))
        guard case .paragraph(let paragraph) = guide.blocks.first else { return nil }
        return PipeTable.parse(paragraph, source: guide.source)
    }

    static func paragraph(_ markdown: String) -> Paragraph? {
        let guide = GuideParser.parse(path: "t.md", bytes: Array(markdown.utf8))
        guard case .paragraph(let paragraph) = guide.blocks.first else { return nil }
        return paragraph
    }

    @Test func pipeTablesAreReadWithTheirAlignments() throws {
        let table = try #require(Self.table("| a | b | c |\n|:--|:-:|--:|\n| 1 | `x\\|y` | 3 |\n| only |"))
        #expect(table.alignments == ["left", "center", "right"])
        #expect(table.header.count == 3)
        #expect(table.rows.count == 2)
        // An escaped pipe stays in its cell; a short row is padded.
        #expect(table.rows[0][1] == [.code("x\\|y")])
        #expect(table.rows[1].count == 3)
    }

    @Test(arguments: ["just | a pipe", "| a |\n| b |", "| a | b |\n| --- |"])
    func paragraphsThatAreNotTablesStayParagraphs(markdown: String) throws {
        #expect(Self.table(markdown) == nil)
    }

    @Test(arguments: [
        (":::note\nBody text.\n:::", "note", "Note", true),
        (":::tip[Be quick]\nBody.\n:::", "tip", "Be quick", true),
        (":::danger Do not do this", "danger", "Do not do this", false),
    ])
    func admonitionFencesAreRecognised(markdown: String, kind: String, title: String, closes: Bool) throws {
        let paragraph = try #require(Self.paragraph(markdown))
        let fence = try #require(Admonition.parse(paragraph))
        #expect(fence.opening?.kind == kind)
        let written = fence.opening.map { $0.title.isEmpty ? $0.label : Admonition.plain($0.title) ?? "" }
        #expect(written == title)
        #expect(fence.closes == closes)
    }

    @Test func anAdmonitionTitleMayCarryMarkupWhichStaysInert() throws {
        let site = try SiteFixture([
            "a.md": "<!-- intro -->\n\n# Real title\n\n:::danger[Do **not** <img src=x onerror=alert(1)>]\nBody.\n:::\n"
        ])
        defer { site.remove() }
        let page = site.page("a/index.html")
        #expect(page.contains("<p class=\"admonition-title\">Do <strong>not</strong> </p>"))
        #expect(!page.contains("onerror"))
        // The guide's h1 after a comment is the page's only h1.
        #expect(page.components(separatedBy: "<h1").count == 2)
        #expect(page.contains("<h1 id=\"real-title\">Real title</h1>"))
    }

    @Test func unknownAdmonitionsAreText() throws {
        let unknown = try #require(Self.paragraph(":::sparkles\nx\n:::"))
        let spaced = try #require(Self.paragraph("::: not a fence"))
        #expect(Admonition.parse(unknown) == nil)
        #expect(Admonition.parse(spaced) == nil)
    }

    @Test func anAdmonitionSpanningBlocksHoldsThem() throws {
        let site = try SiteFixture(["a.md": "# A\n\n:::caution\n\nFirst.\n\n- a list\n\n:::\n\nAfter.\n"])
        defer { site.remove() }
        let page = site.page("a/index.html")
        let aside = try #require(
            GoldenTests.fragment(page, from: "<aside class=\"admonition admonition-caution\"", to: "</aside>"))
        #expect(aside.contains("<p>First.</p>"))
        #expect(aside.contains("<li>a list"))
        #expect(!aside.contains("After."))
    }

    static func document(_ json: String) throws -> PolicyDocument {
        let value = try #require(JSONParser.parse(json).value)
        return PolicyParser.parse(value, locate: .init(.init(path: "p", text: json))).document
    }

    @Test func policySummariesSayWhoMayDoWhatAndWhetherAcrossAccounts() throws {
        let policy = try Self.document(
            #"""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"},
               "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*",
               "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
              {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::reports"}
            ]}
            """#)
        let grants = PolicySummary.grants(policy, kind: .bucket, owner: "111122223333")
        #expect(
            grants.map(\.sentence) == [
                "Role Reader in account 444455556666 may s3:GetObject and s3:PutObject on every object in reports, only when aws:SecureTransport Bool true.",
                "Anyone may not s3:* on the bucket reports.",
            ])
        #expect(grants.map(\.crossAccount) == [true, false])
        #expect(grants.map(\.effect) == [.allow, .deny])
    }

    @Test func aKeyPolicysStarResourceIsThisKey() throws {
        let policy = try Self.document(
            #"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}]}"#
        )
        let grants = PolicySummary.grants(policy, kind: .key, owner: "111122223333")
        #expect(grants.first?.sentence == "Account 111122223333 may kms:* on this key.")
        #expect(grants.first?.crossAccount == false)
    }

    @Test func linesDiffWithTheGuideFirst() {
        #expect(
            LineDiff.diff(["a", "b", "c"], ["a", "x", "c"]) == [.same("a"), .deleted("b"), .added("x"), .same("c")])
        #expect(LineDiff.diff([], ["new"]) == [.added("new")])
    }
}

@Suite struct EscapedPipeTests {
    @Test func anEscapedPipeStaysInItsCell() throws {
        let table = try #require(RenderingTests.table("| a | b |\n| --- | --- |\n| `x` \\| y | z |"))
        #expect(table.rows.first?.count == 2)
        let text = table.rows.first?.first?.map { node -> String in
            switch node {
            case .text(let text): return text
            case .code(let code): return "`\(code)`"
            default: return ""
            }
        }.joined()
        #expect(text == "`x` | y")
    }

    @Test func tablesInsideQuotesAndListsAreRead() throws {
        let site = try SiteFixture([
            "t.md": "# T\n\n> | a | b |\n> | - | - |\n> | 1 | 2 |\n\n- item\n\n  | c | d |\n  | - | - |\n  | 3 | 4 |\n"
        ])
        defer { site.remove() }
        let page = site.page("t/index.html")
        #expect(page.contains("<td>1</td><td>2</td>"))
        #expect(page.contains("<td>3</td><td>4</td>"))
    }
}
