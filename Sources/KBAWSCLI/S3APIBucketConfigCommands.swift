import Foundation
import KBCLIModel
import KBCloud
import KBJSON

/// `aws s3api` replication, ownership-controls and public-access-block commands,
/// with the S3 API's response shapes.
enum S3APIBucketConfigCommands {
    static let handlers: [String: Handler] = [
        "put-bucket-replication": { call throws(CommandFailure) in
            let configuration = try replicationConfiguration(call.json("replication-configuration")!)
            try call.call { () throws(ServiceError) in
                try call.world.s3.putBucketReplication(call.s3, bucket: call.string("bucket")!, configuration)
            }
            return .none
        },
        "get-bucket-replication": { call throws(CommandFailure) in
            let configuration = try call.call { () throws(ServiceError) in
                try call.world.s3.getBucketReplication(call.s3, bucket: call.string("bucket")!)
            }
            return .json(Response.object(["ReplicationConfiguration": replicationJSON(configuration)]))
        },
        "delete-bucket-replication": S3APICommands.bucketAction {
            call, bucket throws(ServiceError) in
            try call.world.s3.deleteBucketReplication(call.s3, bucket: bucket)
        },
        "put-bucket-ownership-controls": { call throws(CommandFailure) in
            guard let rule = call.json("ownership-controls")!["Rules"]?.elements?.first,
                let ownership = rule["ObjectOwnership"]?.string
            else {
                throw .usage(
                    UsageError(
                        message:
                            "Parameter validation failed:\nMissing required parameter in OwnershipControls: \"Rules\"",
                        argument: "--ownership-controls"))
            }
            try call.call { () throws(ServiceError) in
                try call.world.s3.putBucketOwnershipControls(
                    call.s3, bucket: call.string("bucket")!, objectOwnership: ownership)
            }
            return .none
        },
        "get-bucket-ownership-controls": { call throws(CommandFailure) in
            let ownership = try call.call { () throws(ServiceError) in
                try call.world.s3.getBucketOwnershipControls(call.s3, bucket: call.string("bucket")!)
            }
            return .json(
                Response.object([
                    "OwnershipControls": Response.object([
                        "Rules": Response.array([Response.object(["ObjectOwnership": Response.string(ownership)])])
                    ])
                ]))
        },
        "delete-bucket-ownership-controls": S3APICommands.bucketAction {
            call, bucket throws(ServiceError) in
            try call.world.s3.deleteBucketOwnershipControls(call.s3, bucket: bucket)
        },
        "put-public-access-block": { call throws(CommandFailure) in
            let given = call.json("public-access-block-configuration")!
            // Each setting left out is false, as S3 reads the XML.
            func flag(_ name: String) -> Bool {
                given[name].flatMap { $0.bool ?? $0.string.map { $0.lowercased() == "true" } } ?? false
            }
            let block = PublicAccessBlock(
                blockPublicAcls: flag("BlockPublicAcls"), ignorePublicAcls: flag("IgnorePublicAcls"),
                blockPublicPolicy: flag("BlockPublicPolicy"), restrictPublicBuckets: flag("RestrictPublicBuckets"))
            try call.call { () throws(ServiceError) in
                try call.world.s3.putPublicAccessBlock(call.s3, bucket: call.string("bucket")!, block)
            }
            return .none
        },
        "get-public-access-block": { call throws(CommandFailure) in
            let block = try call.call { () throws(ServiceError) in
                try call.world.s3.getPublicAccessBlock(call.s3, bucket: call.string("bucket")!)
            }
            return .json(
                Response.object([
                    "PublicAccessBlockConfiguration": Response.object([
                        "BlockPublicAcls": Response.bool(block.blockPublicAcls),
                        "IgnorePublicAcls": Response.bool(block.ignorePublicAcls),
                        "BlockPublicPolicy": Response.bool(block.blockPublicPolicy),
                        "RestrictPublicBuckets": Response.bool(block.restrictPublicBuckets),
                    ])
                ]))
        },
        "delete-public-access-block": S3APICommands.bucketAction {
            call, bucket throws(ServiceError) in
            try call.world.s3.deletePublicAccessBlock(call.s3, bucket: bucket)
        },
    ]

