import KBJSON

/// One `aws SERVICE OPERATION`: its API name, options, and how it runs.
struct Operation: Sendable {
    /// The API's name (`PutObject`): errors and table titles use it.
    var apiName: String
    var options: [OptionSpec]
    /// Positional arguments in order (`get-object … OUTFILE`, `s3 cp SRC DST`);
    /// a name ending in `?` is optional.
    var positionals: [String] = []
    var run: @Sendable (Invocation) throws(CommandFailure) -> CommandOutput
}

/// Every command kbtool emulates, by service and operation name.
enum CommandTable {
    static let services: [String: [String: Operation]] = [
        "kms": KMSCommands.operations.merging(KMSGrantCommands.operations) { first, _ in first },
        "s3api": S3APICommands.operations.merging(S3APIBucketConfigCommands.operations) { first, _ in first },
        "s3": S3Commands.operations.merging(S3PresignCommand.operations) { first, _ in first },
        "iam": IAMCommands.iam,
        "sts": IAMCommands.sts,
    ]

    /// Real operations of emulated services that kbtool does not run: they are
    /// "not executed", not usage errors.
    static func knownUnsupported(service: String, operation: String) -> Bool {
        let known: [String: Set<String>] = [
            "kms": [
                "list-keys", "tag-resource",
                "untag-resource", "list-resource-tags", "update-key-description", "sign", "verify",
                "generate-mac", "verify-mac", "get-public-key", "list-key-policies",
                "generate-random", "update-primary-region", "import-key-material", "get-parameters-for-import",
                "generate-data-key-pair", "generate-data-key-pair-without-plaintext", "derive-shared-secret",
            ],
            "s3api": [
                "list-buckets", "delete-bucket",
                "delete-bucket-policy",
                "get-bucket-versioning", "list-object-versions", "put-object-acl", "get-object-acl",
                "put-bucket-tagging", "get-bucket-location", "list-multipart-uploads", "list-parts",
                "delete-objects", "upload-part-copy", "get-object-attributes", "put-bucket-lifecycle-configuration",
            ],
            "s3": ["mv", "rm", "sync", "mb", "rb", "website"],
            "iam": [
                "attach-role-policy", "detach-role-policy", "delete-role", "list-roles",
                "list-attached-role-policies", "create-user", "put-user-policy",
                "create-policy", "update-assume-role-policy",
            ],
            "sts": ["assume-role", "get-session-token", "decode-authorization-message"],
        ]
        return known[service]?.contains(operation) ?? false
    }
}
