import Foundation
import KBJMESPath
import KBJSON
import Testing

@Suite struct JMESPathErrorTests {
    /// Offsets count characters (Unicode scalars, as Python indexes strings), not bytes.
    @Test(arguments: [
        ("Contents[?Key == 'report.csv].Key", 17, "unclosed ' delimiter"),
        ("KeyMetadata.\"Arn", 12, "unclosed \" delimiter"),
        ("Contents[?Size > `10].Key", 17, "unclosed ` delimiter"),
        ("KeyMetadata.Arn extra", 16, "unexpected 'extra'"),
        ("Contents[].Key]", 14, "unexpected ']'"),
        ("Contents[", 9, "incomplete expression"),
        ("'\u{e9}\u{e9}' \u{e9}", 5, "unknown token '\u{e9}'"),
        ("Aliases[?AliasName = 'x']", 19, "unknown token '='"),
        ("a.-1", 2, "expected an identifier"),
        ("foo | \"length\"(@)", 6, "quoted identifier cannot name a function"),
        ("`{\"a\": 1`", 0, "invalid JSON literal"),
        ("", 0, "empty expression"),
    ])
    func syntaxErrorsSayWhere(_ expression: String, _ offset: Int, _ message: String) throws {
        let error = #expect(throws: JMESPathError.self) { try JMESPathExpression(expression) }
        #expect(error?.offset == offset)
        #expect(error?.message.contains(message) == true, "message was: \(error?.message ?? "none")")
        #expect(error?.description.hasSuffix("(at character \(offset))") == true)
    }

