/// `aws s3api …`: the S3 API operations encryption guides use.
enum S3APIModel {
    static let encryptionOptions: [OptionSpec] =
        [
            .init("server-side-encryption", .string), .init("ssekms-key-id", .string),
            .init("bucket-key-enabled", .boolean), .init("ssekms-encryption-context", .string),
        ] + customerKeyOptions
    static let objectExtras: [OptionSpec] = [
        .init("content-type", .string), .init("metadata", .structure), .init("acl", .string),
        .init("checksum-algorithm", .string), .init("expected-bucket-owner", .string),
        .init("storage-class", .string), .init("tagging", .string), .init("content-md5", .string),
    ]

    /// SSE-C on the command line (S3APICustomerKeys reads them).
    static let customerKeyOptions: [OptionSpec] = [
        .init("sse-customer-algorithm", .string), .init("sse-customer-key", .rawBytes),
        .init("sse-customer-key-md5", .string),
    ]
    static let customerKeyCopySourceOptions: [OptionSpec] = [
        .init("copy-source-sse-customer-algorithm", .string), .init("copy-source-sse-customer-key", .rawBytes),
        .init("copy-source-sse-customer-key-md5", .string),
    ]

    /// An operation on one bucket with no response body.
    static func bucketAction(_ apiName: String) -> OperationModel {
        OperationModel(
            apiName: apiName,
            options: [.init("bucket", .string, required: true), .init("expected-bucket-owner", .string)])
    }

    static let operations: [String: OperationModel] = [
        "create-bucket": OperationModel(
            apiName: "CreateBucket",
            options: [
                .init("bucket", .string, required: true), .init("create-bucket-configuration", .structure),
                .init("acl", .string), .init("object-ownership", .string),
                .init("object-lock-enabled-for-bucket", .boolean),
            ]
        ),
        "put-bucket-encryption": OperationModel(
            apiName: "PutBucketEncryption",
            options: [
                .init("bucket", .string, required: true),
                .init("server-side-encryption-configuration", .structure, required: true),
                .init("expected-bucket-owner", .string), .init("content-md5", .string),
                .init("checksum-algorithm", .string),
            ]
        ),
        "get-bucket-encryption": OperationModel(
            apiName: "GetBucketEncryption",
            options: [.init("bucket", .string, required: true), .init("expected-bucket-owner", .string)]
        ),
        "delete-bucket-encryption": bucketAction("DeleteBucketEncryption"),
        "put-bucket-policy": OperationModel(
            apiName: "PutBucketPolicy",
            options: [
                .init("bucket", .string, required: true), .init("policy", .string, required: true),
                .init("confirm-remove-self-bucket-access", .boolean), .init("expected-bucket-owner", .string),
                .init("content-md5", .string), .init("checksum-algorithm", .string),
            ]
        ),
        "get-bucket-policy": OperationModel(
            apiName: "GetBucketPolicy",
            options: [.init("bucket", .string, required: true), .init("expected-bucket-owner", .string)]
        ),
        "put-bucket-versioning": OperationModel(
            apiName: "PutBucketVersioning",
            options: [
                .init("bucket", .string, required: true),
                .init("versioning-configuration", .structure, required: true), .init("mfa", .string),
                .init("expected-bucket-owner", .string), .init("content-md5", .string),
                .init("checksum-algorithm", .string),
            ]
        ),
        "put-object": OperationModel(
            apiName: "PutObject",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("body", .inputFile),
            ]
                + encryptionOptions + objectExtras
        ),
        "get-object": OperationModel(
            apiName: "GetObject",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("version-id", .string), .init("expected-bucket-owner", .string), .init("range", .string),
                .init("checksum-mode", .string),
            ] + customerKeyOptions,
            positionals: ["outfile"]
        ),
        "head-object": OperationModel(
            apiName: "HeadObject",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("version-id", .string), .init("expected-bucket-owner", .string),
                .init("checksum-mode", .string),
            ] + customerKeyOptions
        ),
        "list-objects-v2": OperationModel(
            apiName: "ListObjectsV2",
            options: [
                .init("bucket", .string, required: true), .init("prefix", .string), .init("delimiter", .string),
                .init("max-items", .integer), .init("page-size", .integer), .init("starting-token", .string),
                .init("expected-bucket-owner", .string), .init("fetch-owner", .boolean),
            ]
        ),
        "delete-object": OperationModel(
            apiName: "DeleteObject",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("version-id", .string), .init("expected-bucket-owner", .string),
            ]
        ),
        "copy-object": OperationModel(
            apiName: "CopyObject",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("copy-source", .string, required: true), .init("metadata-directive", .string),
            ] + encryptionOptions + objectExtras + customerKeyCopySourceOptions
        ),
        "create-multipart-upload": OperationModel(
            apiName: "CreateMultipartUpload",
            options: [.init("bucket", .string, required: true), .init("key", .string, required: true)]
                + encryptionOptions + objectExtras
        ),
        "upload-part": OperationModel(
            apiName: "UploadPart",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("part-number", .integer, required: true), .init("upload-id", .string, required: true),
                .init("body", .inputFile), .init("content-md5", .string), .init("checksum-algorithm", .string),
                .init("expected-bucket-owner", .string),
            ] + customerKeyOptions
        ),
        "complete-multipart-upload": OperationModel(
            apiName: "CompleteMultipartUpload",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("upload-id", .string, required: true), .init("multipart-upload", .structure),
                .init("expected-bucket-owner", .string),
            ]
        ),
        "abort-multipart-upload": OperationModel(
            apiName: "AbortMultipartUpload",
            options: [
                .init("bucket", .string, required: true), .init("key", .string, required: true),
                .init("upload-id", .string, required: true), .init("expected-bucket-owner", .string),
            ]
        ),
    ]

    /// Real operations kbtool does not run: "not executed", not usage errors.
    static let undescribed: Set<String> = [
        "list-buckets", "delete-bucket", "delete-bucket-policy", "get-bucket-versioning", "list-object-versions",
        "put-object-acl", "get-object-acl", "put-bucket-tagging", "get-bucket-location", "list-multipart-uploads",
        "list-parts", "delete-objects", "upload-part-copy", "get-object-attributes",
        "put-bucket-lifecycle-configuration",
    ]
}
