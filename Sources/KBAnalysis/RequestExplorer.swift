import KBBlocks
import KBCloud
import KBGuide
import KBPolicy
import KBPolicyLint

/// Every request a reader can ask about in a guide's world, decided ahead of time
/// by the engine: each principal × action × resource it applies to, with the
/// decision and the trace. The site embeds it so the explorer needs no server.
public struct ExplorerData: Sendable, Encodable, Hashable {
    public struct Principal: Sendable, Encodable, Hashable {
        public var id: String
        public var label: String
        public var arn: String
    }

    public struct Action: Sendable, Encodable, Hashable {
        public var id: String
        public var label: String
        /// The resources (ids) the action acts on.
        public var resources: [String]
    }

    public struct Resource: Sendable, Encodable, Hashable {
        public var id: String
        public var label: String
        public var arn: String
    }

    public struct PolicyVerdict: Sendable, Encodable, Hashable {
        public var name: String
        /// "allow", "deny" or "none".
        public var result: String
        public var statements: [String]
    }

    /// One thing the engine did: an authorization, a call S3 made to KMS, a key
    /// used, a cryptographic operation.
    public struct Step: Sendable, Encodable, Hashable {
        public var kind: String
        public var summary: String
        public var service: String?
        public var action: String?
        public var resource: String?
        public var decision: String?
        public var reason: String?
        public var policies: [PolicyVerdict]?
    }

    public struct Outcome: Sendable, Encodable, Hashable {
        /// "Allowed", "Denied", or "Error" for a request that fails for another reason.
        public var decision: String
        public var summary: String
        public var steps: [Step]
    }

    public var principals: [Principal] = []
    public var actions: [Action] = []
    public var resources: [Resource] = []
    /// By "principal|action|resource".
    public var decisions: [String: Outcome] = [:]
}

/// Builds ``ExplorerData`` by running each request in a fresh copy of the guide's
/// world, so no request sees another's effects (a delete, an overwrite).
public enum RequestExplorer {
    /// The most principals offered: the guide's own actors come first.
    static let maxPrincipals = 8
    public static let outsiderAccount = "999988887777"

    /// Nil when the guide's world cannot be built (no flow to explore).
    public static func explore(_ scenario: GuideScenario) -> ExplorerData? {
        guard case .built(let base) = GuideWorld.build(scenario) else { return nil }
        var data = ExplorerData()
        data.principals = principals(base, scenario: scenario)
        let object = "\(base.bucket)/\(GuideWorld.ownerObject)"
        data.resources = [
            .init(id: "bucket", label: "the bucket \(base.bucket)", arn: "arn:aws:s3:::\(base.bucket)"),
            .init(id: "object", label: "an object, \(object)", arn: "arn:aws:s3:::\(object)"),
            .init(id: "key", label: "the KMS key", arn: base.keyARN),
        ]
        let operations = Operation.allCases
        data.actions = operations.map { .init(id: $0.action, label: $0.action, resources: [$0.resource]) }
        // One world per principal: its requests run in an order where none
        // changes what a later one is decided on (reads first; the overwrite,
        // then the delete, last), so each sees the world as the guide set it up.
        for principal in data.principals {
            guard case .built(let world) = GuideWorld.build(scenario) else { continue }
            for operation in Operation.runOrder {
                data.decisions["\(principal.id)|\(operation.action)|\(operation.resource)"] = run(
                    operation, as: principal.arn, in: world)
            }
        }
        return data
    }

    /// The requests offered, each with the engine operation that makes it.
    enum Operation: CaseIterable {
        case putObject, getObject, deleteObject, listBucket, generateDataKey, decrypt, encrypt, describeKey

        /// Reads before writes: GetObject must find the owner's object, which
        /// PutObject overwrites and DeleteObject removes.
        static let runOrder: [Operation] = [
            .getObject, .listBucket, .describeKey, .encrypt, .generateDataKey, .decrypt, .putObject, .deleteObject,
        ]

        var action: String {
            switch self {
            case .putObject: return "s3:PutObject"
            case .getObject: return "s3:GetObject"
            case .deleteObject: return "s3:DeleteObject"
            case .listBucket: return "s3:ListBucket"
            case .generateDataKey: return "kms:GenerateDataKey"
            case .decrypt: return "kms:Decrypt"
            case .encrypt: return "kms:Encrypt"
            case .describeKey: return "kms:DescribeKey"
            }
        }

        var resource: String {
            switch self {
            case .putObject, .getObject, .deleteObject: return "object"
            case .listBucket: return "bucket"
            case .generateDataKey, .decrypt, .encrypt, .describeKey: return "key"
            }
        }
    }

    /// The owner's account, the partner's role, the roles and users the guide's
    /// policies name, then two that should be refused: a role of the partner's
    /// account without the identity policy, and a role of an unrelated account.
    static func principals(_ world: GuideWorld, scenario: GuideScenario) -> [ExplorerData.Principal] {
        var result: [ExplorerData.Principal] = []
        func add(_ arn: String, _ label: String) {
            guard !result.contains(where: { $0.arn == arn }), result.count < maxPrincipals else { return }
            result.append(.init(id: "p\(result.count + 1)", label: label, arn: arn))
        }
        add(world.partnerRole, "the partner's role (\(world.partnerRole))")
        add("arn:aws:iam::\(world.owner):root", "the owner's account (\(world.owner)), through its IAM policies")
        var substitutions = Substitutions(owner: world.owner)
        for block in scenario.blocks { substitutions.learn(from: block) }
        let named = scenario.blocks.flatMap { block in
            (block.document?.statements ?? []).flatMap { statement in
                (statement.principal?.entries ?? []).map { substitutions.apply($0.value.value) }
            }
        }
        for arn in named {
            guard let parsed = ARN(arn), parsed.service == "iam",
                parsed.resource.hasPrefix("role/") || parsed.resource.hasPrefix("user/")
            else { continue }
            let side = parsed.account == world.owner ? "owner's" : "another"
            add(arn, "\(parsed.resource) in the \(side) account (\(parsed.account))")
        }
        add(
            "arn:aws:iam::\(world.partnerAccount):role/RoleWithoutPolicy",
            "another role of the partner's account, without the identity policy")
        add("arn:aws:iam::\(outsiderAccount):role/Outsider", "a role in an unrelated account (\(outsiderAccount))")
        return result
    }

