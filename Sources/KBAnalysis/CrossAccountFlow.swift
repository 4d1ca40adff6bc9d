import Foundation
import KBBlocks
import KBCloud
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

/// Which policy denied a step of the flow.
public enum PolicyLayer: String, Sendable, Hashable {
    case identityPolicy = "identity policy"
    case bucketPolicy = "bucket policy"
    case keyPolicy = "key policy"
}

/// One request of the flow and its outcome.
public struct FlowStep: Sendable, Hashable {
    public var operation: String
    public var allowed: Bool
    /// The authorization that denied it ("kms:GenerateDataKey on arn:…").
    public var denied: String?
    public var deniedBy: [PolicyLayer] = []
    /// Why, in the evaluator's words.
    public var reason: String?
    /// Whether any policy of the guide grants the S3 action at all: a guide
    /// that never grants ListBucket does not mean the partner to list.
    public var intended = true
    /// The denying evaluation's trace: each policy's verdict and why.
    public var trace: [String] = []
}

/// The guide's intended flow run in the engine with the guide's own policies:
/// the partner's PutObject, GetObject and ListBucket on the owner's SSE-KMS bucket.
public struct FlowResult: Sendable {
    public var steps: [FlowStep] = []
    /// What the guide lacks to run the flow ("a key policy").
    public var missing: [String] = []
    public var partner: String = ""
    public var bucket: String = ""
    public var keyARN: String = ""
    /// Placeholders bound to the actors they stand for, with the example values
    /// the flow ran with.
    public var substitutions: [PlaceholderBinding] = []

    public var works: Bool { missing.isEmpty && !steps.isEmpty && steps.allSatisfy { $0.allowed || !$0.intended } }
}

public enum CrossAccountFlow {
    public static let defaultOwner = "111122223333"
    public static let defaultPartner = "444455556666"

    /// Nil when the guide is not about cross-account access (no resource policy
    /// names another account): then there is no flow to check.
    public static func run(_ scenario: GuideScenario) -> FlowResult? {
        let bucketPolicies = scenario.blocks(of: .bucket)
        let keyPolicies = scenario.blocks(of: .key)
        guard !scenario.partners.isEmpty || (!bucketPolicies.isEmpty && !keyPolicies.isEmpty) else { return nil }
        var result = FlowResult()
        let identities = partnerIdentityPolicies(scenario)
        let built: GuideWorld
        switch GuideWorld.build(scenario) {
        case .incomplete(let missing):
            result.missing += missing
            return result
        case .built(let world):
            built = world
        }
        result.partner = built.partnerRole
        result.bucket = built.bucket
        result.keyARN = built.keyARN
        result.substitutions = built.substitutions
        let world = built.world
        let bucketName = built.bucket
        let owner = built.owner
        let ownerWrote = built.ownerWrote
        guard let partner = try? built.partnerCaller() else { return result }
        let region = built.region
        let origin = S3.Origin(partner, region: region)
        // What the guide grants the partner: its identity policy, and resource
        // policy statements that name another account (not an admin's policy).
        let partnerStatements = scenario.blocks.enumerated().flatMap { index, block -> [Statement] in
            let allows = (block.document?.statements ?? []).filter { $0.effect.value == .allow }
            switch block.policyKind {
            case .identity: return index == identities.first ? allows : []
            case .bucket, .key:
                return allows.filter { statement in
                    (statement.principal?.entries ?? []).contains { entry in
                        let account = ARN(entry.value.value)?.account ?? entry.value.value
                        return account != owner
                    }
                }
            default: return []
            }
        }
        let granted = partnerStatements.flatMap { $0.actions?.values.map(\.value) ?? [] }
        func intended(_ action: String) -> Bool {
            granted.contains { Wildcard.matches($0, action, caseInsensitive: true) }
        }
        result.steps = [
            step("PutObject") { () throws(ServiceError) in
                try world.s3.putObject(origin, bucket: bucketName, key: "kbtool-flow/partner.txt", body: [1]).events
            },
            step("GetObject") { () throws(ServiceError) in
                try world.s3.getObject(
                    origin, bucket: bucketName, key: ownerWrote ? "kbtool-flow/owner.txt" : "kbtool-flow/partner.txt"
                ).events
            },
            step("ListBucket") { () throws(ServiceError) in
                try world.s3.listObjectsV2(origin, bucket: bucketName).events
            },
        ]
        for index in result.steps.indices {
            result.steps[index].intended = intended("s3:" + result.steps[index].operation)
        }
        return result
    }

