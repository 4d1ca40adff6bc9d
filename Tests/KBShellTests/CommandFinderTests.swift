import Testing

@testable import KBShell

/// The command finder reads shell text as a shell splits it, never refusing
/// a line, and gives every word its exact offsets.
@Suite struct CommandFinderTests {
    static func words(_ text: String, dialect: ShellDialect = .posix, prompts: PromptMode = .none) -> [[String]] {
        CommandFinder.scan(text, dialect: dialect, prompts: prompts).commands.map { $0.words.map(\.text) }
    }

    @Test(
        "commands are split as a shell splits them",
        arguments: [
            ("aws s3 ls", [["aws", "s3", "ls"]]),
            ("aws kms create-key \\\n  --description 'a b'", [["aws", "kms", "create-key", "--description", "a b"]]),
            (
                "aws s3 ls && aws kms list-keys | jq .",
                [["aws", "s3", "ls"], ["aws", "kms", "list-keys"], ["jq", "."]]
            ),
            (
                "KEY=$(aws kms create-key --query KeyMetadata.KeyId)",
                [["aws", "kms", "create-key", "--query", "KeyMetadata.KeyId"]]
            ),
            ("sudo -u admin aws s3 ls", [["aws", "s3", "ls"]]),
            ("for b in a b; do aws s3 rb s3://$b; done", [["aws", "s3", "rb", "s3://$b"]]),
            ("aws s3 ls # list buckets", [["aws", "s3", "ls"]]),
            ("cat <<EOF > p.json\naws s3 ls\nEOF\naws iam list-roles", [["cat"], ["aws", "iam", "list-roles"]]),
            (
                "aws s3api get-object --bucket <bucket name> --key k out",
                [["aws", "s3api", "get-object", "--bucket", "<bucket name>", "--key", "k", "out"]]
            ),
            ("aws s3 ls \"s3://${BUCKET}/x\"", [["aws", "s3", "ls", "s3://${BUCKET}/x"]]),
        ])
    func splitsCommands(text: String, expected: [[String]]) {
        #expect(Self.words(text) == expected)
    }

    @Test("with prompts, only prompted lines are commands; output lines are not")
    func promptedBlocks() {
        let text = "$ aws s3 ls\n2024-01-01 bucket\n$ aws kms list-keys \\\n    --limit 2\n{\"Keys\": []}\n"
        #expect(
            Self.words(text, prompts: .prompted) == [
                ["aws", "s3", "ls"], ["aws", "kms", "list-keys", "--limit", "2"],
            ])
        #expect(CommandFinder.showsPrompts(text.split(separator: "\n").map(String.init), dialect: .posix))
    }

    @Test("PowerShell: backtick continuations, prompts, and '<' that is no redirection")
    func powershell() {
        let text =
            "PS C:\\> aws kms create-key `\n    --description 'it''s' <token>\nC:\\> SET X=<remainder of token> \n"
        let found = Self.words(text, dialect: .powershell, prompts: .prompted)
        #expect(found.first == ["aws", "kms", "create-key", "--description", "it's", "<token>"])
        // A lone `<` that starts no placeholder is stepped over, not looped on.
        #expect(Self.words("aws s3 ls < x", dialect: .powershell) == [["aws", "s3", "ls", "x"]])
    }

    @Test("a word knows its offsets, its expansions, and whether the shell splits it")
    func wordDetails() throws {
        let text = "aws s3 cp \"$SRC\" s3://b/$KEY $EXTRA"
        let command = try #require(CommandFinder.scan(text).commands.first)
        let bytes = Array(text.utf8)
        let source = command.words[3]
        #expect(String(decoding: bytes[source.range], as: UTF8.self) == "\"$SRC\"")
        #expect(source.isDynamic && !source.splits)
        #expect(command.words[4].splits && command.words[4].substituting("0") == "s3://b/0")
        #expect(command.words[5].splits)
        #expect(command.program == "aws")
    }

    @Test("program names: a folder the shell runs from, never a Go import path")
    func programNames() {
        #expect(CommandFinder.scan("/usr/local/bin/aws s3 ls").commands.first?.program == "aws")
        #expect(CommandFinder.scan("\"github.com/aws/aws-sdk-go-v2/aws\"").commands.first?.program == nil)
        #expect(CommandFinder.scan("aws.exe s3 ls").commands.first?.program == "aws")
    }

    @Test("an unclosed quote and a trailing continuation are recorded")
    func unclosedAndOpen() throws {
        let unclosed = try #require(CommandFinder.scan("aws s3 ls 's3://b\naws kms list-keys").commands.first)
        #expect(unclosed.words.last?.unclosed == 10)
        let open = CommandFinder.scan("aws s3 ls \\")
        #expect(open.openContinuation == 10)
        #expect(CommandFinder.scan("aws s3 ls |").openContinuation == 10)
    }

    @Test("files written by redirections and tee are collected")
    func writtenFiles() {
        let scan = CommandFinder.scan("aws sts assume-role > out.json\necho x | tee a.txt b.txt\naws s3 ls 2>/dev/null")
        #expect(scan.writtenFiles == ["out.json", "a.txt", "b.txt"])
    }

    @Test("hostile text ends in bounded time with every byte read once")
    func hostile() {
        let long = "aws s3 ls " + String(repeating: "x", count: 100_000)
        #expect(CommandFinder.scan(long).commands.first?.words.last?.text.count == 100_000)
        let nested = String(repeating: "$(", count: 5_000) + "aws s3 ls"
        #expect(CommandFinder.scan(nested).commands.count <= CommandFinder.maxNesting + 1)
        let continued = String(repeating: "aws s3 ls \\\n", count: 2_000)
        #expect(CommandFinder.scan(continued).commands.count == 1)
        for text in ["<", "<<", "`", "$", "${", "\"", "'", "\\", "<a", "a<b>", "$((", "PS> <x"] {
            _ = CommandFinder.scan(text, dialect: .posix, prompts: .prompted)
            _ = CommandFinder.scan(text, dialect: .powershell, prompts: .none)
        }
    }
}
