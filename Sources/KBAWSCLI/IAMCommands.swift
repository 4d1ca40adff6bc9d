import KBCLIModel
import KBCloud
import KBJSON

/// `aws iam` role commands and `aws sts get-caller-identity`.
enum IAMCommands {
    static let iam: [String: Handler] = [
        "create-role": { call throws(CommandFailure) in
            let role = try call.call { () throws(ServiceError) in
                try call.world.iam.createRole(
                    call.caller, roleName: call.string("role-name")!,
                    assumeRolePolicyDocument: call.string("assume-role-policy-document")!,
                    path: call.string("path") ?? "/")
            }
            return .json(Response.object(["Role": roleValue(role)]))
        },
        "get-role": {
            call throws(CommandFailure) in
            let role = try call.call { () throws(ServiceError) in
                try call.world.iam.getRole(call.caller, roleName: call.string("role-name")!)
            }
            return .json(Response.object(["Role": roleValue(role)]))
        },
        "put-role-policy": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.iam.putRolePolicy(
                    call.caller, roleName: call.string("role-name")!, policyName: call.string("policy-name")!,
                    policyDocument: call.string("policy-document")!)
            }
            return .none
        },
        "get-role-policy": { call throws(CommandFailure) in
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
        "delete-role-policy": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.iam.deleteRolePolicy(
                    call.caller, roleName: call.string("role-name")!, policyName: call.string("policy-name")!)
            }
            return .none
        },
        "list-role-policies": { call throws(CommandFailure) in
            let names = try call.call { () throws(ServiceError) in
                try call.world.iam.listRolePolicies(call.caller, roleName: call.string("role-name")!)
            }
            return .json(Response.object(["PolicyNames": Response.array(names.map(Response.string))]))
        },
    ]

    static let sts: [String: Handler] = [
        "get-caller-identity": { call throws(CommandFailure) in
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
