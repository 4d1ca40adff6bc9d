import KBDiagnostics
import KBGuide
import Testing

@Suite struct FrontMatterTests {
    @Test func readsDocusaurusFieldsAndKbtoolSettings() throws {
        let guide = parse(
            """
            ---
            id: cross-account
            title: "Cross-account: S3 and KMS"
            sidebar_position: 2
            tags: [s3, kms]
            kbtool:
              region: us-east-1
              profiles:
                partner: arn:aws:iam::444455556666:role/ReportWriter
            ---
            # Body
            """)
        let frontMatter = try #require(guide.frontMatter)
        #expect(frontMatter.id == "cross-account")
        #expect(frontMatter.title == "Cross-account: S3 and KMS")
        #expect(frontMatter["sidebar_position"]?.kind == .int(2))
        #expect(frontMatter["tags"]?.sequence?.compactMap(\.string) == ["s3", "kms"])
        #expect(frontMatter.kbtool?["region"]?.string == "us-east-1")
        #expect(frontMatter.kbtool?["profiles"]?["partner"]?.string == "arn:aws:iam::444455556666:role/ReportWriter")
        #expect(frontMatter.closingLine == 10)
        #expect(guide.diagnostics.isEmpty)
    }

    @Test func valuesKnowWhereTheyAre() throws {
        let guide = parse("---\ntitle: Hello\nsidebar_position: \"3\"  # quoted\n---\n")
        let frontMatter = try #require(guide.frontMatter)
        let title = try #require(frontMatter["title"])
        #expect(title.range.start == SourcePosition(line: 2, column: 8))
        #expect(title.range.end == SourcePosition(line: 2, column: 13))
        let position = try #require(frontMatter["sidebar_position"])
        #expect(position.kind == .string("3"))
        #expect(position.range.start == SourcePosition(line: 3, column: 19))
        #expect(position.range.end == SourcePosition(line: 3, column: 22))
        let entry = try #require(frontMatter.value?.entries?.first)
        #expect(entry.keyRange.start == SourcePosition(line: 2, column: 1))
        #expect(entry.keyRange.end == SourcePosition(line: 2, column: 6))
    }

    @Test func onlyTrueAndFalseAreBooleansAsInYAML12() throws {
        let frontMatter = try #require(parse("---\na: No\nb: yes\nc: true\nd: FALSE\ne: on\n---\n").frontMatter)
        #expect(frontMatter["a"]?.kind == .string("No"))
        #expect(frontMatter["b"]?.kind == .string("yes"))
        #expect(frontMatter["c"]?.kind == .bool(true))
        #expect(frontMatter["d"]?.kind == .bool(false))
        #expect(frontMatter["e"]?.kind == .string("on"))
    }

    @Test func cmarkNeverSeesTheFrontMatter() {
        // Without hiding, "title: T" followed by "---" would be a setext heading.
        let guide = parse("---\ntitle: T\n---\nBody text.\n")
        #expect(guide.headings.isEmpty)
        #expect(guide.paragraphs.map(\.text) == ["Body text."])
        #expect(guide.paragraphs.first?.range.start.line == 4)
    }

    @Test func yamlErrorsAreLocatedInTheFile() throws {
        let guide = parse("---\ntitle: ok\ntags: [a, b\nslug: x\n---\n")
        let diagnostic = try #require(guide.diagnostics.first)
        #expect(diagnostic.rule == .frontMatterYAML)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.range.start.line >= 3)
        #expect(diagnostic.message.contains("YAML"))
    }

    @Test func badIndentationIsLocatedOnItsLine() throws {
        let guide = parse("---\ntitle: ok\n  bad: indent\n---\n")
        let diagnostic = try #require(guide.diagnostics.first)
        #expect(diagnostic.range.start == SourcePosition(line: 3, column: 6))
    }

    @Test func duplicateYAMLKeysAreReported() throws {
        let guide = parse("---\ntitle: a\ntitle: b\n---\n")
        let diagnostic = try #require(guide.diagnostics.first)
        #expect(diagnostic.rule == .frontMatterYAML)
        #expect(diagnostic.message.contains("'title'"))
    }

    @Test func unclosedFrontMatterIsReportedAndTheFileStillParses() throws {
        let guide = parse("---\ntitle: T\n\n# Heading\n")
        #expect(guide.frontMatter == nil)
        #expect(guide.diagnostics.first?.rule == Rule.frontMatterUnclosed.id)
        #expect(guide.headings.map(\.text) == ["Heading"])
    }

    @Test func aThematicBreakLaterIsNotFrontMatter() {
        let guide = parse("# T\n\n---\n\ntext\n")
        #expect(guide.frontMatter == nil)
        #expect(guide.diagnostics.isEmpty)
    }

    @Test func aliasBombsAreCutOff() throws {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<8 {
            let previous = level == 1 ? "a" : "l\(level - 1)"
            yaml +=
                "l\(level): &l\(level) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let guide = parse("---\n" + yaml + "---\n")
        #expect(guide.diagnostics.contains { $0.rule == .frontMatterLimit })
    }
}
