/// `aws s3api` replication, ownership controls and Block Public Access.
enum S3APIBucketConfigModel {
    static let operations: [String: OperationModel] = [
        "put-bucket-replication": OperationModel(
            apiName: "PutBucketReplication",
            options: [
                .init("bucket", .string, required: true),
                .init("replication-configuration", .structure, required: true), .init("token", .string),
                .init("expected-bucket-owner", .string), .init("content-md5", .string),
                .init("checksum-algorithm", .string),
            ]
        ),
        "get-bucket-replication": OperationModel(
            apiName: "GetBucketReplication",
            options: [.init("bucket", .string, required: true), .init("expected-bucket-owner", .string)]
        ),
        "delete-bucket-replication": S3APIModel.bucketAction("DeleteBucketReplication"),
        "put-bucket-ownership-controls": OperationModel(
            apiName: "PutBucketOwnershipControls",
            options: [
                .init("bucket", .string, required: true), .init("ownership-controls", .structure, required: true),
                .init("expected-bucket-owner", .string), .init("content-md5", .string),
                .init("checksum-algorithm", .string),
            ]
        ),
        "get-bucket-ownership-controls": OperationModel(
            apiName: "GetBucketOwnershipControls",
            options: [.init("bucket", .string, required: true), .init("expected-bucket-owner", .string)]
        ),
        "delete-bucket-ownership-controls": S3APIModel.bucketAction("DeleteBucketOwnershipControls"),
        "put-public-access-block": OperationModel(
            apiName: "PutPublicAccessBlock",
            options: [
                .init("bucket", .string, required: true),
                .init("public-access-block-configuration", .structure, required: true),
                .init("expected-bucket-owner", .string), .init("content-md5", .string),
                .init("checksum-algorithm", .string),
            ]
        ),
        "get-public-access-block": OperationModel(
            apiName: "GetPublicAccessBlock",
            options: [.init("bucket", .string, required: true), .init("expected-bucket-owner", .string)]
        ),
        "delete-public-access-block": S3APIModel.bucketAction("DeletePublicAccessBlock"),
    ]
}
