import Testing

@testable import KBShell

final class RecordingHost: ShellHost {
    var invocations: [ShellInvocation] = []
    var files: [String: [UInt8]] = ["policy.json": Array("{}".utf8)]

    func run(_ invocation: ShellInvocation) -> ShellOutcome? {
        invocations.append(invocation)
        switch invocation.arguments.first {
        case "aws":
            if invocation.arguments.contains("fail") { return .failure("An error occurred", status: 254) }
            return ShellOutcome(stdout: Array((invocation.arguments.dropFirst().joined(separator: "|") + "\n").utf8))
        default: return nil
        }
    }

    func readFile(_ path: String) -> [UInt8]? { files[path] }
}

@Suite struct ShellParserTests {
    func words(_ line: String, variables: [String: String] = [:]) throws -> [String] {
        let host = RecordingHost()
        let shell = ShellInterpreter(host: host, variables: variables)
        _ = shell.run(try ShellParser.parse("aws " + line))
        return Array(host.invocations.first?.arguments.dropFirst() ?? [])
    }

    @Test(
        "quoting follows the shell",
        arguments: [
            ("a b  c", ["a", "b", "c"]),
            ("'a b' \"c d\"", ["a b", "c d"]),
            ("a\\ b", ["a b"]),
            ("'{\"k\": \"v\"}'", ["{\"k\": \"v\"}"]),
            ("\"x\\\"y\\$z\"", ["x\"y$z"]),
            ("\"\"", [""]),
            ("''x", ["x"]),
            ("--opt=\"a b\"", ["--opt=a b"]),
            ("a\\\nb", ["ab"]),
            ("a # comment", ["a"]),
            ("a#b", ["a#b"]),
            ("'$HOME'", ["$HOME"]),
            ("$", ["$"]),
        ])
    func quoting(line: String, expected: [String]) throws {
        #expect(try words(line) == expected)
    }

