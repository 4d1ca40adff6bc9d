/// `aws s3 …`: the high-level commands kbtool runs (`presign` is in S3PresignModel).
enum S3Model {
    /// What `cp`, `mv` and `sync` share: encryption, SSE-C, metadata, filters.
    static let transferOptions: [OptionSpec] = [
        .init("sse", .optionalString(default: "AES256")), .init("sse-kms-key-id", .string),
        .init("quiet", .boolean), .init("only-show-errors", .boolean), .init("no-progress", .boolean),
        .init("dryrun", .boolean), .init("content-type", .string), .init("metadata", .structure),
        .init("metadata-directive", .string), .init("acl", .string), .init("storage-class", .string),
        .init("source-region", .string), .init("sse-c", .optionalString(default: "AES256")),
        .init("sse-c-key", .rawBytes), .init("sse-c-copy-source", .optionalString(default: "AES256")),
        .init("sse-c-copy-source-key", .rawBytes), .init("include", .filter), .init("exclude", .filter),
    ]

    static let operations: [String: OperationModel] = [
        "cp": OperationModel(
            apiName: "cp",
            options: transferOptions + [.init("recursive", .boolean), .init("expected-size", .integer)],
            positionals: ["source", "destination"]
        ),
        "mv": OperationModel(
            apiName: "mv", options: transferOptions + [.init("recursive", .boolean)],
            positionals: ["source", "destination"]
        ),
        "sync": OperationModel(
            apiName: "sync", options: transferOptions + [.init("delete", .boolean), .init("size-only", .boolean)],
            positionals: ["source", "destination"]
        ),
        "rm": OperationModel(
            apiName: "rm",
            options: [
                .init("recursive", .boolean), .init("quiet", .boolean), .init("only-show-errors", .boolean),
                .init("dryrun", .boolean), .init("include", .filter), .init("exclude", .filter),
            ],
            positionals: ["path"]
        ),
        "mb": OperationModel(apiName: "mb", options: [], positionals: ["path"]),
        "rb": OperationModel(apiName: "rb", options: [.init("force", .boolean)], positionals: ["path"]),
        "ls": OperationModel(
            apiName: "ls",
            options: [
                .init("recursive", .boolean), .init("human-readable", .boolean), .init("summarize", .boolean),
                .init("page-size", .integer),
            ],
            positionals: ["path?"]
        ),
    ]

    /// Real operations kbtool does not run: "not executed", not usage errors.
    static let undescribed: Set<String> = ["website"]
}
