import Testing

@testable import KBCLIModel

/// The shipped model answers for real commands people write in guides.
@Suite struct CLIModelLookupTests {
    static func model() throws -> CLIModel { try CLIModel.shipped.get() }

    static func option(_ service: String, _ operation: String, _ name: String) throws -> CLIOption? {
        try model().operation(service, operation)?.option(named: name)
    }

    @Test(
        "options have their type, arity and required flag",
        arguments: [
            ("kms", "create-key", "--policy", "string", CLIArity.one, false),
            ("kms", "create-key", "--key-spec", "string", .one, false),
            ("kms", "create-key", "--key-usage", "string", .one, false),
            ("kms", "create-key", "--tags", "list", .zeroOrMore, false),
            ("kms", "create-key", "--multi-region", "boolean", CLIArity.none, false),
            ("s3api", "put-bucket-encryption", "--server-side-encryption-configuration", "structure", .one, true),
            ("s3api", "put-bucket-encryption", "--bucket", "string", .one, true),
            ("s3api", "put-object", "--body", "blob", .one, false),
            ("s3api", "put-object", "--metadata", "map", .one, false),
            ("s3api", "get-object", "--if-modified-since", "timestamp", .one, false),
            ("s3api", "put-object", "--content-length", "long", .one, false),
            ("sts", "assume-role", "--role-arn", "string", .one, true),
            ("sts", "assume-role", "--role-session-name", "string", .one, true),
            ("sts", "assume-role", "--duration-seconds", "integer", .one, false),
            ("iam", "create-role", "--role-name", "string", .one, true),
            ("iam", "create-role", "--assume-role-policy-document", "string", .one, true),
            ("iam", "create-role", "--path", "string", .one, false),
            ("lambda", "invoke", "--function-name", "string", .one, true),
            ("lambda", "invoke", "--payload", "blob", .one, false),
            ("ec2", "describe-instances", "--instance-ids", "list", .zeroOrMore, false),
            ("ec2", "describe-instances", "--max-items", "integer", .one, false),
            ("ec2", "describe-instances", "--starting-token", "string", .one, false),
            ("ec2", "describe-instances", "--page-size", "integer", .one, false),
            ("s3", "cp", "--recursive", "boolean", CLIArity.none, false),
            ("s3", "cp", "--sse", "string", .optional, false),
            ("s3", "cp", "--sse-kms-key-id", "string", .one, false),
            ("s3", "cp", "--exclude", "string", .one, false),
            ("s3", "cp", "--metadata", "map", .one, false),
            ("s3", "cp", "--grants", "string", .oneOrMore, false),
            ("s3", "cp", "--no-overwrite", "boolean", CLIArity.none, false),
            ("cloudformation", "deploy", "--template-file", "string", .one, true),
            ("cloudformation", "deploy", "--stack-name", "string", .one, true),
            ("cloudformation", "deploy", "--parameter-overrides", "list", .oneOrMore, false),
            ("cloudformation", "deploy", "--no-execute-changeset", "boolean", CLIArity.none, false),
            ("eks", "update-kubeconfig", "--name", "string", .one, true),
            ("ec2", "run-instances", "--count", "string", .one, false),
            ("ec2", "run-instances", "--associate-public-ip-address", "boolean", CLIArity.none, false),
            ("ec2", "authorize-security-group-ingress", "--cidr", "string", .one, false),
            ("configure", "set", "--sso-session", "string", .one, false),
            ("logs", "tail", "--follow", "boolean", CLIArity.none, false),
            ("kms", "create-key", "--cli-input-yaml", "string", .one, false),
            ("kms", "create-key", "--generate-cli-skeleton", "string", .optional, false),
        ])
    func option(
        service: String, operation: String, name: String, type: String, arity: CLIArity, required: Bool
    ) throws {
        let option = try #require(try Self.option(service, operation, name), "\(service) \(operation) \(name)")
        #expect(option.type.name == type)
        #expect(option.arity == arity)
        #expect(option.isRequired == required)
        #expect(!option.isPositional)
    }

