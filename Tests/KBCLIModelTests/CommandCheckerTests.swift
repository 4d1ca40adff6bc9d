import Foundation
import Testing

@testable import KBCLIModel

/// The checker reads a command line as the AWS CLI v2 does, for every service.
@Suite struct CommandCheckerTests {
    static let checker = CommandChecker(model: try! CLIModel.shipped.get())

    /// Splits on spaces; `$` words are expansions, `@` marks an unquoted one.
    static func arguments(_ line: String) -> [CommandArgument] {
        line.split(separator: " ").map { word in
            var text = String(word)
            let splits = text.hasPrefix("@")
            if splits { text.removeFirst() }
            let dynamic = text.contains("$")
            return CommandArgument(
                text, isDynamic: dynamic, standIn: dynamic ? text.replacingOccurrences(of: "$X", with: "0") : nil,
                splits: splits)
        }
    }

    static func check(_ line: String) -> CommandCheckResult { checker.check(arguments(line)) }

    @Test(
        "commands the CLI accepts get no finding",
        arguments: [
            "kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY --description x",
            "kms create-key --multi-region --no-bypass-policy-lockout-safety-check",
            "s3api get-object --bucket b --key k out.txt",
            "s3api put-bucket-encryption --bucket b --server-side-encryption-configuration {\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\"}}]}",
            "s3 cp a.txt s3://b/a.txt --sse aws:kms --sse-kms-key-id alias/k",
            "s3 cp ./dir s3://b/ --recursive --exclude *.tmp",
            "s3 mb s3://b --region eu-west-1",
            "ec2 describe-instances --filters Name=instance-state-name,Values=running --max-items 5",
            "ec2 wait instance-running --instance-ids i-1",
            "lambda invoke --function-name f out.json",
            "sts assume-role --role-arn arn:aws:iam::111122223333:role/R --role-session-name s --duration-seconds 900",
            "iam create-role --role-name R --assume-role-policy-document file://trust.json",
            "kms list-keys --output text --query Keys[].KeyId",
            "kms create-key --key-spec KEY_SPEC --description <description>",
            "s3api create-bucket --bucket $X @$X",
            "kms encrypt --key-id k --plaintext fileb://p.bin",
            "kms encrypt --key-id k --plaintext aGVsbG8=",
            "s3api list-objects-v2 --bucket b --endpoint https://example.com",
            "kms help",
            "--version",
        ])
    func accepted(line: String) {
        let result = Self.check(line)
        #expect(result.problems.isEmpty, "\(line): \(result.problems.map(\.message))")
    }

    @Test(
        "commands the CLI refuses get the right kind of finding, at the right word",
        arguments: [
            ("kms create-key --key-specs RSA_2048", CommandProblem.Kind.unknownOption, 2, "--key-spec"),
            ("s3api get-objects --bucket b", .unknownCommand, 1, "get-object"),
            ("ksm list-keys", .unknownCommand, 0, "kms"),
            ("s3 cp a s3://b/a --ssekms-key-id k", .unknownOption, 4, "--sse-kms-key-id"),
            ("s3api put-object --bucket b --key k --sse-kms-key-id k", .unknownOption, 6, "--ssekms-key-id"),
            ("s3api put-bucket-encryption --bucket b", .missingArgument, nil, "--server-side-encryption-configuration"),
            ("kms create-key --key-spec RSA_9999", .badValue, 3, "RSA_9999"),
            ("kms list-keys --limit ten", .badValue, 3, "integer"),
            ("kms list-keys --query Keys[", .badQuery, 3, "JMESPath"),
            (
                "s3api put-bucket-encryption --bucket b --server-side-encryption-configuration {\"Rules\":", .badValue,
                5,
                "not valid JSON"
            ),
            ("ec2 describe-instances --filters Name=a,Values=b,", .badValue, 3, "shorthand"),
            ("kms encrypt --key-id k --plaintext hello!", .badValue, 5, "base64"),
            ("kms create-key --multi-region true", .unknownOption, 3, "true"),
            ("s3 put-object --bucket b", .unknownCommand, 1, "s3api"),
            ("sts get-federation-token --name n --tags key=P,value=A", .badValue, 5, "Key"),
            ("s3api get-object --bucket b --key k", .missingArgument, nil, "outfile"),
        ] as [(String, CommandProblem.Kind, Int?, String)])
    func refused(line: String, kind: CommandProblem.Kind, argument: Int?, mention: String) throws {
        let result = Self.check(line)
        let problem = try #require(result.problems.first, "\(line) was accepted")
        #expect(problem.kind == kind, "\(line): \(problem.message)")
        #expect(problem.argument == argument, "\(line): \(problem.message)")
        let text = ([problem.message] + problem.notes + [problem.replacement ?? ""]).joined(separator: " ")
        #expect(text.contains(mention), "\(line): \(text)")
    }

    @Test("an unknown command or option names the botocore version it was checked against")
    func namesTheVersion() throws {
        let model = try CLIModel.shipped.get()
        let service = try #require(Self.check("zzzzservice do-it").problems.first)
        #expect(service.message.contains("botocore \(model.botocoreVersion)"))
        let option = try #require(Self.check("kms list-keys --zzzz-brand-new 1").problems.first)
        #expect(option.message.contains("botocore \(model.botocoreVersion)"))
    }

    @Test("a misspelt required option is one finding, naming the option, not two")
    func misspeltRequired() {
        let typo = Self.check("s3outposts create-endpoint --outposts-id op-1 --subnet-id s --security-group-id g")
        #expect(typo.problems.map(\.kind) == [.unknownOption])
        #expect(typo.problems.first?.replacement == "--outpost-id")
        let shortened = Self.check("kms create-alias --alias-name alias/x --key-id k")
        #expect(shortened.problems.map(\.kind) == [.unknownOption])
        #expect(shortened.problems.first?.notes == ["did you mean '--target-key-id'?"])
    }

    @Test("an unambiguous typo carries its replacement; the family mix-up too")
    func replacements() {
        #expect(Self.check("kms create-key --descriptoin x").problems.first?.replacement == "--description")
        #expect(Self.check("s3 cp a s3://b/a --ssekms-key-id k").problems.first?.replacement == "--sse-kms-key-id")
    }

    @Test("file:// values are returned for the caller, which knows the guide's files")
    func fileReferences() {
        let result = Self.check("iam create-role --role-name R --assume-role-policy-document file://trust.json")
        #expect(result.files.map(\.path) == ["trust.json"])
        #expect(Self.check("s3api get-object --bucket b --key k out.bin").writtenFiles == ["out.bin"])
    }

    @Test("hostile values end in bounded time with a finding, never a crash")
    func hostileValues() {
        let deep = String(repeating: "[", count: 10_000)
        #expect(!Self.check("ec2 describe-instances --filters \(deep)").problems.isEmpty)
        let shorthand = String(repeating: "A={", count: 5_000)
        #expect(!Self.check("ec2 describe-instances --filters \(shorthand)").problems.isEmpty)
        let long = "kms create-key --description " + String(repeating: "x", count: 100_000)
        #expect(Self.check(long).problems.isEmpty)
    }
}