    /// The identity policies meant for the partner's principal, best first: those
    /// that name the guide's bucket or key and whose prose speaks of the partner,
    /// not an administrator's `"*"` policy.
    public static func partnerIdentityPolicies(_ scenario: GuideScenario) -> [Int] {
        let partnerAccounts = Set(scenario.partners.compactMap { ARN($0.value)?.account ?? $0.value })
        let names = Set(scenario.buckets.map(\.value)).union(scenario.keys.map(\.value))
        func score(_ index: Int) -> Int {
            let block = scenario.blocks[index]
            var score = 0
            let resources = (block.document?.statements ?? []).flatMap { $0.resources?.values.map(\.value) ?? [] }
            if resources.contains(where: { resource in names.contains { resource.contains($0) } }) { score += 3 }
            let prose = ((block.paragraph ?? "") + " " + (block.heading ?? "") + " " + (block.title ?? "")).lowercased()
            if partnerAccounts.contains(where: { prose.contains($0) })
                || ["partner", "account b", "other account", "cross-account", "consumer"].contains(
                    where: prose.contains)
            {
                score += 2
            }
            if resources.contains("*") { score -= 2 }
            return score
        }
        return scenario.blocks(of: .identity).sorted { score($0) > score($1) }
    }

    static func step(_ operation: String, _ body: () throws(ServiceError) -> [EngineEvent]) -> FlowStep {
        do {
            _ = try body()
            return FlowStep(operation: operation, allowed: true)
        } catch {
            var step = FlowStep(operation: operation, allowed: false, reason: error.message)
            for event in error.events.reversed() {
                guard case .authorization(let service, let action, let resource, let evaluation) = event,
                    evaluation.decision != .allowed
                else { continue }
                step.denied = "\(action) on \(resource)"
                step.reason = evaluation.reason
                step.deniedBy = layers(evaluation, service: service)
                step.trace = evaluation.trace.map { policy in
                    let statements = policy.statements.map(describe)
                    return "\(policy.name): \(policy.result)"
                        + (statements.isEmpty ? "" : " — " + statements.joined(separator: "; "))
                }
                break
            }
            if step.denied == nil { step.denied = "\(error.code): \(error.message)" }
            return step
        }
    }

    /// A statement's part in a decision, in a few words: "Sid (Allow): applies",
    /// or what did not match.
    public static func describe(_ statement: StatementTrace) -> String {
        let parts = [
            statement.principal.flatMap { $0 == "none" ? "principal differs" : nil },
            statement.action ? nil : "action differs",
            statement.resource ? nil : "resource differs",
            statement.conditions.first { !$0.holds }.map { "\($0.operatorName) \($0.key) fails" },
        ].compactMap { $0 }
        return "\(statement.statement) (\(statement.effect)): "
            + (statement.applies ? "applies" : parts.joined(separator: ", "))
    }

    /// The layers to change: any that denies explicitly, else those that say
    /// nothing (across accounts both sides must allow).
    static func layers(_ evaluation: Evaluation, service: String) -> [PolicyLayer] {
        func layer(_ role: PolicyRole) -> PolicyLayer? {
            switch role {
            case .identity: return .identityPolicy
            case .resource: return service == "kms" ? .keyPolicy : .bucketPolicy
            case .keyPolicy: return .keyPolicy
            default: return nil
            }
        }
        let relevant = evaluation.trace.filter { layer($0.role) != nil }
        let denying = relevant.filter { $0.result == "deny" }
        let chosen = denying.isEmpty ? relevant.filter { $0.result != "allow" } : denying
        var layers: [PolicyLayer] = []
        for trace in chosen { if let found = layer(trace.role), !layers.contains(found) { layers.append(found) } }
        // A resource with no policy at all leaves no trace entry.
        if layers.isEmpty { layers = [service == "kms" ? .keyPolicy : .bucketPolicy] }
        return layers
    }