    /// Runs one request as `principal` and reads the decision off the events.
    static func run(_ operation: Operation, as principal: String, in built: GuideWorld) -> ExplorerData.Outcome {
        let world = built.world
        let keyOrigin = { (caller: Caller) in KMS.Origin(caller, region: built.region) }
        do {
            let caller = try GuideWorld.session(of: principal, named: "kbtool-explorer")
            let s3 = S3.Origin(caller, region: built.region)
            let events: [EngineEvent]
            switch operation {
            case .putObject:
                events = try world.s3.putObject(
                    s3, bucket: built.bucket, key: GuideWorld.ownerObject, body: Array("example".utf8)
                ).events
            case .getObject:
                // Something to read: the owner's object, or else one the partner writes.
                if !built.ownerWrote {
                    let partner = S3.Origin(try built.partnerCaller(), region: built.region)
                    guard
                        (try? world.s3.putObject(
                            partner, bucket: built.bucket, key: GuideWorld.ownerObject, body: Array("p".utf8))) != nil
                    else {
                        return .init(
                            decision: "Error",
                            summary: "there is no object to read: neither the owner nor the partner may write one",
                            steps: [])
                    }
                }
                events = try world.s3.getObject(s3, bucket: built.bucket, key: GuideWorld.ownerObject).events
            case .deleteObject:
                events = try world.s3.deleteObject(s3, bucket: built.bucket, key: GuideWorld.ownerObject).events
            case .listBucket:
                events = try world.s3.listObjectsV2(s3, bucket: built.bucket).events
            case .generateDataKey:
                events = try world.kms.generateDataKey(keyOrigin(caller), keyId: built.keyARN, keySpec: "AES_256")
                    .events
            case .encrypt:
                events = try world.kms.encrypt(keyOrigin(caller), keyId: built.keyARN, plaintext: [1, 2, 3]).events
            case .describeKey:
                events = try world.kms.describeKey(keyOrigin(caller), keyId: built.keyARN).events
            case .decrypt:
                let owner = try Caller("arn:aws:iam::\(built.owner):root")
                guard
                    let blob = try? world.kms.encrypt(keyOrigin(owner), keyId: built.keyARN, plaintext: [1, 2, 3])
                        .value.ciphertextBlob
                else {
                    return .init(
                        decision: "Error",
                        summary: "the owner cannot encrypt with the key: the key policy does not let it",
                        steps: [])
                }
                events = try world.kms.decrypt(keyOrigin(caller), ciphertextBlob: blob).events
            }
            let steps = events.map(step)
            let authorizations = steps.filter { $0.kind == "authorization" }.compactMap(\.action)
            return .init(
                decision: "Allowed",
                summary: "Allowed: " + authorizations.map { "\($0) allowed" }.joined(separator: ", then ") + ".",
                steps: steps)
        } catch {
            let steps = error.events.map(step)
            let denial = error.events.reversed().lazy.compactMap { event -> (String, String, Evaluation)? in
                guard case .authorization(let service, let action, _, let evaluation) = event,
                    evaluation.decision != .allowed
                else { return nil }
                return (service, action, evaluation)
            }.first
            guard let (service, action, evaluation) = denial else {
                return .init(decision: "Error", summary: "\(error.code): \(error.message)", steps: steps)
            }
            let layers = CrossAccountFlow.layers(evaluation, service: service).map(\.rawValue)
            let how = evaluation.decision == .explicitlyDenied ? "explicitly denied" : "not allowed"
            return .init(
                decision: "Denied",
                summary: "Denied: \(action) is \(how) (\(layers.joined(separator: " and "))): \(evaluation.reason).",
                steps: steps)
        }
    }

    static func step(_ event: EngineEvent) -> ExplorerData.Step {
        switch event {
        case .authorization(let service, let action, let resource, let evaluation):
            return .init(
                kind: "authorization",
                summary: "\(service): \(action) on \(resource): \(evaluation.decision.rawValue)",
                service: service, action: action, resource: resource, decision: evaluation.decision.rawValue,
                reason: evaluation.reason,
                policies: evaluation.trace.map {
                    .init(name: $0.name, result: $0.result, statements: $0.statements.map(CrossAccountFlow.describe))
                })
        case .serviceCall(let from, let to, let operation):
            return .init(
                kind: "call", summary: "\(from) calls \(to) \(operation) on the caller's behalf", service: to,
                action: operation)
        case .keyUsed(let keyARN, let version, let purpose):
            return .init(kind: "key", summary: "\(purpose) with \(keyARN), key material version \(version)")
        case .crypto(let operation, let bytes, let context):
            let pairs = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return .init(
                kind: "crypto",
                summary: "\(operation) \(bytes) bytes" + (pairs.isEmpty ? "" : " under encryption context {\(pairs)}"))
        case .replication(let source, let destination, let status, let failure):
            return .init(
                kind: "replication",
                summary: "replication of \(source) to \(destination): \(status)" + (failure.map { " (\($0))" } ?? ""))
        }
    }
}
