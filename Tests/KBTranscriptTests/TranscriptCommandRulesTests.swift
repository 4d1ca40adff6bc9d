import KBBlocks
import KBCommandCheck
import KBDiagnostics
import KBGuide
import Testing

@testable import KBTranscript

/// One rule family for `aws` usage errors: the same mistake in a transcript and
/// in a bare `bash` block gets the same rule, column and message, and the
/// transcript's command is not run.
@Suite struct TranscriptCommandRulesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var command: String
        var rule: Rule
        var testDescription: String { "\(rule.id): \(command)" }
    }

    static let cases: [Case] = [
        Case(command: "aws s3api get-objects --bucket amzn-s3-demo-bucket --key a.txt out.txt", rule: .commandUnknown),
        Case(command: "aws ksm list-keys", rule: .commandUnknown),
        Case(command: "aws kms create-key --key-specs RSA_2048", rule: .commandOption),
        Case(command: "aws s3 cp a.txt s3://amzn-s3-demo-bucket/ --ssekms-key-id alias/k", rule: .commandOption),
        Case(command: "aws s3api put-bucket-encryption --bucket amzn-s3-demo-bucket", rule: .commandRequired),
        // Checks transcripts did not have before: enums, structure shapes, base64, integers, --query.
        Case(command: "aws kms create-key --key-spec RSA_9999", rule: .commandValue),
        Case(
            command:
                #"aws s3api put-bucket-encryption --bucket amzn-s3-demo-bucket --server-side-encryption-configuration '{"Rules":[{"Bogus":1}]}'"#,
            rule: .commandValue),
        Case(command: "aws kms decrypt --ciphertext-blob 'not base64!'", rule: .commandValue),
        Case(command: "aws kms list-keys --limit ten", rule: .commandValue),
        Case(command: "aws kms list-keys --query 'Keys[.KeyId'", rule: .commandQuery),
        Case(command: "aws s3 ls 's3://amzn-s3-demo-bucket", rule: .commandSyntax),
    ]

    static let frontMatter = """
        ---
        title: Test
        kbtool:
          region: us-east-1
          profiles:
            owner: arn:aws:iam::111122223333:root
          default-profile: owner
        ---

        """

    /// What a finding says, wherever it stands: rule, severity, column, message.
    struct Said: Hashable, CustomStringConvertible {
        var rule: String
        var severity: Severity
        var column: Int
        var message: String
        init(_ diagnostic: Diagnostic) {
            (rule, severity, column, message) = (
                diagnostic.rule.rawValue, diagnostic.severity, diagnostic.range.start.column, diagnostic.message
            )
        }
        var description: String { "\(column): \(severity) \(message) [\(rule)]" }
    }

    static func run(_ body: String) -> TranscriptRunner.Report {
        TranscriptRunner().run(
            GuideParser.parse(path: "guide.md", bytes: Array((frontMatter + body).utf8)), directory: nil)
    }

    @Test("a transcript and a bare bash block report the same mistake the same way", arguments: cases)
    func sameMistakeSameFinding(_ entry: Case) throws {
        let transcript = Self.frontMatter + "```console\n$ \(entry.command)\n```\n"
        let bare = Self.frontMatter + "```bash\n$ \(entry.command)\n```\n"
        let transcriptGuide = GuideParser.parse(path: "guide.md", bytes: Array(transcript.utf8))
        let bareGuide = GuideParser.parse(path: "guide.md", bytes: Array(bare.utf8))

        let report = TranscriptRunner().run(transcriptGuide, directory: nil)
        let inBlock = GuideCommands.check(BlockClassifier.classify(bareGuide), directory: nil).flatMap(\.diagnostics)

        #expect(!inBlock.isEmpty)
        #expect(inBlock.allSatisfy { $0.rule == entry.rule.id })
        #expect(report.diagnostics.map(Said.init) == inBlock.map(Said.init))
        // Both fences start on the same line, so the whole range matches too.
        #expect(report.diagnostics.map(\.range) == inBlock.map(\.range))
        // Refused, so not run; and a kbtool.yml naming the old id still reaches it.
        let example = try #require(report.examples.first)
        #expect(example.status == .error)
        #expect(example.actual.isEmpty)
        #expect(example.trace.isEmpty)
        #expect(report.diagnostics.allSatisfy { $0.formerRule == Rule.transcriptCommand.id })
        #expect(inBlock.allSatisfy { $0.formerRule == nil })
    }

    @Test("a continued command's finding is located on its own line, after the prompt")
    func continuedCommand() throws {
        let report = Self.run(
            """
            ```console
            $ aws kms create-key \\
                --description reports \\
                --key-specs RSA_2048
            ```
            """)
        let finding = try #require(report.diagnostics.first)
        #expect(report.diagnostics.count == 1)
        #expect(finding.rule == Rule.commandOption.id)
        // The front matter takes 8 lines: the fence is line 9, the option line 12.
        #expect(finding.range.start == SourcePosition(line: 12, column: 5))
        #expect(finding.range.end == SourcePosition(line: 12, column: 16))
        #expect(finding.fix?.replacement == "--key-spec")
        #expect(finding.fix?.range == finding.range)
    }

    @Test(
        "a transcript that shows the CLI's own refusal on purpose is not flagged, and not run",
        arguments: [
            "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\naws: error: Unknown options: --key-specs",
            "aws: error: Unknown options: --key-specs",
            "Unknown options: --key-specs, RSA_2048",
        ])
    func shownRefusal(_ output: String) throws {
        let report = Self.run("```console\n$ aws kms create-key --key-specs RSA_2048\n\(output)\n```")
        #expect(report.diagnostics.isEmpty)
        let example = try #require(report.examples.first)
        #expect(example.status == .pass)
        #expect(example.trace.isEmpty)
        #expect(example.reason?.contains("as the guide shows") == true)
    }

    @Test("a refusal shown for a command the CLI accepts is compared as output, and fails")
    func shownRefusalOfAValidCommand() {
        let report = Self.run(
            "```console\n$ aws kms create-key --description reports\naws: error: argument --description: expected one argument\n```"
        )
        #expect(report.diagnostics.map(\.rule) == [Rule.transcriptOutput.id])
    }

    @Test("an enum value AWS refuses is not flagged where the transcript shows the service's error")
    func serviceSideEnum() {
        let report = Self.run(
            """
            ```console
            $ KEY=$(aws kms create-key --query KeyMetadata.Arn --output text)
            $ aws kms create-grant --key-id "$KEY" --grantee-principal arn:aws:iam::111122223333:role/App --operations PutKeyPolicy
            An error occurred (ValidationException) when calling the CreateGrant operation: ...
            ```
            """)
        #expect(report.diagnostics.isEmpty)
        #expect(report.examples.map(\.status) == [.pass, .pass])
        // The service's error is the run's, compared with what the guide shows.
        #expect(report.examples.last?.actual.contains("ValidationException") == true)
    }

    @Test("a shown service error does not excuse a usage error the CLI itself refuses")
    func serviceErrorDoesNotExcuseUsage() {
        let report = Self.run(
            """
            ```console
            $ aws kms describe-key --key-idd alias/none
            An error occurred (NotFoundException) when calling the DescribeKey operation: ...
            ```
            """)
        #expect(report.diagnostics.map(\.rule) == [Rule.commandOption.id])
    }

    @Test("an option the CLI accepts but kbtool's emulation lacks is a gap, noted, not the guide's error")
    func emulationGap() throws {
        // `--content-language` is real (the model has it); the emulation's table
        // does not. If the emulation learns it, pick another option it lacks.
        let body = """
            ```console
            $ aws s3api put-object --bucket amzn-s3-demo-bucket --key a --content-language en
            ```
            """
        let report = Self.run(body)
        let finding = try #require(report.diagnostics.first)
        #expect(report.diagnostics.count == 1)
        #expect(finding.rule == Rule.transcriptCommand.id)
        #expect(finding.severity == .note)
        #expect(finding.message.hasPrefix("not executed: the AWS CLI accepts this command"))
        #expect(finding.range.start.column == 61)
        #expect(report.examples.map(\.status) == [.unsupported])
        let strict = TranscriptRunner(strict: true).run(
            GuideParser.parse(path: "guide.md", bytes: Array((Self.frontMatter + body).utf8)), directory: nil)
        #expect(strict.diagnostics.map(\.severity) == [.error])
    }

    @Test("what only a run tells stays transcript-command; a file the transcript does not give is command-file")
    func runOnlyFindings() {
        let report = Self.run(
            """
            ```console
            $ aws sts get-caller-identity --profile nobody
            $ aws kms create-key --policy file://missing-policy.json
            $ aws s3api put-object --bucket amzn-s3-demo-bucket --key a.txt --body missing.txt
            ```
            """)
        #expect(
            report.diagnostics.map(\.rule) == [
                Rule.transcriptCommand.id, Rule.commandFile.id, Rule.commandFile.id,
            ])
        #expect(report.diagnostics.allSatisfy { $0.severity == .error })
        #expect(report.diagnostics.first?.formerRule == nil)
        #expect(report.diagnostics.dropFirst().allSatisfy { $0.formerRule == Rule.transcriptCommand.id })
    }
}
