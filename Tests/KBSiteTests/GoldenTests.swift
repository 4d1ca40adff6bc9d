import Foundation
import KBTestSupport
import Testing

@testable import KBSite

/// Generated HTML fragments compared with files under `Golden/`. After a
/// deliberate change, re-record with `KBTOOL_RECORD=1 swift test --filter GoldenTests`
/// and review the diff.
@Suite struct GoldenTests {
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden")

    static let guide = """
        ---
        title: Golden
        kbtool:
          region: us-east-1
        ---

        ## A bucket policy

        Attach this bucket policy to the bucket:

        ```json title="bucket-policy.json"
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "PartnerReads",
              "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"},
              "Action": "s3:GetObject"
              "Resource": "arn:aws:s3:::example-golden/*"
            }
          ]
        }
        ```

        :::warning Mind the key
        The key policy must **also** allow the role.
        :::

        | Policy | Lives in |
        | --- | :-: |
        | bucket | account `A` |

        ## Try it

        ```console
        $ aws s3api create-bucket --bucket example-golden
        {
            "Location": "/example-golden"
        }
        $ aws s3api get-bucket-location --bucket example-golden --output text
        eu-west-1
        ```
        """

    /// The first element that starts with `opening`, up to its matching close.
    static func fragment(_ html: String, from opening: String, to closing: String) -> String? {
        guard let start = html.range(of: opening),
            let end = html.range(of: closing, range: start.upperBound..<html.endIndex)
        else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func check(_ name: String, _ actual: String) throws {
        let file = goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KBTOOL_RECORD"] != nil {
            try FileManager.default.createDirectory(at: goldenFolder, withIntermediateDirectories: true)
            try Data((actual + "\n").utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual + "\n" == expected, "\(name) differs from its golden file; re-record if intended")
    }

    @Test func fragmentsMatchTheirGoldenFiles() throws {
        let site = try SiteFixture(["golden.md": Self.guide])
        defer { site.remove() }
        let page = site.page("golden/index.html")
        try Self.check(
            "policy-block.html",
            Self.fragment(page, from: "<figure class=\"code-block policy-block", to: "</figure>") ?? "missing")
        try Self.check(
            "admonition.html", Self.fragment(page, from: "<aside class=\"admonition", to: "</aside>") ?? "missing")
        try Self.check("table.html", Self.fragment(page, from: "<div class=\"table-wrap\">", to: "</div>") ?? "missing")
        try Self.check(
            "transcript.html",
            Self.fragment(page, from: "<figure class=\"code-block transcript", to: "</figure>") ?? "missing")
    }

    @Test func jsonIsHighlightedEvenWhenBroken() {
        let lines = JSONHighlighter.lines(
            "{\"Action\": \"s3:GetObject\" \"Resource\": \"arn:aws:s3:::b/*\",\n  \"open\n}")
        #expect(lines.count == 3)
        #expect(
            lines[0].map(\.kind) == [
                "tok-punct", "tok-key", "tok-punct", nil, "tok-action", nil, "tok-key", "tok-punct", nil, "tok-arn",
                "tok-punct",
            ])
        #expect(lines[1].map(\.kind) == [nil, "tok-string"])
        #expect(lines[2].map(\.kind) == ["tok-punct"])
        // Joining the tokens gives the text back.
        #expect(
            lines.map { $0.map(\.text).joined() } == [
                "{\"Action\": \"s3:GetObject\" \"Resource\": \"arn:aws:s3:::b/*\",", "  \"open", "}",
            ])
    }

    @Test func placeholdersAndCommentsHaveTheirOwnColour() {
        let lines = JSONHighlighter.lines("{\"Principal\": \"<PARTNER_ROLE_ARN>\" // who\n}")
        #expect(lines[0].compactMap(\.kind).contains("tok-placeholder"))
        #expect(lines[0].last?.kind == "tok-comment")
    }
}
