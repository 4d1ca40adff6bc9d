import Foundation
import KBCLIOutput
import KBJSON
import Testing

/// One case of `Cases/cases.json` (written by scripts/cli-output-cases from the AWS
/// CLI's own formatters): a result, its operation and what each format prints.
struct OutputCase: CustomTestStringConvertible, Sendable {
    var number: Int
    var title: String
    var value: JSONValue
    var expected: [CLIOutputFormat: String]
    var testDescription: String { "#\(number) \(title) (\(value.typeName))" }

    static let all: [OutputCase] = {
        let url = Bundle.module.url(forResource: "cases", withExtension: "json", subdirectory: "Cases")!
        let text = try! String(contentsOf: url, encoding: .utf8)
        guard let cases = JSONParser.parse(text).value?.elements else { fatalError("cases.json is not JSON") }
        return cases.enumerated().map { number, entry in
            var expected: [CLIOutputFormat: String] = [:]
            for format in CLIOutputFormat.allCases { expected[format] = entry[format.rawValue]?.string }
            return OutputCase(
                number: number, title: entry["title"]?.string ?? "?", value: entry["value"]!, expected: expected)
        }
    }()
}

/// Builds values the way a parsed response holds them, ranges aside.
private func parse(_ text: String) -> JSONValue {
    JSONParser.parse(text).value!
}

@Suite struct CLIOutputCaseTests {
    @Test(arguments: OutputCase.all, CLIOutputFormat.allCases)
    func printsExactlyWhatTheAWSCLIPrints(_ testCase: OutputCase, _ format: CLIOutputFormat) {
        let printed = CLIOutput.render(testCase.value, format: format, title: testCase.title)
        #expect(printed == testCase.expected[format])
    }

    /// `json` is the plain document, so it differs from what the CLI prints only
    /// for a top-level `{}`, which the CLI leaves out.
    @Test(arguments: OutputCase.all)
    func jsonIsTheDocumentTheCLIPrints(_ testCase: OutputCase) {
        let expected = testCase.value.members == [] ? "{}\n" : testCase.expected[.json]
        #expect(CLIOutput.json(testCase.value) == expected)
    }

    @Test func casesCoverTheShapesGuidesShow() {
        let cases = OutputCase.all
        #expect(cases.count >= 40)
        // Scalars, lists and objects at the top, and each format printing nothing somewhere.
        let kinds = Set(cases.map(\.value.typeName))
        #expect(kinds == ["an object", "an array", "a string", "a number", "a boolean", "null"])
        for format in CLIOutputFormat.allCases {
            #expect(cases.contains { $0.expected[format] == "" })
        }
        // Tables wider than 80 columns, with sections turned into key/value rows.
        #expect(cases.contains { ($0.expected[.table]?.split(separator: "\n").first?.count ?? 0) > 80 })
        #expect(cases.contains { $0.expected[.table]?.contains("||||") == true })
    }

    /// A Python dict keeps a repeated key where it first appears, with its last value.
    @Test func duplicateKeysMergeAsInAPythonDict() {
        let value = parse(#"{"b": 1, "a": [2], "b": {"c": 3}, "a": "x"}"#)
        #expect(CLIOutput.json(value) == "{\n    \"b\": {\n        \"c\": 3\n    },\n    \"a\": \"x\"\n}\n")
        #expect(CLIOutput.render(value, format: .text, title: "Example") == "x\nB\t3\n")
        let table = """
            --------------
            |   Example  |
            +-----+------+
            |  a  |  x   |
            +-----+------+
            ||     b    ||
            |+----+-----+|
            ||  c |  3  ||
            |+----+-----+|

            """
        #expect(CLIOutput.render(value, format: .table, title: "Example") == table)
    }

    @Test func emptyContainersPrintAsBrackets() {
        let value = parse(#"{"a": {}, "b": []}"#)
        #expect(CLIOutput.json(value) == "{\n    \"a\": {},\n    \"b\": []\n}\n")
        #expect(CLIOutput.json(parse("{}")) == "{}\n")
        #expect(CLIOutput.json(parse("[]")) == "[]\n")
        #expect(CLIOutput.render(parse("{}"), format: .json, title: "CreateAlias") == "")
    }

    @Test func formatsAreNamedAsTheOutputOption() {
        #expect(CLIOutputFormat.allCases.map(\.rawValue) == ["json", "text", "table"])
        #expect(CLIOutputFormat(rawValue: "yaml") == nil)
    }
}
