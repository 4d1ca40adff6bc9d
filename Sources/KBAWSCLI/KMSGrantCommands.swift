import Foundation
import KBCLIModel
import KBCloud
import KBJSON

/// `aws kms` grant commands (create-grant, list-grants, list-retirable-grants,
/// retire-grant, revoke-grant) and the key commands issue 15's probes need
/// (disable-key-rotation, list-key-rotations, delete-imported-key-material),
/// with the KMS API's response shapes.
enum KMSGrantCommands {
    static let handlers: [String: Handler] = [
        "create-grant": { call throws(CommandFailure) in
            if call.flag("dry-run") == true { throw .unsupported("aws kms create-grant --dry-run") }
            let constraints = try grantConstraints(call.json("constraints"))
            let created = try call.call { () throws(ServiceError) in
                try call.world.kms.createGrant(
                    call.kms, keyId: call.string("key-id")!, granteePrincipal: call.string("grantee-principal")!,
                    operations: call.list("operations")!, retiringPrincipal: call.string("retiring-principal"),
                    constraints: constraints, name: call.string("name"))
            }
            return .json(
                Response.object([
                    "GrantToken": Response.string(created.grantToken), "GrantId": Response.string(created.grantId),
                ]))
        },
        "list-grants": { call throws(CommandFailure) in
            let grants = try call.call { () throws(ServiceError) in
                try call.world.kms.listGrants(
                    call.kms, keyId: call.string("key-id")!, grantId: call.string("grant-id"),
                    granteePrincipal: call.string("grantee-principal"))
            }
            // Paginated: the CLI merges the pages and prints the grants alone.
            return .json(Response.object(["Grants": Response.array(limited(grants, call).map(grantEntry))]))
        },
        "list-retirable-grants": { call throws(CommandFailure) in
            let grants = try call.call { () throws(ServiceError) in
                try call.world.kms.listRetirableGrants(call.kms, retiringPrincipal: call.string("retiring-principal")!)
            }
            return .json(Response.object(["Grants": Response.array(limited(grants, call).map(grantEntry))]))
        },
        "retire-grant": { call throws(CommandFailure) in
            if call.flag("dry-run") == true { throw .unsupported("aws kms retire-grant --dry-run") }
            try call.call { () throws(ServiceError) in
                try call.world.kms.retireGrant(
                    call.kms, grantToken: call.string("grant-token"), keyId: call.string("key-id"),
                    grantId: call.string("grant-id"))
            }
            return .none
        },
        "revoke-grant": { call throws(CommandFailure) in
            if call.flag("dry-run") == true { throw .unsupported("aws kms revoke-grant --dry-run") }
            try call.call { () throws(ServiceError) in
                try call.world.kms.revokeGrant(
                    call.kms, keyId: call.string("key-id")!, grantId: call.string("grant-id")!)
            }
            return .none
        },
        "disable-key-rotation": KMSCommands.keyAction { call, key throws(ServiceError) in
            try call.world.kms.disableKeyRotation(call.kms, keyId: key)
        },
        "list-key-rotations": { call throws(CommandFailure) in
            let rotations = try call.call { () throws(ServiceError) in
                try call.world.kms.listKeyRotations(call.kms, keyId: call.string("key-id")!)
            }
            return .json(
                Response.object([
                    "Rotations": Response.array(
                        limited(rotations, call).map {
                            Response.object([
                                "KeyId": Response.string($0.keyId), "RotationDate": Response.timestamp($0.rotationDate),
                                "RotationType": Response.string($0.rotationType),
                            ])
                        })
                ]))
        },
        "delete-imported-key-material": { call throws(CommandFailure) in
            try call.call { () throws(ServiceError) in
                try call.world.kms.deleteImportedKeyMaterial(call.kms, keyId: call.string("key-id")!)
            }
            let metadata = try KMSCommands.describe(call)
            return .json(Response.object(["KeyId": Response.string(metadata.arn)]))
        },
    ]

    /// `--max-items` caps what a paginated command prints.
    static func limited<Element>(_ elements: [Element], _ call: Invocation) -> [Element] {
        guard let limit = call.integer("max-items") else { return elements }
        return Array(elements.prefix(max(limit, 0)))
    }

    /// ListGrants' GrantListEntry, members in the API's order.
    static func grantEntry(_ grant: GrantListEntry) -> JSONValue {
        Response.object([
            "KeyId": Response.string(grant.keyId), "GrantId": Response.string(grant.grantId),
            "Name": Response.string(grant.name), "CreationDate": Response.timestamp(grant.creationDate),
            "GranteePrincipal": Response.string(grant.granteePrincipal),
            "RetiringPrincipal": grant.retiringPrincipal.map(Response.string),
            "IssuingAccount": Response.string(grant.issuingAccount),
            "Operations": Response.array(grant.operations.map(Response.string)),
            "Constraints": grant.constraints.map { constraints in
                Response.object([
                    "EncryptionContextSubset": constraints.encryptionContextSubset.map(pairs),
                    "EncryptionContextEquals": constraints.encryptionContextEquals.map(pairs),
                ])
            },
        ])
    }

    static func pairs(_ map: [String: String]) -> JSONValue {
        Response.object(map.sorted { $0.key < $1.key }.map { ($0.key, Response.string($0.value)) })
    }

    /// `--constraints EncryptionContextSubset={Department=IT}` or the JSON form.
    static func grantConstraints(_ value: JSONValue?) throws(CommandFailure) -> GrantConstraints? {
        guard let value else { return nil }
        guard let members = value.members else {
            throw .usage(UsageError(message: "--constraints must be a structure", argument: "--constraints"))
        }
        var constraints = GrantConstraints()
        for member in members {
            guard let pairs = member.value.members, pairs.allSatisfy({ $0.value.string != nil }) else {
                throw .usage(
                    UsageError(
                        message: "Invalid type for parameter Constraints.\(member.key): a map of strings is needed",
                        argument: "--constraints"))
            }
            let map = Dictionary(pairs.map { ($0.key, $0.value.string!) }, uniquingKeysWith: { $1 })
            switch member.key {
            case "EncryptionContextSubset": constraints.encryptionContextSubset = map
            case "EncryptionContextEquals": constraints.encryptionContextEquals = map
            default:
                throw .usage(
                    UsageError(
                        message:
                            "Parameter validation failed:\nUnknown parameter in Constraints: \"\(member.key)\", must be one of: EncryptionContextSubset, EncryptionContextEquals",
                        argument: "--constraints"))
            }
        }
        return constraints
    }
}