    /// `--replication-configuration` as the CLI reads it (JSON, as AWS's examples
    /// give it, or shorthand).
    static func replicationConfiguration(_ value: JSONValue) throws(CommandFailure) -> ReplicationConfiguration {
        func missing(_ name: String, in place: String) -> CommandFailure {
            .usage(
                UsageError(
                    message: "Parameter validation failed:\nMissing required parameter in \(place): \"\(name)\"",
                    argument: "--replication-configuration"))
        }
        guard let role = value["Role"]?.string else { throw missing("Role", in: "ReplicationConfiguration") }
        guard let rules = value["Rules"]?.elements else { throw missing("Rules", in: "ReplicationConfiguration") }
        var parsed: [ReplicationRule] = []
        for (index, rule) in rules.enumerated() {
            let place = "ReplicationConfiguration.Rules[\(index)]"
            guard let status = rule["Status"]?.string else { throw missing("Status", in: place) }
            guard let destination = rule["Destination"] else { throw missing("Destination", in: place) }
            guard let bucket = destination["Bucket"]?.string else {
                throw missing("Bucket", in: place + ".Destination")
            }
            var filter: ReplicationFilter?
            if let given = rule["Filter"] {
                let and = given["And"]
                var tags: [String: String] = [:]
                for tag in (and?["Tags"]?.elements ?? []) + (given["Tag"].map { [$0] } ?? []) {
                    if let key = tag["Key"]?.string { tags[key] = tag["Value"]?.string ?? "" }
                }
                filter = ReplicationFilter(prefix: given["Prefix"]?.string ?? and?["Prefix"]?.string, tags: tags)
            }
            parsed.append(
                ReplicationRule(
                    id: rule["ID"]?.string, priority: integer(rule["Priority"]), enabled: status == "Enabled",
                    prefix: rule["Prefix"]?.string, filter: filter,
                    destination: ReplicationDestination(
                        bucket: bucket, account: destination["Account"]?.string,
                        replicaKmsKeyID: destination["EncryptionConfiguration"]?["ReplicaKmsKeyID"]?.string,
                        storageClass: destination["StorageClass"]?.string,
                        ownerOverride: destination["AccessControlTranslation"]?["Owner"]?.string == "Destination"),
                    sseKmsEncryptedObjects: rule["SourceSelectionCriteria"]?["SseKmsEncryptedObjects"]?["Status"]?
                        .string
                        .map { $0 == "Enabled" },
                    deleteMarkerReplication: rule["DeleteMarkerReplication"]?["Status"]?.string.map { $0 == "Enabled" })
            )
        }
        return ReplicationConfiguration(role: role, rules: parsed)
    }

    static func integer(_ value: JSONValue?) -> Int? {
        value.flatMap { $0.number.flatMap { Int($0.literal) } ?? $0.string.flatMap { Int($0) } }
    }

    /// GetBucketReplication's configuration, members in the API's order.
    static func replicationJSON(_ configuration: ReplicationConfiguration) -> JSONValue {
        func status(_ on: Bool) -> JSONValue { Response.string(on ? "Enabled" : "Disabled") }
        let rules = configuration.rules.map { rule in
            let destination = rule.destination
            return Response.object([
                "ID": rule.id.map(Response.string), "Priority": rule.priority.map(Response.number),
                "Prefix": rule.prefix.map(Response.string),
                "Filter": rule.filter.map { filter in
                    Response.object([
                        "Prefix": filter.tags.isEmpty ? Response.string(filter.prefix ?? "") : nil,
                        "And": filter.tags.isEmpty
                            ? nil
                            : Response.object([
                                "Prefix": filter.prefix.map(Response.string),
                                "Tags": Response.array(
                                    filter.tags.sorted { $0.key < $1.key }.map {
                                        Response.object([
                                            "Key": Response.string($0.key), "Value": Response.string($0.value),
                                        ])
                                    }),
                            ]),
                    ])
                },
                "Status": status(rule.enabled),
                "SourceSelectionCriteria": rule.sseKmsEncryptedObjects.map { on in
                    Response.object(["SseKmsEncryptedObjects": Response.object(["Status": status(on)])])
                },
                "Destination": Response.object([
                    "Bucket": Response.string(destination.bucket), "Account": destination.account.map(Response.string),
                    "StorageClass": destination.storageClass.map(Response.string),
                    "AccessControlTranslation": destination.ownerOverride
                        ? Response.object(["Owner": Response.string("Destination")]) : nil,
                    "EncryptionConfiguration": destination.replicaKmsKeyID.map {
                        Response.object(["ReplicaKmsKeyID": Response.string($0)])
                    },
                ]),
                "DeleteMarkerReplication": rule.deleteMarkerReplication.map {
                    Response.object(["Status": status($0)])
                },
            ])
        }
        return Response.object(["Role": Response.string(configuration.role), "Rules": Response.array(rules)])
    }
}
