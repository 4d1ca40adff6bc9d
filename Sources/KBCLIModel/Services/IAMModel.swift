/// `aws iam` role commands and `aws sts get-caller-identity`.
enum IAMModel {
    static let iam: [String: OperationModel] = [
        "create-role": OperationModel(
            apiName: "CreateRole",
            options: [
                .init("role-name", .string, required: true),
                .init("assume-role-policy-document", .string, required: true), .init("path", .string),
                .init("description", .string), .init("max-session-duration", .integer),
                .init("permissions-boundary", .string), .init("tags", .structure),
            ]
        ),
        "get-role": OperationModel(apiName: "GetRole", options: [.init("role-name", .string, required: true)]),
        "put-role-policy": OperationModel(
            apiName: "PutRolePolicy",
            options: [
                .init("role-name", .string, required: true), .init("policy-name", .string, required: true),
                .init("policy-document", .string, required: true),
            ]
        ),
        "get-role-policy": OperationModel(
            apiName: "GetRolePolicy",
            options: [.init("role-name", .string, required: true), .init("policy-name", .string, required: true)]
        ),
        "delete-role-policy": OperationModel(
            apiName: "DeleteRolePolicy",
            options: [.init("role-name", .string, required: true), .init("policy-name", .string, required: true)]
        ),
        "list-role-policies": OperationModel(
            apiName: "ListRolePolicies", options: [.init("role-name", .string, required: true)]
        ),
    ]

    static let sts: [String: OperationModel] = [
        "get-caller-identity": OperationModel(apiName: "GetCallerIdentity", options: [])
    ]

    /// Real operations kbtool does not run: "not executed", not usage errors.
    static let iamUndescribed: Set<String> = [
        "attach-role-policy", "detach-role-policy", "delete-role", "list-roles",
        "list-attached-role-policies", "create-user", "put-user-policy",
        "create-policy", "update-assume-role-policy",
    ]

    /// Real operations kbtool does not run: "not executed", not usage errors.
    static let stsUndescribed: Set<String> = ["assume-role", "get-session-token", "decode-authorization-message"]
}
