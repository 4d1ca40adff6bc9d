import KBDiagnostics
import Testing

@Suite struct SourceTextTests {
    @Test(arguments: [("LF", "a\nbb\n"), ("CRLF", "a\r\nbb\r\n"), ("CR", "a\rbb\r")])
    func linesEndAtEveryKindOfTerminator(_ name: String, _ text: String) {
        let source = SourceText(path: "f.md", text: text)
        #expect(source.lineCount == 3, "\(name)")
        #expect(source.line(1) == "a")
        #expect(source.line(2) == "bb")
        #expect(source.line(3) == "")
    }

    @Test func byteOrderMarkIsDroppedSoColumnOneIsTheFirstCharacter() {
        let source = SourceText(path: "f.md", text: "\u{FEFF}# Title\n")
        #expect(source.hadByteOrderMark)
        #expect(source.line(1) == "# Title")
        #expect(source.position(ofByteOffset: 2) == SourcePosition(line: 1, column: 3))
    }

    @Test func columnsCountUnicodeScalarsNotBytes() {
        // é is 2 bytes, 日 is 3, 😀 is 4.
        let source = SourceText(path: "f.md", text: "é日😀x\n")
        #expect(source.position(ofByteOffset: 0) == SourcePosition(line: 1, column: 1))
        #expect(source.position(ofByteOffset: 2) == SourcePosition(line: 1, column: 2))
        #expect(source.position(ofByteOffset: 5) == SourcePosition(line: 1, column: 3))
        #expect(source.position(ofByteOffset: 9) == SourcePosition(line: 1, column: 4))
        #expect(source.column(line: 1, byteColumn: 10) == 4)
    }

    @Test func aTabIsOneColumn() {
        let source = SourceText(path: "f.md", text: "\t\"a\"\n")
        #expect(source.position(ofByteOffset: 1) == SourcePosition(line: 1, column: 2))
    }

    @Test func positionAndByteOffsetAreInverses() {
        let source = SourceText(path: "f.md", text: "ab\r\nключ\t日本\n\n😀 end")
        var offset = 0
        for scalar in source.text.unicodeScalars {
            if scalar != "\n" && scalar != "\r" {
                let position = source.position(ofByteOffset: offset)
                #expect(source.byteOffset(of: position) == offset, "offset \(offset) at \(position)")
            }
            offset += String(scalar).utf8.count
        }
    }

    @Test func crlfTerminatorIsNotPartOfTheLine() {
        let source = SourceText(path: "f.md", text: "ab\r\ncd")
        #expect(source.lineEnds[0] == 2)
        #expect(source.lineStarts[1] == 4)
        #expect(source.position(ofByteOffset: 4) == SourcePosition(line: 2, column: 1))
    }
}

@Suite struct SuggestionTests {
    @Test func suggestsTheClosestPlausibleName() {
        #expect(Suggestion.closest(to: "sidbar_label", in: ["sidebar_label", "slug", "title"]) == "sidebar_label")
        #expect(Suggestion.closest(to: "titel", in: ["title", "tags"]) == "title")
    }

    @Test func suggestsNothingWhenNothingIsClose() {
        #expect(Suggestion.closest(to: "completely", in: ["title", "slug"]) == nil)
    }

    @Test func countsATranspositionAsOneEdit() {
        #expect(Suggestion.editDistance(Array("ab".unicodeScalars), Array("ba".unicodeScalars)) == 1)
        #expect(Suggestion.editDistance(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars)) == 3)
    }
}
