import Testing

@testable import KBCLIModel

/// "Did you mean" answers for the mistakes guides make.
@Suite struct CLIModelSuggestionTests {
    static func model() throws -> CLIModel { try CLIModel.shipped.get() }

    @Test(
        "closest service",
        arguments: [("ksm", "kms"), ("s3-api", "s3api"), ("cloudfromation", "cloudformation"), ("S3API", "s3api")])
    func service(typed: String, expected: String) throws {
        #expect(try Self.model().closestService(to: typed) == expected)
    }

    @Test("no service is suggested for a word far from all of them")
    func noService() throws {
        #expect(try Self.model().closestService(to: "zzzzzzzzzzzzzz") == nil)
    }

    @Test(
        "closest operation",
        arguments: [
            ("s3api", "get-objects", "get-object"), ("kms", "create-keys", "create-key"),
            ("iam", "create_role", "create-role"), ("sts", "assume-rol", "assume-role"),
            ("ec2", "describe-instance", "describe-instances"),
        ])
    func operation(service: String, typed: String, expected: String) throws {
        let suggestion = try Self.model().closestOperation(to: typed, in: service)
        #expect(suggestion == CLISuggestion(name: expected))
    }

    @Test("an operation of the other S3 family says where it belongs")
    func operationOfOtherFamily() throws {
        let suggestion = try #require(try Self.model().closestOperation(to: "put-object", in: "s3"))
        #expect(suggestion.otherCommand == "s3api")
        let back = try #require(try Self.model().closestOperation(to: "cp", in: "s3api"))
        #expect(back.otherCommand == "s3")
    }

    @Test(
        "closest option, across command families",
        arguments: [
            ("kms", "create-key", "--key-specs", "--key-spec", nil),
            ("kms", "create-key", "--keyspec", "--key-spec", nil),
            ("kms", "create-key", "--key-usages", "--key-usage", nil),
            ("s3", "cp", "--ssekms-key-id", "--sse-kms-key-id", "s3api put-object"),
            ("s3", "cp", "--server-side-encryption", "--sse", "s3api put-object"),
            ("s3", "cp", "--website-redirect-location", "--website-redirect", "s3api put-object"),
            ("s3", "cp", "--recurse", "--recursive", nil),
            ("s3api", "put-object", "--sse", "--server-side-encryption", "s3 cp"),
            ("s3api", "put-object", "--sse-kms-key-id", "--ssekms-key-id", "s3 cp"),
            ("sts", "assume-role", "--role-session", "--role-session-name", nil),
            ("ec2", "describe-instances", "--instance-id", "--instance-ids", nil),
            ("kms", "create-key", "--regoin", "--region", nil),
            ("kms", "create-key", "--no-multiregion", "--no-multi-region", nil),
        ] as [(String, String, String, String, String?)])
    func option(service: String, operation: String, typed: String, expected: String, other: String?) throws {
        let suggestion = try Self.model().closestOption(to: typed, in: service, operation)
        #expect(suggestion == CLISuggestion(name: expected, otherCommand: other))
    }

    @Test("an option the command has is its own suggestion; nothing for an unknown command")
    func exact() throws {
        let model = try Self.model()
        #expect(try model.closestOption(to: "--key-spec", in: "kms", "create-key") == CLISuggestion(name: "--key-spec"))
        #expect(try model.closestOption(to: "--output", in: "kms", "create-key") == CLISuggestion(name: "--output"))
        #expect(try model.closestOption(to: "--x", in: "kms", "no-such-operation") == nil)
        #expect(try model.closestOption(to: "--completely-unrelated-words", in: "kms", "create-key") == nil)
    }
}
