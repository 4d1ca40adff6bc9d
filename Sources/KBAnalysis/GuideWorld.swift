import KBBlocks
import KBCloud
import KBGuide
import KBPolicy
import KBPolicyLint

/// A guide's world set up in the engine: the owner's key and SSE-KMS bucket with
/// the guide's key and bucket policies, and the partner's role with the guide's
/// identity policy. Placeholders are filled with example values.
///
/// The cross-account flow and the site's request explorer both run requests in it.
public struct GuideWorld: Sendable {
    public enum Outcome: Sendable {
        case built(GuideWorld)
        /// What the guide lacks to be run ("a key policy").
        case incomplete([String])
    }

    public var world: World
    public var owner: String
    public var partnerAccount: String
    /// The partner's role, as the guide names it or `PartnerRole` in its account.
    public var partnerRole: String
    public var bucket: String
    public var keyARN: String
    public var region: String
    /// Whether the owner could write an object (the key policy may not let it).
    public var ownerWrote: Bool
    public var substitutions: [PlaceholderBinding]
    /// The object the owner wrote for others to read.
    public static let ownerObject = "kbtool-flow/owner.txt"

    /// A session of the partner's role, as the flow's requests come from.
    public func partnerCaller() throws(ServiceError) -> Caller {
        try Self.session(of: partnerRole)
    }

    /// A session of a role (`…:role/Name`) or the principal itself otherwise.
    public static func session(of principal: String, named session: String = "kbtool-flow") throws(ServiceError)
        -> Caller
    {
        if let arn = ARN(principal), arn.service == "iam", arn.resource.hasPrefix("role/") {
            let name = arn.resource.split(separator: "/").last.map(String.init) ?? "Role"
            return try Caller("arn:aws:sts::\(arn.account):assumed-role/\(name)/\(session)")
        }
        return try Caller(principal)
    }

    /// Builds the world from the guide's first bucket and key policies and the
    /// identity policy best suited to the partner, or says what is missing.
    public static func build(_ scenario: GuideScenario) -> Outcome {
        let bucketPolicies = scenario.blocks(of: .bucket)
        let keyPolicies = scenario.blocks(of: .key)
        let identities = CrossAccountFlow.partnerIdentityPolicies(scenario)
        var missing: [String] = []
        if bucketPolicies.isEmpty { missing.append("a bucket policy") }
        if keyPolicies.isEmpty { missing.append("a key policy") }
        if identities.isEmpty { missing.append("an identity policy for the partner's principal") }
        let owner = scenario.ownerAccount ?? CrossAccountFlow.defaultOwner

        // Placeholders get example values, consistently across blocks.
        var substitutions = Substitutions(owner: owner)
        for block in scenario.blocks { substitutions.learn(from: block) }
        let bucketName =
            scenario.buckets.map { substitutions.apply($0.value) }.first { S3BucketName.isValid($0) }
        if bucketName == nil { missing.append("the bucket's name (an S3 ARN in a policy)") }
        guard missing.isEmpty, let bucketName else { return .incomplete(missing) }
        let partnerText = substitutions.apply(
            scenario.partners.first?.value ?? "arn:aws:iam::\(CrossAccountFlow.defaultPartner):root")
        // A key named exactly wins over a pattern (`arn:aws:kms:*:ACCOUNT:key/*`), whose
        // wildcard Region or id is no value to create a key with.
        let keyReferences = scenario.keys.map { substitutions.apply($0.value) }
            .filter { ARN($0)?.resource.hasPrefix("key/") == true }
        let keyReference = keyReferences.first { !Wildcard.isPattern($0) } ?? keyReferences.first
        let concrete: (String) -> String? = { $0.isEmpty || Wildcard.isPattern($0) ? nil : $0 }
        let region = keyReference.flatMap { ARN($0)?.region }.flatMap(concrete) ?? "us-east-1"
        let keyId =
            keyReference.flatMap { ARN($0).map { String($0.resource.dropFirst(4)) } }.flatMap(concrete)
            ?? "1234abcd-12ab-34cd-56ef-1234567890ab"

        // The partner's principal: a role as named, or a role in the named account.
        let partnerAccount =
            ARN(partnerText)?.account
            ?? (ARN.isAccountID(partnerText) ? partnerText : CrossAccountFlow.defaultPartner)
        var partnerRole = "arn:aws:iam::\(partnerAccount):role/PartnerRole"
        if let arn = ARN(partnerText), arn.service == "iam", arn.resource.hasPrefix("role/") {
            partnerRole = partnerText
        }

        let world = World(seed: "kbtool-flow")
        do {
            let ownerRoot = try Caller("arn:aws:iam::\(owner):root")
            let keyPolicy = substitutions.apply(scenario.blocks[keyPolicies[0]].code.literal)
            let key = try world.kms.createKey(
                .init(ownerRoot, region: region), policy: keyPolicy, bypassPolicyLockoutSafetyCheck: true, keyId: keyId
            ).value
            let ownerS3 = S3.Origin(ownerRoot, region: region)
            _ = try world.s3.createBucket(ownerS3, bucket: bucketName)
            _ = try world.s3.putBucketEncryption(
                ownerS3, bucket: bucketName, BucketEncryption(algorithm: "aws:kms", kmsKeyId: key.arn))
            _ = try world.s3.putBucketPolicy(
                ownerS3, bucket: bucketName,
                policy: substitutions.apply(scenario.blocks[bucketPolicies[0]].code.literal))
            let identity = try CrossAccountFlow.parse(
                substitutions.apply(scenario.blocks[identities[0]].code.literal))
            try world.setPrincipal(partnerRole, identityPolicies: [identity])
            // An object for the partner to read, written by the owner (when the
            // key policy lets the owner; else the partner reads its own).
            let ownerWrote =
                (try? world.s3.putObject(ownerS3, bucket: bucketName, key: ownerObject, body: Array("o".utf8))) != nil
            return .built(
                GuideWorld(
                    world: world, owner: owner, partnerAccount: partnerAccount, partnerRole: partnerRole,
                    bucket: bucketName, keyARN: key.arn, region: region, ownerWrote: ownerWrote,
                    substitutions: substitutions.used))
        } catch {
            return .incomplete(["policies the engine accepts (\(error.code): \(error.message))"])
        }
    }
}
