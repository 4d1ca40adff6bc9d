import Testing

@testable import KBCLIModel

/// Broken data gives located errors that name the service, and one broken
/// section leaves the others usable.
@Suite struct CLIModelFormatTests {
    /// A small model in the generator's format, its index computed.
    static func data(_ sections: [(String, String)], header: String = "") -> [UInt8] {
        var index = ""
        var body = ""
        for (name, text) in sections {
            index += "I\t\(name)\t\(body.utf8.count)\t\(text.utf8.count)\n"
            body += text
        }
        let top = """
            #kbtool-cli-model\t1
            #botocore\t1.0.0
            #awscli\t1.0.0
            E\t0\tjson\ttext
            G\t--output\te0\t1\t
            G\t--debug\tb\t0\t
            J\t--cli-input-json\ts\t1\t
            P\t--starting-token\ts\t1\t
            P\t--page-size\t@\t1\t
            P\t--max-items\t@\t1\t

            """
        return Array((top + header + index + "#body\n" + body).utf8)
    }

    static let good =
        "S\tgood\tgood\t\nO\tlist-things\tListThings\tjpl\nA\t--name\te0\t1r\tName\nA\t--spec\tS0\t1\tSpec\nE\t0\ta\tb\nT\t0\t*Key:s\tValues:[i\n"

    @Test("a small model loads and applies the implicit options")
    func small() throws {
        let model = try CLIModel(bytes: Self.data([("good", Self.good)]))
        let operation = try #require(try model.operation("good", "list-things"))
        #expect(
            operation.options.map(\.name) == [
                "--cli-input-json", "--starting-token", "--page-size", "--max-items", "--name", "--spec",
            ])
        #expect(operation.option(named: "--page-size")?.type == .long)
        #expect(operation.option(named: "--name")?.enumValues == ["a", "b"])
        #expect(operation.paginates)
        let service = try #require(try model.service("good"))
        #expect(
            service.structure(0)?.members == [
                .init(name: "Key", type: .string, isRequired: true),
                .init(name: "Values", type: .list(.integer), isRequired: false),
            ])
        #expect(model.globalOption(named: "--output")?.enumValues == ["json", "text"])
    }

    @Test(
        "a broken section is an error naming its service, at its line",
        arguments: [
            ("S\tbad\tbad\t\nO\top\tOp\t\nA\t--x\tq\t1\t\n", 22, "unknown type letter 'q'"),
            ("S\tbad\tbad\t\nO\top\tOp\t\nA\t--x\ts\tz\t\n", 22, "unknown arity 'z'"),
            ("S\tbad\tbad\t\nA\t--x\ts\t1\t\n", 21, "an option before any command"),
            ("S\tbad\tbad\t\nO\top\tOp\t\nA\t--x\te7\t1\t\n", 22, "no enum 7"),
            ("S\tbad\tbad\t\nO\top\tOp\t\nA\t--x\t[[[[\t1\t\n", 22, "incomplete type"),
            ("S\tbad\tbad\t\nO\top\tOp\t\nQ\tx\n", 22, "unknown record 'Q'"),
            ("O\top\tOp\t\n", 20, "a section starts with its S line"),
        ])
    func brokenSection(section: String, line: Int, message: String) throws {
        let model = try CLIModel(bytes: Self.data([("good", Self.good), ("bad", section)]))
        #expect(throws: CLIModelError(service: "bad", line: line, message: message)) { try model.service("bad") }
        #expect(try model.operation("good", "list-things") != nil)
        #expect(model.serviceNames == ["bad", "good"])
    }

    @Test(
        "a broken header is a located error",
        arguments: [
            ("I\tx\t0\t999999\n", "'x' lies past the end of the data"),
            ("I\tx\tzero\t1\n", "an index entry is name, offset, length"),
            ("G\t--x\t?\t1\t\n", "unknown type letter '?'"),
            ("stray\n", "unexpected line in the header"),
        ])
    func brokenHeader(header: String, message: String) throws {
        #expect(throws: CLIModelError.self) { try CLIModel(bytes: Self.data([], header: header)) }
        do {
            _ = try CLIModel(bytes: Self.data([], header: header))
        } catch {
            #expect(error.service == nil)
            #expect(error.message == message)
            #expect(error.line == 11)
        }
    }

    @Test("bytes that are not the model are refused, not trusted")
    func notAModel() {
        for bytes in [[], Array("hello\n".utf8), Array("#kbtool-cli-model\t2\n#body\n".utf8), [0xFF, 0xFE, 0x0A]] {
            #expect(throws: CLIModelError.self) { try CLIModel(bytes: bytes) }
        }
        #expect(throws: CLIModelError.self) { try CLIModel(bytes: Array("#kbtool-cli-model\t1\n".utf8)) }
    }

    @Test("the checker reports a broken service's commands as command-model, naming it, and still checks the others")
    func checkerWithBrokenService() throws {
        let model = try CLIModel(
            bytes: Self.data([("good", Self.good), ("bad", "S\tbad\tbad\t\nO\top\tOp\t\nA\t--x\tq\t1\t\n")]))
        let checker = CommandChecker(model: model)
        let broken = checker.check(["bad", "op", "--x", "1"].map { CommandArgument($0) })
        #expect(broken.problems.map(\.kind) == [.modelUnavailable])
        #expect(broken.problems.first?.message.contains("aws bad") == true)
        let good = checker.check(["good", "list-things", "--nmae", "a"].map { CommandArgument($0) })
        #expect(good.problems.map(\.kind).contains(.unknownOption), "\(good.problems.map(\.message))")
        let clean = checker.check(["good", "list-things", "--name", "a"].map { CommandArgument($0) })
        #expect(clean.problems.isEmpty, "\(clean.problems.map(\.message))")
    }
}