    /// Like the reference, function names and arguments are checked when evaluated,
    /// and the messages are its messages.
    @Test(arguments: [
        ("nope(@)", "Unknown function: nope()"),
        ("length(@, @)", "Expected 1 argument for function length(), received 2"),
        ("merge()", "Expected at least 1 argument for function merge(), received 0"),
        (
            "abs(Name)",
            "In function abs(), invalid type for value: \"kms\", expected one of: ['number'], received: \"string\""
        ),
        (
            "sum(Sizes)",
            "In function sum(), invalid type for value: \"3\", expected one of: ['array-number'], received: \"string\""
        ),
        ("sort_by(Sizes, Name)", "In function sort_by(), invalid type for value: \"kms\""),
        ("map(&Name)", "Expected 2 arguments for function map(), received 1"),
        ("&Name", "an expression reference (&...) can only be a function argument"),
        ("Sizes[::0]", "slice step cannot be zero"),
        ("Sizes[?@ < `\"x\"`]", "'<' not supported between number and string"),
    ])
    func evaluationErrorsUseTheReferenceMessages(_ expression: String, _ message: String) throws {
        let data = try json(#"{"Name": "kms", "Sizes": [1, 2, "3"]}"#)
        let compiled = try JMESPathExpression(expression)
        let error = #expect(throws: JMESPathError.self) { try compiled.evaluate(data) }
        #expect(error?.message.hasPrefix(message) == true, "message was: \(error?.message ?? "none")")
        #expect(error?.offset == nil)
    }

    @Test func unknownFunctionsAreOnlyAnErrorWhenCalled() throws {
        let compiled = try JMESPathExpression("Name || nope(@)")
        #expect(try compiled.evaluate(json(#"{"Name": "kms"}"#)).string == "kms")
        #expect(throws: JMESPathError.self) { try compiled.evaluate(json("{}")) }
    }

    /// Each kind of nesting is accepted up to the limit and refused one level beyond
    /// it, with an error rather than a crash.
    @Test(arguments: NestingShape.all)
    func nestingIsBoundedWithAnError(_ shape: NestingShape) throws {
        let deepest = try #require((1...300).last { (try? JMESPathExpression(shape.build($0))) != nil })
        // A level of some shapes is two tree levels (`a[]` is a flatten inside a projection).
        #expect(deepest >= 120, "only \(deepest) levels accepted")
        #expect(deepest < 300)
        let error = #expect(throws: JMESPathError.self) { try JMESPathExpression(shape.build(deepest + 1)) }
        #expect(error?.message == "expression nested deeper than 256 levels")
        #expect(error?.offset != nil)
    }

    /// 512 KiB is the stack of a secondary thread on macOS: the deepest accepted
    /// expressions must parse and evaluate within it (a failure here is a crash).
    /// Unoptimized builds use about three times as much, so they get 2 MiB.
    @Test func theDeepestAcceptedExpressionsFitASmallStack() async throws {
        #if DEBUG
            let stackSize = 2048 * 1024
        #else
            let stackSize = 512 * 1024
        #endif
        let depths = try NestingShape.all.map { shape in
            try #require((1...300).last { (try? JMESPathExpression(shape.build($0))) != nil })
        }
        // Data as deep as the expressions, so projections and filters recurse too.
        var options = JSONParser.Options()
        options.maxDepth = 600
        let deep = String(repeating: #"{"a": ["#, count: 260) + "1" + String(repeating: "]}", count: 260)
        let data = try #require(JSONParser.parse(deep, options: options).value)
        let outcomes = await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
            let thread = Thread {
                var outcomes: [String] = []
                for (shape, depth) in zip(NestingShape.all, depths) {
                    do {
                        _ = try JMESPathExpression(shape.build(depth)).evaluate(data)
                        outcomes.append("ok")
                    } catch {
                        outcomes.append("\(shape.name): \(error)")
                    }
                }
                continuation.resume(returning: outcomes)
            }
            thread.stackSize = stackSize
            thread.start()
        }
        #expect(outcomes == Array(repeating: "ok", count: NestingShape.all.count))
    }

    /// Only nesting is limited: chains are loops, however long.
    @Test func longChainsAreNotNesting() throws {
        let data = try json(#"{"a": {"a": [1, 2]}}"#)
        let dots = "a" + String(repeating: ".a", count: 20_000)
        #expect(try JMESPathExpression(dots).evaluate(data).isNull)
        let indexes = "a.a" + String(repeating: "[0]", count: 20_000)
        #expect(try JMESPathExpression(indexes).evaluate(data).isNull)
        let list = "[" + Array(repeating: "a.a[1]", count: 20_000).joined(separator: ", ") + "]"
        #expect(try JMESPathExpression(list).evaluate(data).elements?.count == 20_000)
    }

    @Test func repeatedKeysInTheInputReadAsPythonReadsThem() throws {
        let data = try json(#"{"a": 1, "b": 2, "a": 3}"#, allowingDuplicates: true)
        #expect(try JMESPathExpression("a").evaluate(data).number?.literal == "3")
        #expect(try JMESPathExpression("keys(@)").evaluate(data).elements?.compactMap(\.string) == ["a", "b"])
        #expect(try JMESPathExpression("*").evaluate(data).elements?.compactMap(\.number?.literal) == ["3", "2"])
        #expect(try JMESPathExpression("length(@)").evaluate(data).number?.literal == "2")
        #expect(try JMESPathExpression("@").evaluate(data).members?.map(\.key) == ["a", "b"])
    }

    @Test func resultsOfArithmeticArePrintedAsPythonPrintsThem() throws {
        let data = try json(#"{"Sizes": [1, 2], "Odd": [1, 3], "Price": 2.50}"#)
        let printed = try [
            "sum(Sizes)", "avg(Sizes)", "avg(Odd)", "length(Sizes)", "abs(`-2.50`)", "ceil(Price)", "floor(`-0.5`)",
            "to_number('1e3')", "to_string(Price)", "Price",
        ].map { expression in
            let result = try JMESPathExpression(expression).evaluate(data)
            return result.number?.literal ?? result.string ?? "?"
        }
        // A value taken from the input keeps its spelling; computed ones are Python's.
        #expect(printed == ["3", "1.5", "2.0", "2", "2.5", "3", "-1", "1000.0", "2.5", "2.50"])
    }
}

/// A way of nesting expressions, as deep as asked.
struct NestingShape: Sendable, CustomTestStringConvertible {
    var name: String
    var build: @Sendable (Int) -> String
    var testDescription: String { name }

    static let all: [NestingShape] = [
        NestingShape(name: "parentheses") {
            String(repeating: "(", count: $0) + "a" + String(repeating: ")", count: $0)
        },
        NestingShape(name: "negations") { String(repeating: "!", count: $0) + "a" },
        NestingShape(name: "lists") { String(repeating: "[", count: $0) + "a" + String(repeating: "]", count: $0) },
        NestingShape(name: "hashes") { String(repeating: "{a: ", count: $0) + "a" + String(repeating: "}", count: $0) },
        NestingShape(name: "projections") { "a" + String(repeating: "[*].a", count: $0) },
        NestingShape(name: "filters") { String(repeating: "a[?", count: $0) + "a" + String(repeating: "]", count: $0) },
        NestingShape(name: "calls") {
            String(repeating: "not_null(", count: $0) + "a" + String(repeating: ")", count: $0)
        },
        NestingShape(name: "pipes") { "a" + String(repeating: " | a", count: $0) },
        NestingShape(name: "ors") { "a" + String(repeating: " || a", count: $0) },
        NestingShape(name: "comparisons") { "a" + String(repeating: " == a", count: $0) },
        NestingShape(name: "flattens") { "a" + String(repeating: "[]", count: $0) },
    ]
}

func json(_ text: String, allowingDuplicates: Bool = false) throws -> JSONValue {
    let parsed = JSONParser.parse(text)
    #expect(parsed.issues.allSatisfy { allowingDuplicates && $0.kind == .duplicateKey })
    return try #require(parsed.value)
}

extension JSONValue {
    var isNull: Bool { self.kind == .null }
}
