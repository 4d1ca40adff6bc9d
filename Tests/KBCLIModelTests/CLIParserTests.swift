import KBCLIModel
import KBCLIOutput
import Testing

/// The CLI's grammar alone: command lines parsed with no engine behind them.
@Suite struct CLIParserTests {
    static let parser = CLIParser(
        configuration: CLIConfiguration(
            profiles: [
                "owner": CLIProfile(principal: "arn:aws:iam::111122223333:root"),
                "partner-app": CLIProfile(principal: "arn:aws:iam::444455556666:role/ReportWriter"),
            ], defaultProfile: "owner", defaultRegion: "us-east-1"))

    static func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

    @Test("a command line becomes the operation, who runs it where, and its option values")
    func parses() throws {
        let files = ["body.csv": Array("a,b".utf8)]
        let command = try Self.parser.parse(
            Self.words(
                "s3api put-object --bucket b --key k --body body.csv --profile partner-app --region eu-west-1 --output text --query ETag"
            ), readFile: { files[$0] })
        #expect(command.service == "s3api")
        #expect(command.operationName == "put-object")
        #expect(command.operation.apiName == "PutObject")
        #expect(command.principal == "arn:aws:sts::444455556666:assumed-role/ReportWriter/partner-app")
        #expect(command.region == "eu-west-1")
        #expect(command.output == .text)
        #expect(command.queryText == "ETag")
        guard case .bytes(let body) = command.values["body"] else {
            Issue.record("--body is not bytes")
            return
        }
        #expect(body == Array("a,b".utf8))
    }

    @Test(
        "command lines the CLI refuses, and what it prints",
        arguments: [
            ("kms create-kee", Int32(252), "Found invalid choice 'create-kee'"),
            ("kms create-key --polcy x", 252, "Unknown options: --polcy"),
            ("kms describe-key", 252, "the following arguments are required: --key-id"),
            ("kms create-key --profile nobody", 255, "The config profile (nobody) could not be found"),
            ("kms create-key --output yml", 252, "Found invalid choice 'yml'"),
            ("kms create-key --query [", 255, "Bad value for --query"),
        ])
    func refuses(line: String, status: Int32, message: String) {
        do {
            _ = try Self.parser.parse(Self.words(line), readFile: { _ in nil })
            Issue.record("\(line) parsed")
        } catch {
            #expect(error.status == status)
            #expect(error.stderr.contains(message), "\(error.stderr)")
        }
    }

    @Test("a service or operation the model does not describe is real AWS, not a usage error")
    func notEmulated() {
        for line in ["ec2 describe-instances", "kms list-keys", "s3 mb s3://b"] {
            do {
                _ = try Self.parser.parse(Self.words(line), readFile: { _ in nil })
                Issue.record("\(line) parsed")
            } catch {
                #expect(error.unsupported && error.status == 255 && error.usageError == nil)
            }
        }
    }

    @Test("another model drops in without changing the parser: a generated table would")
    func anotherModel() throws {
        var parser = Self.parser
        parser.model = CommandTable(services: [
            "ec2": CommandTable.Service(operations: [
                "describe-instances": OperationModel(
                    apiName: "DescribeInstances", options: [.init("instance-ids", .list), .init("dry-run", .boolean)])
            ])
        ])
        let command = try parser.parse(
            Self.words("ec2 describe-instances --instance-ids i-1 i-2 --no-dry-run"), readFile: { _ in nil })
        #expect(command.operation.apiName == "DescribeInstances")
        guard case .list(let ids) = command.values["instance-ids"], case .boolean(false) = command.values["dry-run"]
        else {
            Issue.record("values: \(command.values)")
            return
        }
        #expect(ids == ["i-1", "i-2"])
    }
}
