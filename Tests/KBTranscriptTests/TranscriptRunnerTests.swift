import KBCommandCheck
import KBDiagnostics
import KBGuide
import Testing

@testable import KBTranscript

/// Runs a guide given as text; `blocks` are appended after a fixed front matter.
func runGuide(_ body: String, frontMatter: String? = nil, strict: Bool = false) -> TranscriptRunner.Report {
    let header =
        frontMatter ?? """
            kbtool:
              region: us-east-1
              profiles:
                owner: arn:aws:iam::111122223333:root
                partner:
                  principal: arn:aws:iam::444455556666:role/Reader
                  policies: [reader.json]
              default-profile: owner
            """
    let text = "---\ntitle: Test\n\(header)\n---\n\n# Test\n\n\(body)"
    let guide = GuideParser.parse(path: "guide.md", bytes: Array(text.utf8))
    return TranscriptRunner(strict: strict).run(guide, directory: nil)
}

let readerPolicy = """
    ```json title="reader.json"
    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","kms:Decrypt"],"Resource":"*"}]}
    ```
    """

@Suite struct TranscriptRunnerTests {
    @Test("a working session passes command by command, with variables and files kept")
    func passes() {
        let report = runGuide(
            readerPolicy + """

                ```console
                $ KEY_ARN=$(aws kms create-key --query KeyMetadata.Arn --output text)
                $ echo "$KEY_ARN"
                arn:aws:kms:us-east-1:111122223333:key/...
                $ aws s3api create-bucket --bucket amzn-s3-demo-bucket
                {
                    "Location": "/amzn-s3-demo-bucket"
                }
                $ echo 'id,total' > report.csv
                $ aws s3 cp report.csv s3://amzn-s3-demo-bucket/ \\
                    --sse aws:kms --sse-kms-key-id "$KEY_ARN"
                upload: ./report.csv to s3://amzn-s3-demo-bucket/report.csv
                ```

                Later, in another block:

                ```console
                $ aws s3api head-object --bucket amzn-s3-demo-bucket --key report.csv --query SSEKMSKeyId --output text
                arn:aws:kms:us-east-1:111122223333:key/...
                $ aws s3api get-object --bucket amzn-s3-demo-bucket --key report.csv out.csv > /dev/null
                $ cat out.csv
                id,total
                ```
                """)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.message))")
        #expect(report.examples.map(\.status) == Array(repeating: .pass, count: 8))
        #expect(report.examples.map(\.line) == [19, 20, 22, 26, 27, 35, 37, 38])
        #expect(report.examples[4].trace.contains { $0.kind == "authorization" && $0.action == "kms:GenerateDataKey" })
    }

    @Test("a wrong expectation fails at the expected lines, with a diff and the denying layer")
    func failsWithDiff() throws {
        let report = runGuide(
            readerPolicy + """

                ```console
                $ aws s3api create-bucket --bucket amzn-s3-demo-bucket
                $ echo hi > a.txt
                $ aws s3api put-object --bucket amzn-s3-demo-bucket --key a.txt --body a.txt
                $ aws s3api get-object --bucket amzn-s3-demo-bucket --key a.txt a.txt --profile partner
                {
                    "ContentLength": 3
                }
                ```
                """)
        #expect(report.examples.map(\.status) == [.pass, .pass, .pass, .fail])
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.rule == .transcriptOutput)
        #expect(diagnostic.range.start.line == 23)
        #expect(diagnostic.range.end.line == 25)
        #expect(diagnostic.related.first?.range.start.line == 22)
        #expect(diagnostic.notes.contains { $0.contains("- {") && $0.contains("+ An error occurred (AccessDenied)") })
        #expect(diagnostic.notes.contains { $0.hasPrefix("denied by the policy model: s3 s3:GetObject") })
    }

    @Test("an expected error passes; a command with no expected output must succeed")
    func expectedErrors() throws {
        let report = runGuide(
            readerPolicy + """

                ```console
                $ aws kms describe-key --key-id alias/missing
                An error occurred (NotFoundException) when calling the DescribeKey operation: ...
                $ aws kms describe-key --key-id alias/missing
                ```
                """)
        #expect(report.examples.map(\.status) == [.pass, .fail])
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.rule == .transcriptFailed)
        #expect(
            diagnostic.message.hasPrefix("the command failed (exit status 254): An error occurred (NotFoundException)"))
    }

    @Test("bad command lines are errors at the offending text")
    func badCommands() throws {
        let report = runGuide(
            readerPolicy + """

                ```console
                $ aws s3api list-objects-v2 --buckt amzn-s3-demo-bucket
                $ aws s3api put-bucket-policy --bucket b --policy file://missing.json
                $ aws sts get-caller-identity --profile partnr
                $ aws kms create-key --description 'never closed
                ```
                """)
        #expect(report.examples.map(\.status) == [.error, .error, .error, .error])
        let messages = report.diagnostics.map(\.message)
        // Usage errors are the command rules', as in any block.
        #expect(
            report.diagnostics.map(\.rule) == [
                Rule.commandOption.id, Rule.commandFile.id, Rule.transcriptCommand.id, Rule.commandSyntax.id,
            ])
        #expect(messages[0] == "`aws s3api list-objects-v2` has no option '--buckt'")
        #expect(report.diagnostics[0].range.start == SourcePosition(line: 19, column: 29))
        #expect(report.diagnostics[0].notes == ["did you mean '--bucket'?"])
        #expect(messages[1].contains("Unable to load paramfile file://missing.json"))
        #expect(report.diagnostics[1].range.start.column == 51)
        #expect(messages[2] == "the profile 'partnr' is not declared in the guide's front matter")
        #expect(report.diagnostics[2].notes == ["did you mean 'partner'?"])
        #expect(messages[3] == "the quote opened here is never closed")
        #expect(report.diagnostics[3].range.start == SourcePosition(line: 22, column: 36))
    }

    @Test("a failed command's variables make later users skipped, not failed")
    func dependencies() throws {
        let report = runGuide(
            readerPolicy + """

                ```console
                $ KEY=$(aws kms create-key --policy file://nope.json --query KeyMetadata.Arn --output text)
                $ aws kms describe-key --key-id "$KEY"
                $ aws kms describe-key --key-id "$NEVER_SET"
                ```
                """)
        #expect(report.examples.map(\.status) == [.error, .skipped, .error])
        #expect(report.examples[1].reason == "depends on line 19")
        #expect(report.diagnostics[2].message == "$NEVER_SET is not set by any earlier command")
        #expect(report.diagnostics[2].range.start.column == 33)
    }

    @Test("unsupported commands are notes, errors under --strict; kb=skip blocks do not run")
    func notRun() {
        let body =
            readerPolicy + """

                ```console
                $ aws ec2 describe-instances
                $ jq .Arn key.json
                ```

                ```console kb=skip
                $ aws kms create-key --oops
                ```
                """
        let report = runGuide(body)
        #expect(report.examples.map(\.status) == [.unsupported, .unsupported, .skipped])
        #expect(report.diagnostics.map(\.severity) == [.note, .note])
        #expect(runGuide(body, strict: true).diagnostics.map(\.severity) == [.error, .error])
    }

    @Test("front matter problems are located in the YAML")
    func setupProblems() {
        let report = runGuide(
            "```console\n$ aws sts get-caller-identity\n```",
            frontMatter: """
                kbtool:
                  regoin: us-east-1
                  profiles:
                    owner:
                      principal: arn:aws:iam::111122223333:role/Admin
                      policies: [admin.json]
                    broken: not-an-arn
                  default-profile: nobody
                """)
        let messages = Set(report.diagnostics.map(\.message))
        #expect(messages.contains("unknown kbtool setting 'regoin'"))
        #expect(messages.contains("profile 'owner' attaches 'admin.json', but no block has that title"))
        #expect(messages.contains("profile 'broken': 'not-an-arn' is not a principal ARN"))
        #expect(messages.contains("the default profile 'nobody' is not declared under 'profiles'"))
        #expect(report.diagnostics.first { $0.message.hasPrefix("unknown") }?.range.start.line == 4)
    }

    @Test("the same guide gives the same output every run")
    func deterministic() {
        let body = "```console\n$ aws kms create-key --query KeyMetadata.KeyId --output text\n```"
        let first = runGuide(body).examples.map(\.actual)
        #expect(first == runGuide(body).examples.map(\.actual))
        #expect(first.first?.count == 37)
    }

    @Test("a transcript cannot read files outside the guide's folder")
    func noEscape() {
        let report = runGuide(
            "```console\n$ aws s3api put-bucket-policy --bucket b --policy file://../../etc/passwd\n```")
        #expect(report.examples.map(\.status) == [.error])
    }
}

