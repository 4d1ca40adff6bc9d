import KBCloud
import KBJSON

/// `aws iam` role commands and `aws sts get-caller-identity`.
enum IAMCommands {
    static let iam: [String: Operation] = [
        "create-role": Operation(
            apiName: "CreateRole",
            options: [
                .init("role-name", .string, required: true),
                .init("assume-role-policy-document", .string, required: true), .init("path", .string),
                .init("description", .string), .init("max-session-duration", .integer),
                .init("permissions-boundary", .string), .init("tags", .structure),
            ]
        ) { call throws(CommandFailure) in
            let role = try call.call { () throws(ServiceError) in
                try call.world.iam.createRole(
                    call.caller, roleName: call.string("role-name")!,
                    assumeRolePolicyDocument: call.string("assume-role-policy-document")!,
                    path: call.string("path") ?? "/")
            }
            return .json(Response.object(["Role": roleValue(role)]))
        },
        "get-role": Operation(apiName: "GetRole", options: [.init("role-name", .string, required: true)]) {
            call throws(CommandFailure) in
            let role = try call.call { () throws(ServiceError) in
                try call.world.iam.getRole(call.caller, roleName: call.string("role-name")!)
            }
            return .json(Response.object(["Role": roleValue(role)]))
        },
        "put-role-policy": Operation(
            apiName: "PutRolePolicy",
            options: [
                .init("role-name", .string, required: true), .init("policy-name", .string, required: true),
                .init("policy-document", .string, required: true),
            ]
        ) { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.iam.putRolePolicy(
                    call.caller, roleName: call.string("role-name")!, policyName: call.string("policy-name")!,
                    policyDocument: call.string("policy-document")!)
            }
            return .none
        },
        "get-role-policy": Operation(
            apiName: "GetRolePolicy",
            options: [.init("role-name", .string, required: true), .init("policy-name", .string, required: true)]
        ) { call throws(CommandFailure) in
            let policy = try call.call { () throws(ServiceError) in
                try call.world.iam.getRolePolicy(
                    call.caller, roleName: call.string("role-name")!, policyName: call.string("policy-name")!)
            }
            return .json(
                Response.object([
                    "RoleName": Response.string(policy.roleName), "PolicyName": Response.string(policy.policyName),
                    "PolicyDocument": Response.document(policy.policyDocument),
                ]))
        },
        "delete-role-policy": Operation(
            apiName: "DeleteRolePolicy",
            options: [.init("role-name", .string, required: true), .init("policy-name", .string, required: true)]
        ) { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.iam.deleteRolePolicy(
                    call.caller, roleName: call.string("role-name")!, policyName: call.string("policy-name")!)
            }
            return .none
        },
        "list-role-policies": Operation(
            apiName: "ListRolePolicies", options: [.init("role-name", .string, required: true)]
        ) { call throws(CommandFailure) in
            let names = try call.call { () throws(ServiceError) in
                try call.world.iam.listRolePolicies(call.caller, roleName: call.string("role-name")!)
            }
            return .json(Response.object(["PolicyNames": Response.array(names.map(Response.string))]))
        },
    ]

    static let sts: [String: Operation] = [
        "get-caller-identity": Operation(apiName: "GetCallerIdentity", options: []) { call throws(CommandFailure) in
            let identity = call.world.iam.callerIdentity(call.caller)
            return .json(
                Response.object([
                    "UserId": Response.string(identity.userId), "Account": Response.string(identity.account),
                    "Arn": Response.string(identity.arn),
                ]))
        }
    ]

    static func roleValue(_ role: IAM.Role) -> JSONValue {
        Response.object([
            "Path": Response.string(role.path), "RoleName": Response.string(role.roleName),
            "RoleId": Response.string(role.roleId), "Arn": Response.string(role.arn),
            "CreateDate": Response.timestamp(role.createDate),
            "AssumeRolePolicyDocument": role.assumeRolePolicyDocument.map(Response.document),
        ])
    }
}
