/// `aws s3 cp` and `aws s3 ls`: the high-level commands.
enum S3Model {
    static let operations: [String: OperationModel] = [
        "cp": OperationModel(
            apiName: "cp",
            options: [
                .init("sse", .optionalString(default: "AES256")), .init("sse-kms-key-id", .string),
                .init("recursive", .boolean), .init("quiet", .boolean), .init("only-show-errors", .boolean),
                .init("no-progress", .boolean), .init("content-type", .string), .init("metadata", .structure),
                .init("acl", .string), .init("storage-class", .string), .init("source-region", .string),
                .init("expected-size", .integer), .init("sse-c", .optionalString(default: "AES256")),
                .init("sse-c-key", .rawBytes), .init("sse-c-copy-source", .optionalString(default: "AES256")),
                .init("sse-c-copy-source-key", .rawBytes),
            ],
            positionals: ["source", "destination"]
        ),
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
    static let undescribed: Set<String> = ["mv", "rm", "sync", "mb", "rb", "website"]
}