@Suite struct TranscriptReviewTests {
    @Test("a line may use the variable it sets; a skipped command's variables point at the root cause")
    func sameLineAndRootCause() {
        let report = runGuide(
            readerPolicy + """

                ```console
                $ KEY_ID=$(aws kms create-key --query KeyMetadata.KeyId --output text) && echo "${#}" > /dev/null; echo ok
                ```
                """)
        #expect(report.examples.first?.status == .error)
        let chain = runGuide(
            readerPolicy + """

                ```console
                $ A=1; echo $A
                1
                $ KEY=$(aws kms describe-key --key-id alias/none --query KeyMetadata.Arn --output text)
                $ OTHER=$(echo "$KEY")
                $ echo "$OTHER"
                ```

                ```console kb=skip
                $ SKIPPED=$(aws kms create-key --query KeyMetadata.Arn --output text)
                ```

                ```console
                $ echo "$SKIPPED"
                ```
                """)
        #expect(chain.examples.map(\.status) == [.pass, .fail, .skipped, .skipped, .skipped, .skipped])
        #expect(chain.examples[3].reason == "depends on line 21")
        #expect(chain.examples[5].reason == "depends on line 27")
    }

    @Test("errors point at the offending word, not at the first similar text")
    func wordLocations() throws {
        let report = runGuide(
            readerPolicy + """

                ```console
                $ aws s3api put-object --bucket b --ssekms-key-id k --sse aws:kms
                ```
                """)
        let diagnostic = try #require(report.diagnostics.first)
        // argparse reads `--sse` as an abbreviation, of several options here.
        #expect(diagnostic.message.hasPrefix("'--sse' is ambiguous for `aws s3api put-object`"))
        #expect(diagnostic.rule == .commandOption)
        #expect(diagnostic.range.start.column == 53)
    }

    @Test("a long continued command is read once, and its end column counts scalars")
    func longContinuation() {
        let lines = (0..<3_000).map { "    --tag t\($0) \\" }.joined(separator: "\n")
        let report = runGuide(
            readerPolicy + "\n\n```console\n$ aws kms create-key \\\n\(lines)\n    --description 'é😀'\n```")
        #expect(report.examples.count == 1)
        #expect(report.examples.first?.status == .error)
        // `--tag` abbreviates `--tags`, whose shorthand `t0` lacks its `=`.
        #expect(report.diagnostics.first?.message.hasPrefix("--tags is not valid shorthand syntax") == true)
        #expect(report.diagnostics.first?.range.start.line == 21)
    }
}
