/// `aws s3 presign s3://BUCKET/KEY [--expires-in SECONDS]`.
enum S3PresignModel {
    static let operations: [String: OperationModel] = [
        "presign": OperationModel(
            apiName: "presign", options: [.init("expires-in", .integer)], positionals: ["path"]
        )
    ]
}