    @Test("variables expand; unquoted ones split into fields, quoted ones do not")
    func variables() throws {
        let variables = ["KEY": "arn:aws:kms:us-east-1:111122223333:key/1", "TWO": "a b", "EMPTY": ""]
        #expect(try words("$KEY", variables: variables) == ["arn:aws:kms:us-east-1:111122223333:key/1"])
        #expect(try words("\"${KEY}\"", variables: variables) == ["arn:aws:kms:us-east-1:111122223333:key/1"])
        #expect(try words("$TWO", variables: variables) == ["a", "b"])
        #expect(try words("\"$TWO\"", variables: variables) == ["a b"])
        #expect(try words("$EMPTY x", variables: variables) == ["x"])
        #expect(try words("\"$EMPTY\" x", variables: variables) == ["", "x"])
        #expect(try words("pre$TWO", variables: variables) == ["prea", "b"])
        #expect(
            try words("'{\"Key\":\"'$KEY'\"}'", variables: variables) == [
                "{\"Key\":\"arn:aws:kms:us-east-1:111122223333:key/1\"}"
            ])
        #expect(try words("\"{\\\"Key\\\": \\\"$TWO\\\"}\"", variables: variables) == ["{\"Key\": \"a b\"}"])
    }

    @Test("command substitution captures output without trailing newlines and sets variables")
    func substitution() throws {
        let host = RecordingHost()
        let shell = ShellInterpreter(host: host)
        let outcome = shell.run(try ShellParser.parse("KEY=$(aws kms create-key)"))
        #expect(outcome.status == 0)
        #expect(shell.variables["KEY"] == "kms|create-key")
        let failed = shell.run(try ShellParser.parse("OTHER=$(aws fail)"))
        #expect(failed.status == 254)
        #expect(failed.stderr == "An error occurred\n")
        #expect(shell.variables["OTHER"] == "")
    }

    @Test("export, pipes, redirections and builtins")
    func pipesAndBuiltins() throws {
        let host = RecordingHost()
        let shell = ShellInterpreter(host: host)
        _ = shell.run(try ShellParser.parse("export REGION=eu-west-1"))
        _ = shell.run(try ShellParser.parse("aws s3 ls"))
        #expect(host.invocations.last?.environment["REGION"] == "eu-west-1")
        _ = shell.run(try ShellParser.parse("echo hello > out.txt"))
        #expect(shell.files["out.txt"] == Array("hello\n".utf8))
        let cat = shell.run(try ShellParser.parse("cat ./out.txt"))
        #expect(cat.stdout == Array("hello\n".utf8))
        let encoded = shell.run(try ShellParser.parse("printf 'hi' | base64"))
        #expect(String(decoding: encoded.stdout, as: UTF8.self) == "aGk=\n")
        let decoded = shell.run(try ShellParser.parse("echo aGk= | base64 --decode"))
        #expect(decoded.stdout == Array("hi".utf8))
        let missing = shell.run(try ShellParser.parse("cat nothing.txt"))
        #expect(missing.status == 1)
        #expect(missing.stderr == "cat: nothing.txt: No such file or directory\n")
        let chained = shell.run(try ShellParser.parse("false && echo no || echo yes"))
        #expect(chained.stdout == Array("yes\n".utf8))
        let unknown = shell.run(try ShellParser.parse("jq .Arn"))
        #expect(unknown.unsupported == "jq")
        let here = shell.run(try ShellParser.parse("cat <<EOF\nkey=$REGION\nEOF"))
        #expect(here.stdout == Array("key=eu-west-1\n".utf8))
        let quotedHere = shell.run(try ShellParser.parse("cat <<'EOF'\nkey=$REGION\nEOF"))
        #expect(quotedHere.stdout == Array("key=$REGION\n".utf8))
    }

    @Test(
        "open constructs are incomplete, so a transcript reads the next line",
        arguments: ["aws 'a", "aws \"a", "aws a \\", "aws a |", "aws a &&", "X=$(aws a", "cat <<EOF\nx"])
    func incomplete(line: String) {
        #expect(throws: ShellSyntaxError.self) { try ShellParser.parse(line) }
        let error = try? { () throws(ShellSyntaxError) -> ShellScript in try ShellParser.parse(line) }()
        #expect(error == nil)
        do {
            _ = try ShellParser.parse(line)
        } catch {
            #expect(error.isIncomplete, "\(line): \(error.message)")
        }
    }

    @Test(
        "unsupported syntax is an error at its offset",
        arguments: [("aws a & b", 6), ("aws $((1+2))", 4), ("aws (x)", 4), ("aws ${A:-b}", 4), ("aws $?", 4)])
    func unsupported(line: String, offset: Int) {
        do {
            _ = try ShellParser.parse(line)
            Issue.record("\(line) parsed")
        } catch {
            #expect(!error.isIncomplete)
            #expect(error.offset == offset, "\(line): \(error.message)")
        }
    }

    @Test("deep command substitution is refused, not recursed into")
    func deepNesting() {
        let line = String(repeating: "$(echo ", count: 10_000) + String(repeating: ")", count: 10_000)
        #expect(throws: ShellSyntaxError.self) { try ShellParser.parse(line) }
    }

    @Test("variables read and assigned are listed, substitutions included")
    func variableLists() throws {
        let script = try ShellParser.parse("export A=$(aws x --key \"$KEY\") && B=$C aws y $D")
        #expect(script.variablesRead == ["KEY", "C", "D"])
        #expect(script.variablesAssigned == ["A", "B"])
    }
}

@Suite struct TranscriptParserTests {
    @Test("commands, continuations and expected output")
    func splitting() {
        let lines = [
            "# set up", "$ aws kms create-key \\", "    --description test", "{", "  \"KeyMetadata\": {}", "}", "",
            "$ aws s3api put-bucket-policy --policy '{", "$ not a prompt inside quotes", "}'", "$ echo done", "done",
            "",
        ]
        let (transcript, preamble) = TranscriptParser.parse(lines: lines)
        #expect(preamble == [0])
        #expect(transcript.commands.count == 3)
        let first = transcript.commands[0]
        #expect(first.firstLine == 1)
        #expect(first.expected.map(\.line) == [3, 4, 5])
        #expect(first.location(ofTextOffset: first.text.utf8.count - 1).line == 2)
        #expect(transcript.commands[1].segments.map(\.line) == [7, 8, 9])
        #expect(transcript.commands[1].expected.isEmpty)
        #expect(transcript.commands[2].expected.map(\.text) == ["done"])
        #expect(transcript.commands[0].location(ofTextOffset: 4) == (1, 6))
    }

