import KBCLIModel
import KBCloud
import KBCrypto
import KBJSON

/// `aws kms …`: every operation the engine has, with the KMS API's response shapes.
enum KMSCommands {
    static let handlers: [String: Handler] = [
        "create-key": { call throws(CommandFailure) in
            if let spec = call.string("key-spec") ?? call.string("customer-master-key-spec"),
                spec != "SYMMETRIC_DEFAULT"
            {
                throw .message(
                    "kbtool: only SYMMETRIC_DEFAULT keys are emulated (got \(spec))", status: 255, events: [])
            }
            let metadata = try call.call { () throws(ServiceError) in
                try call.world.kms.createKey(
                    call.kms, policy: call.string("policy"), description: call.string("description") ?? "",
                    multiRegion: call.flag("multi-region") ?? false,
                    bypassPolicyLockoutSafetyCheck: call.flag("bypass-policy-lockout-safety-check") ?? false,
                    keyMaterialOrigin: call.string("origin") ?? "AWS_KMS")
            }
            return .json(Response.object(["KeyMetadata": keyMetadata(metadata)]))
        },
        "describe-key": { call throws(CommandFailure) in
            let metadata = try describe(call)
            return .json(Response.object(["KeyMetadata": keyMetadata(metadata)]))
        },
        "get-key-policy": { call throws(CommandFailure) in
            try requireDefaultPolicyName(call)
            let policy = try call.call { () throws(ServiceError) in
                try call.world.kms.getKeyPolicy(call.kms, keyId: call.string("key-id")!)
            }
            return .json(
                Response.object(["Policy": Response.string(policy), "PolicyName": Response.string("default")]))
        },
        "put-key-policy": { call throws(CommandFailure) in
            try requireDefaultPolicyName(call)
            try call.call { () throws(ServiceError) in
                try call.world.kms.putKeyPolicy(
                    call.kms, keyId: call.string("key-id")!, policy: call.string("policy")!,
                    bypassPolicyLockoutSafetyCheck: call.flag("bypass-policy-lockout-safety-check") ?? false)
            }
            return .none
        },
        "enable-key": keyAction { call, key throws(ServiceError) in
            try call.world.kms.enableKey(call.kms, keyId: key)
        },
        "disable-key": keyAction { call, key throws(ServiceError) in
            try call.world.kms.disableKey(call.kms, keyId: key)
        },
        "schedule-key-deletion": { call throws(CommandFailure) in
            let days = call.integer("pending-window-in-days") ?? 30
            let date = try call.call { () throws(ServiceError) in
                try call.world.kms.scheduleKeyDeletion(
                    call.kms, keyId: call.string("key-id")!, pendingWindowInDays: days)
            }
            let metadata = try describe(call)
            return .json(
                Response.object([
                    "KeyId": Response.string(metadata.arn), "DeletionDate": Response.timestamp(date),
                    "KeyState": Response.string(metadata.keyStateName), "PendingWindowInDays": Response.number(days),
                ]))
        },
        "cancel-key-deletion": {
            call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.kms.cancelKeyDeletion(call.kms, keyId: call.string("key-id")!)
            }
            let metadata = try describe(call)
            return .json(Response.object(["KeyId": Response.string(metadata.arn)]))
        },
        "enable-key-rotation": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.kms.enableKeyRotation(
                    call.kms, keyId: call.string("key-id")!,
                    rotationPeriodInDays: call.integer("rotation-period-in-days") ?? 365)
            }
            return .none
        },
        "get-key-rotation-status": { call throws(CommandFailure) in
            let status = try call.call { () throws(ServiceError) in
                try call.world.kms.getKeyRotationStatus(call.kms, keyId: call.string("key-id")!)
            }
            let metadata = try describe(call)
            return .json(
                Response.object([
                    "KeyRotationEnabled": Response.bool(status.enabled), "KeyId": Response.string(metadata.keyId),
                    "RotationPeriodInDays": status.rotationPeriodInDays.map(Response.number),
                    "NextRotationDate": status.nextRotationDate.map(Response.timestamp),
                ]))
        },
        "rotate-key-on-demand": {
            call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.kms.rotateKeyOnDemand(call.kms, keyId: call.string("key-id")!)
            }
            let metadata = try describe(call)
            return .json(Response.object(["KeyId": Response.string(metadata.keyId)]))
        },
        "replicate-key": { call throws(CommandFailure) in
            let replica = try call.call { () throws(ServiceError) in
                try call.world.kms.replicateKey(
                    call.kms, keyId: call.string("key-id")!, replicaRegion: call.string("replica-region")!,
                    policy: call.string("policy"), description: call.string("description"))
            }
            let policy = try call.call { () throws(ServiceError) in
                try call.world.kms.getKeyPolicy(
                    KMS.Origin(call.caller, region: replica.region), keyId: replica.arn)
            }
            return .json(
                Response.object([
                    "ReplicaKeyMetadata": keyMetadata(replica), "ReplicaPolicy": Response.string(policy),
                    "ReplicaTags": Response.array([]),
                ]))
        },
        "create-alias": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.kms.createAlias(
                    call.kms, aliasName: call.string("alias-name")!, targetKeyId: call.string("target-key-id")!)
            }
            return .none
        },
        "update-alias": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.kms.updateAlias(
                    call.kms, aliasName: call.string("alias-name")!, targetKeyId: call.string("target-key-id")!)
            }
            return .none
        },
        "delete-alias": {
            call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.kms.deleteAlias(call.kms, aliasName: call.string("alias-name")!)
            }
            return .none
        },
        "list-aliases": { call throws(CommandFailure) in
            let aliases = try call.call { () throws(ServiceError) in
                try call.world.kms.listAliases(call.kms, keyId: call.string("key-id"))
            }
            return .json(
                Response.object([
                    "Aliases": Response.array(
                        aliases.map {
                            Response.object([
                                "AliasName": Response.string($0.aliasName), "AliasArn": Response.string($0.aliasArn),
                                "TargetKeyId": Response.string($0.targetKeyId),
                            ])
                        })
                ]))
        },
        "encrypt": { call throws(CommandFailure) in
            try requireSymmetricAlgorithm(call, "encryption-algorithm")
            let context = try encryptionContext(call, "encryption-context")
            let result = try call.call { () throws(ServiceError) in
                try call.world.kms.encrypt(
                    call.kms, keyId: call.string("key-id")!, plaintext: call.bytes("plaintext")!, context: context)
            }
            return .json(
                Response.object([
                    "CiphertextBlob": Response.base64(result.ciphertextBlob), "KeyId": Response.string(result.keyId),
                    "EncryptionAlgorithm": Response.string("SYMMETRIC_DEFAULT"),
                ]))
        },
        "decrypt": { call throws(CommandFailure) in
            try requireSymmetricAlgorithm(call, "encryption-algorithm")
            let context = try encryptionContext(call, "encryption-context")
            let result = try call.call { () throws(ServiceError) in
                try call.world.kms.decrypt(
                    call.kms, ciphertextBlob: call.bytes("ciphertext-blob")!, keyId: call.string("key-id"),
                    context: context)
            }
            return .json(
                Response.object([
                    "KeyId": Response.string(result.keyId), "Plaintext": Response.base64(result.plaintext),
                    "EncryptionAlgorithm": Response.string("SYMMETRIC_DEFAULT"),
                ]))
        },
        "re-encrypt": { call throws(CommandFailure) in
            let source = try encryptionContext(call, "source-encryption-context")
            let destination = try encryptionContext(call, "destination-encryption-context")
            let blob = call.bytes("ciphertext-blob")!
            let sourceKey = CiphertextBlob(bytes: blob)?.keyARN
            let result = try call.call { () throws(ServiceError) in
                try call.world.kms.reEncrypt(
                    call.kms, ciphertextBlob: blob, sourceKeyId: call.string("source-key-id"),
                    sourceContext: source, destinationKeyId: call.string("destination-key-id")!,
                    destinationContext: destination)
            }
            return .json(
                Response.object([
                    "CiphertextBlob": Response.base64(result.ciphertextBlob),
                    "SourceKeyId": sourceKey.map(Response.string), "KeyId": Response.string(result.keyId),
                    "SourceEncryptionAlgorithm": Response.string("SYMMETRIC_DEFAULT"),
                    "DestinationEncryptionAlgorithm": Response.string("SYMMETRIC_DEFAULT"),
                ]))
        },
        "generate-data-key": dataKeyOperation(withPlaintext: true),
        "generate-data-key-without-plaintext": dataKeyOperation(withPlaintext: false),
    ]

    static func dataKeyOperation(withPlaintext: Bool) -> Handler {
        { call throws(CommandFailure) in
            let context = try encryptionContext(call, "encryption-context")
            let key = try call.call { () throws(ServiceError) in
                try call.world.kms.generateDataKey(
                    call.kms, keyId: call.string("key-id")!, keySpec: call.string("key-spec"),
                    numberOfBytes: call.integer("number-of-bytes"), context: context, withPlaintext: withPlaintext)
            }
            return .json(
                Response.object([
                    "CiphertextBlob": Response.base64(key.ciphertextBlob),
                    "Plaintext": key.plaintext.map(Response.base64), "KeyId": Response.string(key.keyId),
                ]))
        }
    }

    /// An operation on one key with no response body.
    static func keyAction(
        _ body: @escaping @Sendable (Invocation, String) throws(ServiceError) -> Traced<Void>
    ) -> Handler {
        { call throws(CommandFailure) in
            let snapshot = call
            try call.call { () throws(ServiceError) in try body(snapshot, snapshot.string("key-id")!) }
            return .none
        }
    }

    /// The `--key-id` key's metadata: several responses name the key by its ARN or
    /// id and state after the change, as the API returns them.
    static func describe(_ call: Invocation) throws(CommandFailure) -> KeyMetadata {
        try call.call { () throws(ServiceError) in
            try call.world.kms.describeKey(call.kms, keyId: call.string("key-id")!)
        }
    }

    /// DescribeKey's KeyMetadata, fields in the API's order.
    static func keyMetadata(_ metadata: KeyMetadata) -> JSONValue {
        Response.object([
            "AWSAccountId": Response.string(metadata.account), "KeyId": Response.string(metadata.keyId),
            "Arn": Response.string(metadata.arn), "CreationDate": Response.timestamp(metadata.creationDate),
            "Enabled": Response.bool(metadata.enabled), "Description": Response.string(metadata.description),
            "KeyUsage": Response.string(metadata.keyUsage), "KeyState": Response.string(metadata.keyStateName),
            "DeletionDate": metadata.deletionDate.map(Response.timestamp),
            "ValidTo": metadata.validTo.map(Response.timestamp), "Origin": Response.string(metadata.origin),
            "ExpirationModel": metadata.expirationModel.map(Response.string),
            "KeyManager": Response.string(metadata.keyManager),
            "CustomerMasterKeySpec": Response.string(metadata.keySpec), "KeySpec": Response.string(metadata.keySpec),
            "EncryptionAlgorithms": Response.array([Response.string("SYMMETRIC_DEFAULT")]),
            "MultiRegion": Response.bool(metadata.multiRegion),
            "MultiRegionConfiguration": metadata.multiRegionKeyType.map { type in
                func entry(_ key: (arn: String, region: String)) -> JSONValue {
                    Response.object(["Arn": Response.string(key.arn), "Region": Response.string(key.region)])
                }
                return Response.object([
                    "MultiRegionKeyType": Response.string(type), "PrimaryKey": metadata.primaryKey.map(entry),
                    "ReplicaKeys": Response.array(metadata.replicaKeys.map(entry)),
                ])
            },
        ])
    }

    /// `--encryption-context` as JSON or shorthand; every value must be a string.
    static func encryptionContext(_ call: Invocation, _ name: String) throws(CommandFailure) -> EncryptionContext {
        guard let value = call.json(name) else { return EncryptionContext() }
        guard let members = value.members else {
            throw .usage(
                UsageError(message: "--\(name) must be a map of strings, such as purpose=test", argument: "--\(name)"))
        }
        var pairs: [String: String] = [:]
        for member in members {
            guard let text = member.value.string else {
                throw .usage(
                    UsageError(
                        message:
                            "Invalid type for parameter EncryptionContext.\(member.key), value: \(member.value.typeName), valid types: <class 'str'>",
                        argument: "--\(name)"))
            }
            pairs[member.key] = text
        }
        return EncryptionContext(pairs)
    }

    static func requireDefaultPolicyName(_ call: Invocation) throws(CommandFailure) {
        if let name = call.string("policy-name"), name != "default" {
            throw .service(ServiceError("NotFoundException", "Policy name \(name) not found."))
        }
    }

    static func requireSymmetricAlgorithm(_ call: Invocation, _ name: String) throws(CommandFailure) {
        if let algorithm = call.string(name), algorithm != "SYMMETRIC_DEFAULT" {
            throw .service(
                ServiceError(
                    "InvalidKeyUsageException",
                    "The encryption algorithm \(algorithm) is not valid for this symmetric key."))
        }
    }
}