    /// A policy document from text, as IAM would accept it.
    static func parse(_ text: String) throws(ServiceError) -> PolicyDocument {
        // A value the parser recovered (a missing comma) runs as if fixed: the
        // syntax finding is reported on its own.
        let parsed = JSONParser.parse(text)
        guard let value = parsed.value else {
            throw ServiceError("MalformedPolicyDocument", "the identity policy is not valid JSON")
        }
        let policy = PolicyParser.parse(value, locate: SourceLocator(SourceText(path: "policy", text: text)))
        guard !policy.diagnostics.contains(where: { $0.severity == .error }) else {
            throw ServiceError("MalformedPolicyDocument", "the identity policy is not a valid policy")
        }
        return policy.document
    }
}

/// A placeholder of the guide, what it stands for, and the value used for it.
public struct PlaceholderBinding: Sendable, Hashable {
    public var placeholder: String
    /// "the partner's role", "the bucket", "the key", "the owner's account".
    public var actor: String
    public var value: String
}

/// Example values for a guide's placeholders: a bucket name, the owner's and the
/// partner's accounts, a partner role, a key, chosen by where each appears.
struct Substitutions {
    let owner: String
    private(set) var used: [PlaceholderBinding] = []
    private var values: [String: String] = [:]

    init(owner: String) {
        self.owner = owner
    }

    mutating func learn(from block: ClassifiedBlock) {
        guard let document = block.document else { return }
        for statement in document.statements {
            for entry in statement.principal?.entries ?? [] {
                let text = entry.value.value
                for placeholder in Placeholders.find(in: text) {
                    if placeholder == text {
                        // A whole principal: the partner's role.
                        assign(
                            placeholder, "arn:aws:iam::\(CrossAccountFlow.defaultPartner):role/PartnerRole",
                            "the partner's role")
                    } else if ARN(text)?.account == placeholder {
                        // The key's administrative root is the owner's (without one, whoever
                        // the key policy gives kms:*); any other account is the partner's.
                        let administers =
                            block.policyKind == .key
                            && (statement.actions?.values.contains { $0.value == "kms:*" } ?? false)
                        let ownerRoot = block.administrativeRoot.map { $0 == text } ?? administers
                        assign(
                            placeholder, ownerRoot ? owner : CrossAccountFlow.defaultPartner,
                            ownerRoot ? "the owner's account" : "the partner's account")
                    } else {
                        assign(placeholder, "PartnerRole", "the partner's role name")
                    }
                }
            }
            for resource in statement.resources?.values ?? [] {
                let text = resource.value
                let arn = ARN(text)
                for placeholder in Placeholders.find(in: text) {
                    if placeholder == text {
                        let kms = statement.actions?.values.contains { $0.value.lowercased().hasPrefix("kms:") } == true
                        assign(
                            placeholder,
                            kms ? "arn:aws:kms:us-east-1:\(owner):key/1234abcd-12ab-34cd-56ef-1234567890ab" : "*",
                            kms ? "the key" : "a resource")
                    } else if arn?.service == "s3" {
                        assign(placeholder, "example-guide-bucket", "the bucket")
                    } else if arn?.account == placeholder {
                        assign(placeholder, owner, "the owner's account")
                    } else if arn?.service == "kms" {
                        assign(placeholder, "1234abcd-12ab-34cd-56ef-1234567890ab", "the key's id")
                    }
                }
            }
        }
    }

    private mutating func assign(_ placeholder: String, _ value: String, _ actor: String) {
        guard values[placeholder] == nil else { return }
        values[placeholder] = value
        used.append(PlaceholderBinding(placeholder: placeholder, actor: actor, value: value))
    }

    /// The text with every known placeholder replaced, longest first.
    func apply(_ text: String) -> String {
        var text = text
        for (placeholder, value) in values.sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        return text
    }
}

/// S3's bucket naming rules, enough to tell a name from a stand-in.
enum S3BucketName {
    static func isValid(_ name: String) -> Bool {
        (3...63).contains(name.count)
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
            && name.first.map { $0.isLetter || $0.isNumber } == true
    }
}