    // Found by Fuzz/ (FuzzTranscript): an open command was parsed again after
    // every line, so thousands of lines took minutes.
    static let openCommands: [String: [String]] = [
        "5,000 lines ending in |": ["$ echo a |"] + Array(repeating: "cat |", count: 5_000) + ["cat"],
        "a $( open for 5,000 lines": ["$ echo $("] + Array(repeating: "echo a", count: 5_000) + [")"],
        "2,000 here-documents": ["$ cat" + (0..<2_000).map { " <<E\($0)" }.joined()]
            + (0..<2_000).flatMap { ["body", "E\($0)"] },
    ]

    @Test(
        "a command left open line after line stops being read",
        arguments: openCommands.keys.sorted())
    func longOpenCommand(name: String) throws {
        let lines = try #require(Self.openCommands[name])
        // No clock here (speed is measured by scripts/bench-hostile, never in
        // a unit test): the parser must give up with a located message rather
        // than read the open command to its end.
        let (transcript, _) = TranscriptParser.parse(lines: lines)
        let first = try #require(transcript.commands.first)
        guard case .failure(let error) = first.script else {
            Issue.record("the command parsed")
            return
        }
        #expect(error.message.contains("is still open after"))
    }

    @Test("a pipeline continued over lines is still one command")
    func continuedPipeline() throws {
        let lines = ["$ echo a |"] + Array(repeating: "cat |", count: 50) + ["cat", "a"]
        let (transcript, _) = TranscriptParser.parse(lines: lines)
        #expect(transcript.commands.count == 1)
        let script = try transcript.commands[0].script.get()
        #expect(script.items.first?.pipeline.commands.count == 52)
        #expect(transcript.commands[0].expected.map(\.text) == ["a"])
    }
}

// Found by Fuzz/ (FuzzTranscript): text that doubles with every command ran
// out of memory.
@Suite struct ShellBudgetTests {
    func run(_ lines: [String]) throws -> (ShellInterpreter, [ShellOutcome]) {
        let host = RecordingHost()
        let shell = ShellInterpreter(host: host)
        let outcomes = try lines.map { shell.run(try ShellParser.parse($0)) }
        withExtendedLifetime(host) {}
        return (shell, outcomes)
    }

    static let doublings: [String: [String]] = [
        "A=$A$A$A$A": ["A=0123456789abcdef"] + Array(repeating: "A=$A$A$A$A", count: 20) + ["echo ok"],
        "cat f f f f > g": ["echo 0123456789abcdef > f"]
            + (0..<20).flatMap { _ in ["cat f f f f > g", "cat g g g g > f"] },
        "printf reusing a long format": ["A=0123456789abcdef"] + Array(repeating: "A=$A$A", count: 19)
            + ["printf \"$A%s\" " + Array(repeating: "x", count: 300).joined(separator: " ")],
    ]

