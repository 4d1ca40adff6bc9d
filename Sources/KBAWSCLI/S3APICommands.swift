import Foundation
import KBCLIModel
import KBCloud
import KBJSON

/// `aws s3api …`: the S3 API operations encryption guides use, with their
/// response shapes.
enum S3APICommands {
    static let handlers: [String: Handler] = [
        "create-bucket": { call throws(CommandFailure) in
            let constraint = call.json("create-bucket-configuration")?["LocationConstraint"]?.string
            try checkLocationConstraint(constraint, region: call.region)
            let bucket = call.string("bucket")!
            try call.call { () throws(ServiceError) in
                try call.world.s3.createBucket(
                    call.s3, bucket: bucket, objectOwnership: call.string("object-ownership"), acl: call.string("acl"))
            }
            let location = call.region == "us-east-1" ? "/\(bucket)" : "http://\(bucket).s3.amazonaws.com/"
            return .json(Response.object(["Location": Response.string(location)]))
        },
        "put-bucket-encryption": { call throws(CommandFailure) in
            let configuration = try bucketEncryption(call.json("server-side-encryption-configuration")!)
            try call.call { () throws(ServiceError) in
                try call.world.s3.putBucketEncryption(call.s3, bucket: call.string("bucket")!, configuration)
            }
            return .none
        },
        "get-bucket-encryption": { call throws(CommandFailure) in
            let encryption = try call.call { () throws(ServiceError) in
                try call.world.s3.getBucketEncryption(call.s3, bucket: call.string("bucket")!)
            }
            let byDefault = Response.object([
                "SSEAlgorithm": Response.string(encryption.algorithm),
                "KMSMasterKeyID": encryption.kmsKeyId.map(Response.string),
            ])
            let rule = Response.object([
                "ApplyServerSideEncryptionByDefault": byDefault,
                "BucketKeyEnabled": Response.bool(encryption.bucketKeyEnabled),
                "BlockedEncryptionTypes": encryption.blockedEncryptionTypes.map {
                    Response.object(["EncryptionType": Response.array($0.map(Response.string))])
                },
            ])
            return .json(
                Response.object([
                    "ServerSideEncryptionConfiguration": Response.object(["Rules": Response.array([rule])])
                ]))
        },
        "delete-bucket-encryption": bucketAction { call, bucket throws(ServiceError) in
            try call.world.s3.deleteBucketEncryption(call.s3, bucket: bucket)
        },
        "put-bucket-policy": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.s3.putBucketPolicy(
                    call.s3, bucket: call.string("bucket")!, policy: call.string("policy")!)
            }
            return .none
        },
        "get-bucket-policy": { call throws(CommandFailure) in
            let policy = try call.call { () throws(ServiceError) in
                try call.world.s3.getBucketPolicy(call.s3, bucket: call.string("bucket")!)
            }
            return .json(Response.object(["Policy": Response.string(policy)]))
        },
        "put-bucket-versioning": { call throws(CommandFailure) in
            let status = call.json("versioning-configuration")!["Status"]?.string
            guard status == "Enabled" || status == "Suspended" else {
                throw .service(
                    ServiceError(
                        "MalformedXML",
                        "The XML you provided was not well-formed or did not validate against our published schema"))
            }
            try call.call { () throws(ServiceError) in
                try call.world.s3.putBucketVersioning(
                    call.s3, bucket: call.string("bucket")!, enabled: status == "Enabled")
            }
            return .none
        },
        "put-object": { call throws(CommandFailure) in
            let headers = try encryptionRequest(call)
            let userMetadata = try Self.userMetadata(call)
            let metadata = try call.call { () throws(ServiceError) in
                try call.world.s3.putObject(
                    call.s3, bucket: call.string("bucket")!, key: call.string("key")!, body: call.bytes("body") ?? [],
                    encryption: headers, acl: call.string("acl"), metadata: userMetadata)
            }
            return .json(
                Response.object(
                    [
                        ("ETag", Response.string(metadata.eTag)),
                        ("ServerSideEncryption", metadata.serverSideEncryption.map(Response.string)),
                        ("VersionId", metadata.versionId.map(Response.string)),
                    ]
                        + S3APICustomerKeys.fields(
                            algorithm: metadata.sseCustomerAlgorithm, keyMD5: metadata.sseCustomerKeyMD5)
                        + [
                            ("SSEKMSKeyId", metadata.kmsKeyArn.map(Response.string)),
                            ("BucketKeyEnabled", metadata.bucketKeyEnabled ? Response.bool(true) : nil),
                        ]))
        },
        "get-object": { call throws(CommandFailure) in
            let customerKey = try S3APICustomerKeys.customerKey(call)
            let result = try call.call { () throws(ServiceError) in
                try call.world.s3.getObject(
                    call.s3, bucket: call.string("bucket")!, key: call.string("key")!, customerKey: customerKey)
            }
            switch call.positionals[0] {
            case "/dev/null": break
            // The body reaches the terminal ahead of the response.
            case "/dev/stdout": call.record.terminalPrefix += result.body
            case let outfile: call.record.written[outfile] = result.body
            }
            var fields = objectFields(result.metadata)
            fields.insert(("AcceptRanges", Response.string("bytes")), at: 0)
            return .json(Response.object(fields))
        },
        "head-object": { call throws(CommandFailure) in
            let customerKey = try S3APICustomerKeys.customerKey(call)
            let metadata = try call.call { () throws(ServiceError) in
                try call.world.s3.headObject(
                    call.s3, bucket: call.string("bucket")!, key: call.string("key")!, customerKey: customerKey)
            }
            var fields = objectFields(metadata)
            fields.insert(("AcceptRanges", Response.string("bytes")), at: 0)
            return .json(Response.object(fields))
        },
        "list-objects-v2": { call throws(CommandFailure) in
            let prefix = call.string("prefix") ?? ""
            let objects = try call.call { () throws(ServiceError) in
                try call.world.s3.listObjectsV2(call.s3, bucket: call.string("bucket")!, prefix: prefix)
            }
            var contents = objects.map { object in
                Response.object([
                    "Key": Response.string(object.key), "LastModified": Response.timestamp(object.lastModified),
                    "ETag": Response.string(object.eTag), "Size": Response.number(object.size),
                    "StorageClass": Response.string("STANDARD"),
                ])
            }
            if let limit = call.integer("max-items") { contents = Array(contents.prefix(max(limit, 0))) }
            return .json(
                Response.object([
                    "Contents": contents.isEmpty ? nil : Response.array(contents),
                    "RequestCharged": Response.null, "Prefix": Response.string(prefix),
                ]))
        },
        "delete-object": { call throws(CommandFailure) in
            let deleted = try call.call { () throws(ServiceError) in
                try call.world.s3.deleteObject(call.s3, bucket: call.string("bucket")!, key: call.string("key")!)
            }
            guard deleted.deleteMarker else { return .none }
            return .json(
                Response.object([
                    "DeleteMarker": Response.bool(true), "VersionId": deleted.versionId.map(Response.string),
                ]))
        },
        "copy-object": { call throws(CommandFailure) in
            let source = call.string("copy-source")!
            let trimmed = source.hasPrefix("/") ? String(source.dropFirst()) : source
            guard let slash = trimmed.firstIndex(of: "/"), slash != trimmed.startIndex,
                trimmed.index(after: slash) != trimmed.endIndex
            else {
                throw .service(ServiceError("InvalidArgument", "Invalid copy source object key"))
            }
            let sourceBucket = String(trimmed[..<slash])
            var sourceKey = String(trimmed[trimmed.index(after: slash)...])
            if let question = sourceKey.firstIndex(of: "?") { sourceKey = String(sourceKey[..<question]) }
            sourceKey = sourceKey.removingPercentEncoding ?? sourceKey
            let headers = try encryptionRequest(call)
            let sourceKeyOfCustomer = try S3APICustomerKeys.customerKey(call, prefix: "copy-source-")
            let userMetadata = try Self.userMetadata(call)
            let metadata = try call.call { () throws(ServiceError) in
                try call.world.s3.copyObject(
                    call.s3, sourceBucket: sourceBucket, sourceKey: sourceKey, bucket: call.string("bucket")!,
                    key: call.string("key")!, encryption: headers,
                    replacingMetadata: call.string("metadata-directive") == "REPLACE",
                    sourceCustomerKey: sourceKeyOfCustomer, acl: call.string("acl"), metadata: userMetadata)
            }
            // REST-XML: the payload (CopyObjectResult) first, then the headers.
            return .json(
                Response.object([
                    "CopyObjectResult": Response.object([
                        "ETag": Response.string(metadata.eTag),
                        "LastModified": Response.timestamp(metadata.lastModified),
                    ]),
                    "VersionId": metadata.versionId.map(Response.string),
                    "ServerSideEncryption": metadata.serverSideEncryption.map(Response.string),
                    "SSECustomerAlgorithm": metadata.sseCustomerAlgorithm.map(Response.string),
                    "SSECustomerKeyMD5": metadata.sseCustomerKeyMD5.map(Response.string),
                    "SSEKMSKeyId": metadata.kmsKeyArn.map(Response.string),
                    "BucketKeyEnabled": metadata.bucketKeyEnabled ? Response.bool(true) : nil,
                ]))
        },
        "create-multipart-upload": { call throws(CommandFailure) in
            let headers = try encryptionRequest(call)
            let userMetadata = try Self.userMetadata(call)
            let info = try call.call { () throws(ServiceError) in
                try call.world.s3.createMultipartUpload(
                    call.s3, bucket: call.string("bucket")!, key: call.string("key")!, encryption: headers,
                    acl: call.string("acl"), metadata: userMetadata)
            }
            // The XML body's members first, then the headers.
            let fields: [(String, JSONValue?)] = [
                ("Bucket", Response.string(call.string("bucket")!)), ("Key", Response.string(call.string("key")!)),
                ("UploadId", Response.string(info.uploadId)),
            ]
            return .json(Response.object(fields + uploadFields(info)))
        },
        "upload-part": { call throws(CommandFailure) in
            let customerKey = try S3APICustomerKeys.customerKey(call)
            let info = try call.call { () throws(ServiceError) in
                try call.world.s3.uploadPart(
                    call.s3, bucket: call.string("bucket")!, key: call.string("key")!,
                    uploadId: call.string("upload-id")!, partNumber: call.integer("part-number")!,
                    body: call.bytes("body") ?? [], customerKey: customerKey)
            }
            var fields = uploadFields(info)
            fields.insert(("ETag", info.eTag.map(Response.string)), at: 1)
            return .json(Response.object(fields))
        },
        "complete-multipart-upload": { call throws(CommandFailure) in
            let parts = try partList(call.json("multipart-upload"))
            let bucket = call.string("bucket")!
            let key = call.string("key")!
            let metadata = try call.call { () throws(ServiceError) in
                try call.world.s3.completeMultipartUpload(
                    call.s3, bucket: bucket, key: key, uploadId: call.string("upload-id")!, parts: parts)
            }
            let host = call.region == "us-east-1" ? "s3.amazonaws.com" : "s3.\(call.region).amazonaws.com"
            return .json(
                Response.object([
                    "Location": Response.string("https://\(bucket).\(host)/\(key)"),
                    "Bucket": Response.string(bucket), "Key": Response.string(key),
                    "ETag": Response.string(metadata.eTag),
                    "ServerSideEncryption": metadata.serverSideEncryption.map(Response.string),
                    "VersionId": metadata.versionId.map(Response.string),
                    "SSEKMSKeyId": metadata.kmsKeyArn.map(Response.string),
                    "BucketKeyEnabled": metadata.bucketKeyEnabled ? Response.bool(true) : nil,
                ]))
        },
        "abort-multipart-upload": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.s3.abortMultipartUpload(
                    call.s3, bucket: call.string("bucket")!, key: call.string("key")!,
                    uploadId: call.string("upload-id")!)
            }
            return .none
        },
    ]

    /// An operation on one bucket with no response body.
    static func bucketAction(
        _ body: @escaping @Sendable (Invocation, String) throws(ServiceError) -> Traced<Void>
    ) -> Handler {
        { call throws(CommandFailure) in
            let snapshot = call
            try call.call { () throws(ServiceError) in try body(snapshot, snapshot.string("bucket")!) }
            return .none
        }
    }

    /// GetObject/HeadObject fields, in the order the CLI prints them.
    static func objectFields(_ metadata: ObjectMetadata) -> [(String, JSONValue?)] {
        [
            ("LastModified", Response.timestamp(metadata.lastModified)),
            ("ContentLength", Response.number(metadata.size)), ("ETag", Response.string(metadata.eTag)),
            ("VersionId", metadata.versionId.map(Response.string)),
            ("ContentType", Response.string("binary/octet-stream")),
            ("ServerSideEncryption", metadata.serverSideEncryption.map(Response.string)),
            (
                "Metadata",
                Response.object(
                    metadata.userMetadata.sorted { $0.key < $1.key }.map { ($0.key, Response.string($0.value)) })
            ),
            ("SSECustomerAlgorithm", metadata.sseCustomerAlgorithm.map(Response.string)),
            ("SSECustomerKeyMD5", metadata.sseCustomerKeyMD5.map(Response.string)),
            ("SSEKMSKeyId", metadata.kmsKeyArn.map(Response.string)),
            ("BucketKeyEnabled", metadata.bucketKeyEnabled ? Response.bool(true) : nil),
            ("ReplicationStatus", metadata.replicationStatus.map(Response.string)),
        ]
    }

    /// `--metadata k=v,…` (or JSON): string values only, as the map's shape says.
    static func userMetadata(_ call: Invocation) throws(CommandFailure) -> [String: String] {
        guard let value = call.json("metadata") else { return [:] }
        guard let members = value.members, members.allSatisfy({ $0.value.string != nil }) else {
            throw .usage(
                UsageError(message: "--metadata must be a map of strings, such as k=v", argument: "--metadata"))
        }
        return Dictionary(members.map { ($0.key, $0.value.string!) }, uniquingKeysWith: { _, last in last })
    }

    static func uploadFields(_ info: MultipartUploadInfo) -> [(String, JSONValue?)] {
        [
            ("ServerSideEncryption", info.serverSideEncryption.map(Response.string)),
            ("SSECustomerAlgorithm", info.sseCustomerAlgorithm.map(Response.string)),
            ("SSECustomerKeyMD5", info.sseCustomerKeyMD5.map(Response.string)),
            ("SSEKMSKeyId", info.kmsKeyArn.map(Response.string)),
            ("BucketKeyEnabled", info.bucketKeyEnabled ? Response.bool(true) : nil),
        ]
    }

    /// The request's SSE headers; `--ssekms-key-id` needs `aws:kms`, as S3 says.
    static func encryptionRequest(_ call: Invocation) throws(CommandFailure) -> EncryptionRequest {
        var request = EncryptionRequest(
            serverSideEncryption: call.string("server-side-encryption"), kmsKeyId: call.string("ssekms-key-id"),
            bucketKeyEnabled: call.flag("bucket-key-enabled"), customerKey: try S3APICustomerKeys.customerKey(call))
        if let encoded = call.string("ssekms-encryption-context") {
            // A base64-encoded JSON object of string pairs, as the header carries it.
            guard let data = Data(base64Encoded: encoded),
                let object = JSONParser.parse(String(decoding: data, as: UTF8.self)).value,
                let members = object.members, members.allSatisfy({ $0.value.string != nil })
            else {
                throw .service(
                    ServiceError(
                        "InvalidArgument",
                        "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map"
                    ))
            }
            request.context = Dictionary(members.map { ($0.key, $0.value.string!) }, uniquingKeysWith: { $1 })
        }
        if let algorithm = request.serverSideEncryption, !["AES256", "aws:kms", "aws:kms:dsse"].contains(algorithm) {
            throw .service(ServiceError("InvalidArgument", "The encryption method specified is not supported"))
        }
        if request.kmsKeyId != nil, request.serverSideEncryption?.hasPrefix("aws:kms") != true {
            throw .service(
                ServiceError(
                    "InvalidArgument",
                    "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"
                ))
        }
        return request
    }

    /// `--server-side-encryption-configuration` as S3 reads it: one rule.
    static func bucketEncryption(_ value: JSONValue) throws(CommandFailure) -> BucketEncryption {
        guard let rules = value["Rules"]?.elements, let rule = rules.first else {
            throw .usage(
                UsageError(
                    message:
                        "Parameter validation failed:\nMissing required parameter in ServerSideEncryptionConfiguration: \"Rules\"",
                    argument: "--server-side-encryption-configuration"))
        }
        guard let byDefault = rule["ApplyServerSideEncryptionByDefault"],
            let algorithm = byDefault["SSEAlgorithm"]?.string
        else {
            throw .usage(
                UsageError(
                    message:
                        "Parameter validation failed:\nMissing required parameter in ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault: \"SSEAlgorithm\"",
                    argument: "--server-side-encryption-configuration"))
        }
        let bucketKey = rule["BucketKeyEnabled"].flatMap { $0.bool ?? ($0.string.map { $0.lowercased() == "true" }) }
        let blocked = rule["BlockedEncryptionTypes"]?["EncryptionType"]
        return BucketEncryption(
            algorithm: algorithm, kmsKeyId: byDefault["KMSMasterKeyID"]?.string, bucketKeyEnabled: bucketKey ?? false,
            blockedEncryptionTypes: blocked.map { $0.elements?.compactMap(\.string) ?? $0.string.map { [$0] } ?? [] })
    }

    static func partList(_ value: JSONValue?) throws(CommandFailure) -> [(Int, String)]? {
        guard let value else { return nil }
        guard let parts = value["Parts"]?.elements else {
            throw .usage(
                UsageError(
                    message: "--multipart-upload needs Parts=[{ETag=…,PartNumber=1},…]", argument: "--multipart-upload")
            )
        }
        var list: [(Int, String)] = []
        for part in parts {
            let number = part["PartNumber"].flatMap {
                $0.number.flatMap { Int($0.literal) } ?? $0.string.flatMap { Int($0) }
            }
            guard let number, let eTag = part["ETag"]?.string else {
                throw .usage(UsageError(message: "each part needs ETag and PartNumber", argument: "--multipart-upload"))
            }
            list.append((number, eTag))
        }
        return list
    }

    /// CreateBucket outside us-east-1 needs a LocationConstraint naming the
    /// endpoint's Region; in us-east-1 none is allowed.
    static func checkLocationConstraint(_ constraint: String?, region: String) throws(CommandFailure) {
        switch (constraint, region) {
        case (nil, "us-east-1"): return
        case ("us-east-1", "us-east-1"):
            throw .service(ServiceError("InvalidLocationConstraint", "The specified location-constraint is not valid"))
        case (nil, _):
            throw .service(
                ServiceError(
                    "IllegalLocationConstraintException",
                    "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
                ))
        case (let given?, _) where given != region:
            throw .service(
                ServiceError(
                    "IllegalLocationConstraintException",
                    "The \(given) location constraint is incompatible for the region specific endpoint this request was sent to."
                ))
        default: return
        }
    }
}
