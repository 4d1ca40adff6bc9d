/// `aws kms` grants, key rotations listed, imported key material deleted.
enum KMSGrantModel {
    static let operations: [String: OperationModel] = [
        "create-grant": OperationModel(
            apiName: "CreateGrant",
            options: [
                .init("key-id", .string, required: true), .init("grantee-principal", .string, required: true),
                .init("retiring-principal", .string), .init("operations", .list, required: true),
                .init("constraints", .structure), .init("grant-tokens", .list), .init("name", .string),
                .init("dry-run", .boolean),
            ]
        ),
        "list-grants": OperationModel(
            apiName: "ListGrants",
            options: [
                .init("key-id", .string, required: true), .init("grant-id", .string),
                .init("grantee-principal", .string), .init("limit", .integer), .init("max-items", .integer),
                .init("page-size", .integer), .init("starting-token", .string),
            ]
        ),
        "list-retirable-grants": OperationModel(
            apiName: "ListRetirableGrants",
            options: [
                .init("retiring-principal", .string, required: true), .init("limit", .integer),
                .init("max-items", .integer), .init("page-size", .integer), .init("starting-token", .string),
            ]
        ),
        "retire-grant": OperationModel(
            apiName: "RetireGrant",
            options: [
                .init("grant-token", .string), .init("key-id", .string), .init("grant-id", .string),
                .init("dry-run", .boolean),
            ]
        ),
        "revoke-grant": OperationModel(
            apiName: "RevokeGrant",
            options: [
                .init("key-id", .string, required: true), .init("grant-id", .string, required: true),
                .init("dry-run", .boolean),
            ]
        ),
        "disable-key-rotation": KMSModel.keyAction("DisableKeyRotation"),
        "list-key-rotations": OperationModel(
            apiName: "ListKeyRotations",
            options: [
                .init("key-id", .string, required: true), .init("include-key-material", .string),
                .init("limit", .integer), .init("max-items", .integer), .init("page-size", .integer),
                .init("starting-token", .string),
            ]
        ),
        "delete-imported-key-material": OperationModel(
            apiName: "DeleteImportedKeyMaterial",
            options: [.init("key-id", .string, required: true), .init("key-material-id", .string)]
        ),
    ]
}