    @Test("text that doubles with every command stops at the session's budget", arguments: doublings.keys.sorted())
    func budget(name: String) throws {
        let (shell, outcomes) = try run(try #require(Self.doublings[name]))
        let failure = try #require(outcomes.first { $0.status != 0 })
        #expect(failure.stderr.hasPrefix("kbtool: ") || failure.stderr.hasSuffix("File too large\n"))
        let held = shell.variables.values.map(\.utf8.count).reduce(0, +) + shell.files.values.map(\.count).reduce(0, +)
        #expect(held <= 2 * ShellInterpreter.byteBudget)
    }

    @Test("a session well within the budget runs as before")
    func withinBudget() throws {
        let (shell, outcomes) = try run(["A=0123456789abcdef"] + Array(repeating: "A=$A$A", count: 10) + ["echo $A"])
        #expect(shell.variables["A"]?.utf8.count == 16 << 10)
        #expect(outcomes.allSatisfy { $0.status == 0 })
    }
}

@Suite struct ShellBuiltinTests {
    @Test(
        "printf reuses its format while arguments remain, and stops when none are consumed",
        arguments: [
            ("printf '%s,' a b c", "a,b,c,"),
            ("printf '%%' a b", "%"),
            ("printf 'x\\n'", "x\n"),
            ("printf '%d items' 3", "3 items"),
        ])
    func printf(line: String, output: String) throws {
        let shell = ShellInterpreter(host: RecordingHost())
        let outcome = shell.run(try ShellParser.parse(line))
        #expect(String(decoding: outcome.stdout, as: UTF8.self) == output)
    }

    @Test("base64 wraps at 76 columns unless told otherwise, and rejects bad input")
    func base64() throws {
        let host = RecordingHost()
        host.files["long.bin"] = Array(repeating: 0x41, count: 100)
        let shell = ShellInterpreter(host: host)
        let wrapped = String(decoding: shell.run(try ShellParser.parse("base64 long.bin")).stdout, as: UTF8.self)
        #expect(wrapped.split(separator: "\n").map(\.count) == [76, 60])
        let single = String(decoding: shell.run(try ShellParser.parse("base64 -w 0 long.bin")).stdout, as: UTF8.self)
        #expect(single.split(separator: "\n").count == 1)
        let bad = shell.run(try ShellParser.parse("echo '!!!' | base64 -d"))
        #expect(bad.status == 1)
        #expect(bad.stderr == "base64: invalid input\n")
    }
}

/// Regressions found in review, each checked against bash.
@Suite struct ShellSemanticsTests {
    func run(_ line: String, variables: [String: String] = [:]) throws -> (ShellInterpreter, ShellOutcome) {
        let host = RecordingHost()
        let shell = ShellInterpreter(host: host, variables: variables)
        let outcome = shell.run(try ShellParser.parse(line))
        withExtendedLifetime(host) {}
        return (shell, outcome)
    }

    func terminal(_ line: String) throws -> String {
        String(decoding: try run(line).1.terminal, as: UTF8.self)
    }

    @Test("the terminal shows both streams in the order they were written")
    func order() throws {
        #expect(try terminal("cat missing.txt; echo after") == "cat: missing.txt: No such file or directory\nafter\n")
    }

    @Test(
        "redirections apply left to right",
        arguments: [
            ("cat missing.txt 2>&1 >/dev/null", "cat: missing.txt: No such file or directory\n"),
            ("cat missing.txt >/dev/null 2>&1", ""),
            ("cat missing.txt &>/dev/null", ""),
            ("cat missing.txt 2>err.txt; cat err.txt", "cat: missing.txt: No such file or directory\n"),
            ("echo a > f.txt; echo b >> f.txt; cat f.txt", "a\nb\n"),
        ])
    func redirections(line: String, shown: String) throws {
        #expect(try terminal(line) == shown)
    }

    @Test("export and assignments take values whole, left to right")
    func assignments() throws {
        let (shell, _) = try run("export LIST=$(printf 'a b c'); A=1 B=$A")
        #expect(shell.variables["LIST"] == "a b c")
        #expect(shell.variables["B"] == "1")
    }

    @Test("blank-only expansions still split fields")
    func blanks() throws {
        #expect(try terminal("SP='  '; printf '[%s]' x${SP}y") == "[x][y]")
    }

    @Test("here-documents: bodies in operator order, before a pipe, with backquotes expanded")
    func hereDocuments() throws {
        #expect(try terminal("cat <<A; cat <<B\none\nA\ntwo\nB") == "one\ntwo\n")
        #expect(try terminal("cat <<EOF |\nbody\nEOF\ncat") == "body\n")
        #expect(try terminal("cat <<EOF\n`echo hi` there\\\nagain\nEOF") == "hi thereagain\n")
    }
}
