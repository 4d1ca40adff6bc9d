import KBDiagnostics
import KBGuide
import Testing

@Suite struct GuideModelTests {
    @Test(
        arguments: [
            (
                "json title=\"bucket-policy.json\" kind=key-policy", "json",
                [("title", "bucket-policy.json"), ("kind", "key-policy")]
            ),
            ("JSON", "json", []),
            ("json {1,3-4} showLineNumbers", "json", [("{1,3-4}", nil), ("showLineNumbers", nil)]),
            ("json title='two words.json'", "json", [("title", "two words.json")]),
            ("json title=\"say \\\"hi\\\"\"", "json", [("title", "say \"hi\"")]),
            ("title=\"only.json\"", nil, [("title", "only.json")]),
            ("", nil, []),
        ] as [(String, String?, [(String, String?)])])
    func infoStringsSplitIntoLanguageAndAttributes(
        _ info: String, _ language: String?, _ attributes: [(String, String?)]
    ) {
        let (parsedLanguage, parsed) = CodeInfoParser.parse(info)
        #expect(parsedLanguage == language)
        #expect(parsed.map(\.name) == attributes.map(\.0))
        #expect(parsed.map(\.value) == attributes.map(\.1))
    }

    @Test func messyRealWorldCodeBlocksAllParse() throws {
        let guide = parse(
            """
            ``` json
            {"a": 1}
            ```

            ~~~json title="tilde.json"
            {"b": 2}
            ~~~

                {"c": 3}

            ```

            {"d": 4}
            ```

            <div class="note">Raw <b>HTML</b></div>

            ```
            [1, 2]
            ```
            """)
        let blocks = guide.codeBlocks
        #expect(blocks.count == 5)
        #expect(blocks.map(\.language) == ["json", "json", nil, nil, nil])
        #expect(blocks.map(\.isFenced) == [true, true, false, true, true])
        #expect(blocks[1].attribute("title") == "tilde.json")
        #expect(blocks[2].literal == "{\"c\": 3}\n")
        #expect(blocks[3].lines.first?.text == "")
        #expect(blocks[3].lines[1].line == 13)
        #expect(blocks[3].lines[1].text == "{\"d\": 4}")
        #expect(guide.allBlocks.contains { if case .html = $0 { return true } else { return false } })
    }

    @Test func listsKeepTheirItemsAsFacts() throws {
        let guide = parse(
            """
            1. Default encryption is not retroactive.
            2. Listing needs **no** KMS permission.
               - nested detail
            3. Multi-Region keys exist.
            """)
        let list = try #require(guide.lists.first)
        #expect(list.ordered)
        #expect(list.start == 1)
        #expect(
            list.items.map(\.text) == [
                "Default encryption is not retroactive.", "Listing needs no KMS permission.",
                "Multi-Region keys exist.",
            ])
        #expect(list.items[1].range.start.line == 2)
        #expect(guide.lists.count == 2, "the nested list is found too")
    }

    @Test func paragraphsAndBlockQuotesKeepTheirText() throws {
        let guide = parse("Intro *with* `code`.\n\n> Quoted [link](other.md).\n")
        #expect(guide.paragraphs.map(\.text) == ["Intro with code.", "Quoted link."])
        #expect(guide.links.first?.destination == "other.md")
        #expect(guide.links.first?.text == "link")
    }

    @Test func referenceLinksAreResolved() {
        let guide = parse("See [the docs][docs].\n\n[docs]: https://docs.example/x#y\n")
        #expect(guide.links.map(\.destination) == ["https://docs.example/x#y"])
    }

    @Test(arguments: [
        "```json\n{\"a\": 1}\n",
        "- item\n\n  ```json\n  {}\n\n- next item\n",
        "> ```json\n> {}\n\nafter the quote\n",
        "````json\n{}\n```\n",
    ])
    func anUnclosedFenceIsAWarning(_ text: String) throws {
        let guide = parse(text)
        let diagnostic = try #require(guide.diagnostics.first)
        #expect(diagnostic.rule == .markdownUnclosedFence)
        #expect(diagnostic.severity == .warning)
        #expect(guide.codeBlocks.first?.isClosed == false)
    }

    @Test(arguments: ["```json\n{}\n```\n", "~~~\n{}\n~~~~  \n", "- x\n\n  ```\n  {}\n  ```\n", "> ```\n> {}\n> ```\n"])
    func closedFencesAreClosed(_ text: String) {
        let guide = parse(text)
        #expect(guide.diagnostics.isEmpty)
        #expect(guide.codeBlocks.first?.isClosed == true)
    }

    @Test func anEmptyFileIsAnEmptyGuide() {
        let guide = parse("")
        #expect(guide.blocks.isEmpty)
        #expect(guide.frontMatter == nil)
        #expect(guide.diagnostics.isEmpty)
    }
}