    @Test(
        "enum values come from the service model or awscli's choices",
        arguments: [
            ("kms", "create-key", "--key-spec", ["SYMMETRIC_DEFAULT", "RSA_2048", "ECC_NIST_P256", "HMAC_256"]),
            ("kms", "create-key", "--key-usage", ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC"]),
            ("kms", "create-key", "--origin", ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM"]),
            ("s3api", "put-object", "--server-side-encryption", ["AES256", "aws:kms"]),
            ("s3", "cp", "--sse", ["AES256", "aws:kms"]),
            ("s3", "cp", "--storage-class", ["STANDARD", "GLACIER_IR", "DEEP_ARCHIVE"]),
            ("s3", "cp", "--copy-props", ["none", "metadata-directive", "default", "all"]),
            ("kms", "create-key", "--generate-cli-skeleton", ["input", "yaml-input", "output"]),
            ("lambda", "invoke", "--invocation-type", ["Event", "RequestResponse", "DryRun"]),
        ])
    func enumValues(service: String, operation: String, name: String, values: [String]) throws {
        let option = try #require(try Self.option(service, operation, name))
        for value in values { #expect(option.enumValues.contains(value), "\(value) in \(name)") }
        #expect(!option.enumValues.contains("NOT_A_VALUE"))
    }

    @Test("kms create-key --key-spec lists exactly the model's key specs")
    func keySpecs() throws {
        let option = try #require(try Self.option("kms", "create-key", "--key-spec"))
        #expect(option.enumValues.count >= 13)
        #expect(Set(option.enumValues).count == option.enumValues.count)
        #expect(option.member == "KeySpec")
    }

    @Test(
        "boolean members have a --no- form; flags awscli adds do not",
        arguments: [
            ("kms", "create-key", "--no-bypass-policy-lockout-safety-check", "--bypass-policy-lockout-safety-check"),
            ("ec2", "describe-instances", "--no-dry-run", "--dry-run"),
            ("s3api", "put-object", "--no-bucket-key-enabled", "--bucket-key-enabled"),
            ("cloudformation", "deploy", "--no-fail-on-empty-changeset", "--fail-on-empty-changeset"),
        ])
    func negation(service: String, operation: String, negative: String, positive: String) throws {
        let option = try #require(try Self.option(service, operation, negative))
        #expect(option.name == positive)
        #expect(option.negation == negative)
        #expect(option.arity == .none)
        #expect(try Self.option("s3", "cp", "--no-recursive") == nil)
    }

    @Test(
        "streaming operations take an outfile positional",
        arguments: [
            ("s3api", "get-object", true), ("lambda", "invoke", true),
            ("s3api", "get-object-torrent", true), ("s3api", "put-object", false), ("kms", "create-key", false),
        ])
    func outfile(service: String, operation: String, expected: Bool) throws {
        let model = try Self.model()
        #expect(try model.hasOutfile(service, operation) == expected)
        let positionals = try #require(try model.operation(service, operation)).positionals
        #expect(positionals.map(\.name) == (expected ? ["outfile"] : []))
        #expect(positionals.allSatisfy { $0.isRequired })
    }

    @Test("the s3 commands take their paths as positionals")
    func s3Positionals() throws {
        let model = try Self.model()
        #expect(try model.operation("s3", "cp")?.positionals.map(\.arity) == [.exactly(2)])
        #expect(try model.operation("s3", "sync")?.positionals.map(\.arity) == [.exactly(2)])
        #expect(try model.operation("s3", "ls")?.positionals.map(\.arity) == [.optional])
        #expect(try model.operation("s3", "mb")?.positionals.map(\.name) == ["path"])
        #expect(try model.operation("s3", "rb")?.option(named: "--force")?.arity == CLIArity.none)
        #expect(try model.operation("s3", "presign")?.option(named: "--expires-in")?.type == .integer)
        #expect(try model.operation("s3", "website")?.option(named: "--index-document") != nil)
        let s3 = try #require(try model.service("s3"))
        for name in ["cp", "mv", "rm", "sync", "ls", "mb", "rb", "presign", "website"] {
            #expect(s3.operation(name)?.isCustomisation == true, "s3 \(name)")
        }
        #expect(s3.botocoreName == nil)
    }

    @Test("pagination: awscli's paging options, and the API's token members hidden")
    func pagination() throws {
        let operation = try #require(try Self.model().operation("ec2", "describe-instances"))
        #expect(operation.paginates)
        #expect(operation.option(named: "--next-token")?.isHidden == true)
        #expect(operation.option(named: "--max-results")?.isHidden == true)
        #expect(operation.option(named: "--filters")?.isHidden == false)
        let createKey = try #require(try Self.model().operation("kms", "create-key"))
        #expect(!createKey.paginates)
        #expect(createKey.option(named: "--starting-token") == nil)
        #expect(try Self.model().operation("s3api", "list-objects-v2")?.option(named: "--page-size") != nil)
    }

    @Test("required options of real commands")
    func required() throws {
        let model = try Self.model()
        func names(_ service: String, _ operation: String) throws -> Set<String> {
            Set(try #require(try model.operation(service, operation)).requiredOptions.map(\.name))
        }
        #expect(try names("s3api", "put-bucket-encryption") == ["--bucket", "--server-side-encryption-configuration"])
        #expect(try names("sts", "assume-role") == ["--role-arn", "--role-session-name"])
        #expect(try names("iam", "create-role") == ["--role-name", "--assume-role-policy-document"])
        #expect(try names("kms", "create-key") == [])
        #expect(try names("s3api", "get-object") == ["--bucket", "--key", "outfile"])
        #expect(try names("cloudformation", "deploy") == ["--template-file", "--stack-name"])
    }

    @Test("structures keep their members, required ones marked")
    func structures() throws {
        let service = try #require(try Self.model().service("iam"))
        let tags = try #require(service.operation("create-role")?.option(named: "--tags"))
        guard case .list(.structure(let id)) = tags.type else {
            Issue.record("--tags is \(tags.type)")
            return
        }
        let tag = try #require(service.structure(id))
        #expect(tag.members.map(\.name) == ["Key", "Value"])
        #expect(tag.members.allSatisfy { $0.isRequired })
        let s3api = try #require(try Self.model().service("s3api"))
        let configuration = try #require(
            s3api.operation("put-bucket-encryption")?.option(named: "--server-side-encryption-configuration"))
        guard case .structure(let rulesID) = configuration.type, let rules = s3api.structure(rulesID) else {
            Issue.record("not a structure")
            return
        }
        #expect(rules.member(named: "Rules")?.isRequired == true)
    }

    @Test("services map to botocore names as awscli names them")
    func serviceNames() throws {
        let model = try Self.model()
        #expect(try model.service("s3api")?.botocoreName == "s3")
        #expect(try model.service("deploy")?.botocoreName == "codedeploy")
        #expect(try model.service("configservice")?.botocoreName == "config")
        #expect(try model.service("elbv2")?.botocoreName == "elbv2")
        #expect(try model.service("ds-data") != nil)
        #expect(try model.service("codedeploy") == nil)
        #expect(try model.service("runtime.sagemaker") == nil)
        #expect(model.serviceNames.count > 400)
        #expect(model.botocoreVersion == "1.43.11")
        #expect(model.awscliVersion == "1.45.11")
    }

    @Test("customisations: v2's commands, awscli's commands, and what v2 removed")
    func customisations() throws {
        let model = try Self.model()
        #expect(try model.operation("configure", "sso")?.isV2Only == true)
        #expect(try model.operation("configure", "export-credentials")?.option(named: "--format") != nil)
        #expect(try model.operation("sso", "login")?.option(named: "--sso-session") != nil)
        #expect(try model.operation("login", "")?.option(named: "--remote") != nil)
        #expect(try model.operation("ecr", "get-login-password")?.isCustomisation == true)
        #expect(try model.operation("ecr", "get-login") == nil)
        #expect(try model.operation("ec2", "wait instance-running")?.apiName == "DescribeInstances")
        #expect(try model.operation("ec2", "wait")?.hasSubcommands == true)
        #expect(try model.operation("cloudformation", "package")?.option(named: "--s3-bucket") != nil)
        #expect(try model.operation("kms", "create-key")?.apiName == "CreateKey")
        #expect(
            try model.operation("ec2", "authorize-security-group-ingress")?.option(named: "--ip-protocol")?.isHidden
                == true)
    }

    @Test("global options are v2's")
    func globals() throws {
        let model = try Self.model()
        #expect(model.globalOption(named: "--cli-binary-format")?.enumValues == ["base64", "raw-in-base64-out"])
        #expect(model.globalOption(named: "--output")?.enumValues.contains("yaml") == true)
        #expect(model.globalOption(named: "--no-cli-pager")?.arity == CLIArity.none)
        #expect(model.globalOption(named: "--no-cli-auto-prompt") != nil)
        #expect(model.globalOption(named: "--region")?.arity == .one)
        #expect(model.globalOption(named: "--v2-debug") == nil)
    }
}
