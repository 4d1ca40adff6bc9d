/// `aws kms …`: every operation the engine has.
enum KMSModel {
    static let operations: [String: OperationModel] = [
        "create-key": OperationModel(
            apiName: "CreateKey",
            options: [
                .init("policy", .string), .init("description", .string), .init("key-usage", .string),
                .init("key-spec", .string), .init("customer-master-key-spec", .string), .init("origin", .string),
                .init("multi-region", .boolean), .init("bypass-policy-lockout-safety-check", .boolean),
                .init("tags", .structure),
            ]
        ),
        "describe-key": OperationModel(
            apiName: "DescribeKey", options: [.init("key-id", .string, required: true), .init("grant-tokens", .list)]
        ),
        "get-key-policy": OperationModel(
            apiName: "GetKeyPolicy",
            options: [.init("key-id", .string, required: true), .init("policy-name", .string)]
        ),
        "put-key-policy": OperationModel(
            apiName: "PutKeyPolicy",
            options: [
                .init("key-id", .string, required: true), .init("policy", .string, required: true),
                .init("policy-name", .string), .init("bypass-policy-lockout-safety-check", .boolean),
            ]
        ),
        "enable-key": keyAction("EnableKey"),
        "disable-key": keyAction("DisableKey"),
        "schedule-key-deletion": OperationModel(
            apiName: "ScheduleKeyDeletion",
            options: [.init("key-id", .string, required: true), .init("pending-window-in-days", .integer)]
        ),
        "cancel-key-deletion": OperationModel(
            apiName: "CancelKeyDeletion", options: [.init("key-id", .string, required: true)]
        ),
        "enable-key-rotation": OperationModel(
            apiName: "EnableKeyRotation",
            options: [.init("key-id", .string, required: true), .init("rotation-period-in-days", .integer)]
        ),
        "get-key-rotation-status": OperationModel(
            apiName: "GetKeyRotationStatus", options: [.init("key-id", .string, required: true)]
        ),
        "rotate-key-on-demand": OperationModel(
            apiName: "RotateKeyOnDemand", options: [.init("key-id", .string, required: true)]
        ),
        "replicate-key": OperationModel(
            apiName: "ReplicateKey",
            options: [
                .init("key-id", .string, required: true), .init("replica-region", .string, required: true),
                .init("policy", .string), .init("description", .string),
                .init("bypass-policy-lockout-safety-check", .boolean),
            ]
        ),
        "create-alias": OperationModel(
            apiName: "CreateAlias",
            options: [.init("alias-name", .string, required: true), .init("target-key-id", .string, required: true)]
        ),
        "update-alias": OperationModel(
            apiName: "UpdateAlias",
            options: [.init("alias-name", .string, required: true), .init("target-key-id", .string, required: true)]
        ),
        "delete-alias": OperationModel(apiName: "DeleteAlias", options: [.init("alias-name", .string, required: true)]),
        "list-aliases": OperationModel(
            apiName: "ListAliases",
            options: [.init("key-id", .string), .init("limit", .integer), .init("max-items", .integer)]
        ),
        "encrypt": OperationModel(
            apiName: "Encrypt",
            options: [
                .init("key-id", .string, required: true), .init("plaintext", .blob, required: true),
                .init("encryption-context", .structure), .init("grant-tokens", .list),
                .init("encryption-algorithm", .string),
            ]
        ),
        "decrypt": OperationModel(
            apiName: "Decrypt",
            options: [
                .init("ciphertext-blob", .blob, required: true), .init("key-id", .string),
                .init("encryption-context", .structure), .init("grant-tokens", .list),
                .init("encryption-algorithm", .string),
            ]
        ),
        "re-encrypt": OperationModel(
            apiName: "ReEncrypt",
            options: [
                .init("ciphertext-blob", .blob, required: true), .init("source-key-id", .string),
                .init("source-encryption-context", .structure),
                .init("destination-key-id", .string, required: true),
                .init("destination-encryption-context", .structure), .init("grant-tokens", .list),
                .init("source-encryption-algorithm", .string), .init("destination-encryption-algorithm", .string),
            ]
        ),
        "generate-data-key": dataKeyOperation("GenerateDataKey"),
        "generate-data-key-without-plaintext": dataKeyOperation("GenerateDataKeyWithoutPlaintext"),
    ]

    static func dataKeyOperation(_ apiName: String) -> OperationModel {
        OperationModel(
            apiName: apiName,
            options: [
                .init("key-id", .string, required: true), .init("key-spec", .string),
                .init("number-of-bytes", .integer), .init("encryption-context", .structure),
                .init("grant-tokens", .list),
            ])
    }

    /// An operation on one key with no response body.
    static func keyAction(_ apiName: String) -> OperationModel {
        OperationModel(apiName: apiName, options: [.init("key-id", .string, required: true)])
    }

    /// Real operations kbtool does not run: "not executed", not usage errors.
    static let undescribed: Set<String> = [
        "list-keys", "tag-resource", "untag-resource", "list-resource-tags", "update-key-description", "sign",
        "verify", "generate-mac", "verify-mac", "get-public-key", "list-key-policies", "generate-random",
        "update-primary-region", "import-key-material", "get-parameters-for-import", "generate-data-key-pair",
        "generate-data-key-pair-without-plaintext", "derive-shared-secret",
    ]
}
