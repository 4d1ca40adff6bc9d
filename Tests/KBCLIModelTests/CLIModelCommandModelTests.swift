import Testing

@testable import KBCLIModel

/// The generated model is the parser's grammar: every service answers, and
/// the hand-written specs of the operations kbtool runs agree with it.
@Suite struct CLIModelCommandModelTests {
    static let model = try! CLIModel.shipped.get()

    @Test("any service's operation is a grammar the parser can use")
    func operations() throws {
        guard case .operation(let describe) = Self.model.lookup(service: "ec2", operation: "describe-instances") else {
            Issue.record("ec2 describe-instances is not an operation")
            return
        }
        #expect(describe.apiName == "DescribeInstances")
        let kinds = Dictionary(describe.options.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        #expect(kinds["instance-ids"] == .list)
        #expect(kinds["filters"] == .list)
        #expect(kinds["dry-run"] == .boolean)
        #expect(kinds["max-items"] == .integer)
        guard case .operation(let put) = Self.model.lookup(service: "s3api", operation: "put-object"),
            case .operation(let get) = Self.model.lookup(service: "s3api", operation: "get-object"),
            case .operation(let encryption) = Self.model.lookup(
                service: "s3api", operation: "put-bucket-encryption")
        else {
            Issue.record("s3api operations missing")
            return
        }
        #expect(put.options.first { $0.name == "body" }?.kind == .inputFile)
        #expect(get.positionals == ["outfile"])
        #expect(encryption.options.first { $0.name == "server-side-encryption-configuration" }?.required == true)
        #expect(encryption.options.first { $0.name == "server-side-encryption-configuration" }?.kind == .structure)
    }

    @Test("unknown services and operations are the CLI's refusals, with the closest name")
    func refusals() {
        guard case .invalidService(let service) = Self.model.lookup(service: "ksm", operation: "list-keys"),
            case .invalidOperation(let operation) = Self.model.lookup(service: "kms", operation: "list-keyz")
        else {
            Issue.record("misspelt names were accepted")
            return
        }
        #expect(service == "kms")
        #expect(operation == "list-keys")
        if case .undescribedOperation = Self.model.lookup(service: "ec2", operation: "wait") {
        } else {
            Issue.record("`ec2 wait` takes a further word")
        }
    }

    /// One grammar: an option the emulation's table gives an operation is one
    /// the CLI has, so the table only narrows the model (what handlers read).
    @Test("the emulated table's options all exist in the generated model")
    func tableAgreesWithModel() throws {
        for (service, table) in CommandTable.emulated.services {
            for (name, operation) in table.operations {
                guard case .operation(let generated) = Self.model.lookup(service: service, operation: name) else {
                    Issue.record("\(service) \(name) is not in the generated model")
                    continue
                }
                let names = Set(generated.options.map(\.name))
                for option in operation.options where !names.contains(option.name) {
                    Issue.record("\(service) \(name) --\(option.name) is not in the generated model")
                }
            }
        }
    }

    @Test("the transcript parser refuses a misspelt command of any service, and parses a valid one")
    func parserUsesTheModel() throws {
        let parser = CLIParser(
            configuration: CLIConfiguration(
                profiles: ["owner": CLIProfile(principal: "arn:aws:iam::111122223333:root")],
                defaultProfile: "owner", defaultRegion: "us-east-1"))
        let words = { (line: String) in line.split(separator: " ").map(String.init) }
        let parsed = try parser.parse(words("kms describe-key --key-id k")) { _ in nil }
        #expect(parsed.operation.apiName == "DescribeKey")
        if case .notEmulated(let grammar) = EmulatedCommands.shipped.lookup(
            service: "ec2", operation: "describe-instances")
        {
            #expect(grammar.apiName == "DescribeInstances")
        } else {
            Issue.record("ec2 describe-instances should be described but not emulated")
        }
        for line in ["ec2 describe-instancez", "ksm list-keys", "ec2 describe-instances --instance-idz i-1"] {
            #expect(throws: CLIExit.self, "\(line)") { try parser.parse(words(line)) { _ in nil } }
            do {
                _ = try parser.parse(words(line)) { _ in nil }
            } catch {
                #expect(error.status == 252, "\(line)")
                #expect(error.usageError != nil, "\(line)")
            }
        }
    }
}
