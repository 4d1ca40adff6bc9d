import Foundation
import KBCloud
import KBCrypto
import KBPolicy
import Testing

/// KMS grants, after kms/grants.md, kms/create-grant-overview.md and
/// kms/grant-manage.md. The key in these tests has the default key policy (only
/// account A's IAM policies count), so whatever B can do comes from grants.
struct GrantWorld {
    let env = KMSWorld()
    let key: KeyMetadata
    static let partnerRole = "arn:aws:iam::444455556666:role/ReportWriter"

    init(policy: String? = nil) throws {
        key = try env.createKey(policy: policy)
    }

    var kms: KMS { env.world.kms }
    func origin(_ caller: Caller, tokens: [String] = []) -> KMS.Origin {
        KMS.Origin(caller, region: "us-east-1", grantTokens: tokens)
    }

    func grant(
        to grantee: String = Self.partnerRole, _ operations: [String] = ["Encrypt", "Decrypt"],
        retiring: String? = nil, constraints: GrantConstraints? = nil, as caller: Caller? = nil
    ) throws -> CreatedGrant {
        try kms.createGrant(
            origin(caller ?? env.admin), keyId: key.arn, granteePrincipal: grantee, operations: operations,
            retiringPrincipal: retiring, constraints: constraints
        ).value
    }

    func encrypt(_ caller: Caller, context: EncryptionContext = .init(), tokens: [String] = []) -> String? {
        code {
            _ = try kms.encrypt(origin(caller, tokens: tokens), keyId: key.arn, plaintext: [1, 2, 3], context: context)
        }
    }
}

@Suite struct KMSGrantTests {
    @Test("grants.md: a grant lets its grantee in another account use the key the key policy does not open")
    func aGrantAllowsWhatTheKeyPolicyDoesNot() throws {
        let grants = try GrantWorld()
        #expect(grants.encrypt(grants.env.partner) == "AccessDeniedException")
        let created = try grants.grant()
        #expect(created.grantId.count == 64)
        #expect(!created.grantToken.isEmpty)
        let sealed = try grants.kms.encrypt(
            grants.origin(grants.env.partner), keyId: grants.key.arn, plaintext: Array("hi".utf8))
        let decided = sealed.events.compactMap { event -> Evaluation? in
            if case .authorization(_, "kms:Encrypt", _, let evaluation) = event { return evaluation }
            return nil
        }
        #expect(decided.first?.decidedBy == ["grant \(created.grantId)"])
        #expect(decided.first?.trace.contains { $0.role == .grant && $0.result == "allow" } == true)
        // Operations the grant does not list stay closed.
        #expect(
            code { _ = try grants.kms.describeKey(grants.origin(grants.env.partner), keyId: grants.key.arn) }
                == "AccessDeniedException")
    }

    @Test("grants.md: a grant to an account root needs an IAM policy in that account to reach its users")
    func aGrantToAnAccountDelegatesToItsIAMPolicies() throws {
        let grants = try GrantWorld()
        _ = try grants.grant(to: "arn:aws:iam::444455556666:root")
        // ReportWriter's identity policy allows kms:Encrypt; another role in B has none.
        #expect(grants.encrypt(grants.env.partner) == nil)
        let bare = try Caller("arn:aws:sts::444455556666:assumed-role/Bare/s1")
        try grants.env.world.setPrincipal("arn:aws:iam::444455556666:role/Bare")
        #expect(grants.encrypt(bare) == "AccessDeniedException")
        #expect(grants.encrypt(try Caller("arn:aws:iam::444455556666:root")) == nil)
    }

    @Test("conditions-kms.md: an explicit Deny in the key policy wins over every grant")
    func anExplicitDenyBeatsAGrant() throws {
        let policy = #"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":"kms:Encrypt","Resource":"*"}]}
            """#
        let grants = try GrantWorld(policy: policy)
        _ = try grants.grant()
        #expect(grants.encrypt(grants.env.partner) == "AccessDeniedException")
    }

    @Test("policy-evaluation.md: an SCP that denies the grantee's account still limits a grant")
    func serviceControlPoliciesStillLimitGrants() throws {
        let grants = try GrantWorld()
        _ = try grants.grant()
        grants.env.world.setServiceControlPolicies(
            account: KMSWorld.b,
            levels: [
                [policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)]
            ])
        #expect(grants.encrypt(grants.env.partner) == "AccessDeniedException")
    }

    @Test(
        "create-grant-overview.md: EncryptionContextEquals needs exactly the pairs, EncryptionContextSubset at least them"
    )
    func constraintsOnTheEncryptionContext() throws {
        let equals = try GrantWorld()
        _ = try equals.grant(constraints: GrantConstraints(encryptionContextEquals: ["Department": "IT"]))
        #expect(equals.encrypt(equals.env.partner, context: ["Department": "IT"]) == nil)
        // Keys match without case in a constraint; values do not.
        #expect(equals.encrypt(equals.env.partner, context: ["department": "IT"]) == nil)
        #expect(equals.encrypt(equals.env.partner, context: ["Department": "it"]) == "AccessDeniedException")
        #expect(
            equals.encrypt(equals.env.partner, context: ["Department": "IT", "Purpose": "Test"])
                == "AccessDeniedException")
        #expect(equals.encrypt(equals.env.partner) == "AccessDeniedException")

        let subset = try GrantWorld()
        _ = try subset.grant(constraints: GrantConstraints(encryptionContextSubset: ["Department": "IT"]))
        #expect(subset.encrypt(subset.env.partner, context: ["Department": "IT", "Purpose": "Test"]) == nil)
        #expect(subset.encrypt(subset.env.partner, context: ["Purpose": "Test"]) == "AccessDeniedException")
    }

    @Test("grants.md, 'Grant token': with propagation, only the token makes a new grant usable at once")
    func grantTokensBridgeEventualConsistency() throws {
        let grants = try GrantWorld()
        grants.env.world.setGrantPropagationDelay(300)
        let created = try grants.grant()
        #expect(grants.encrypt(grants.env.partner) == "AccessDeniedException")
        #expect(grants.encrypt(grants.env.partner, tokens: [created.grantToken]) == nil)
        grants.env.world.advance(by: 300)
        #expect(grants.encrypt(grants.env.partner) == nil)
        // A revoked grant lingers for the same window, then ends.
        _ = try grants.kms.revokeGrant(grants.origin(grants.env.admin), keyId: grants.key.arn, grantId: created.grantId)
        #expect(grants.encrypt(grants.env.partner) == nil)
        grants.env.world.advance(by: 300)
        #expect(grants.encrypt(grants.env.partner) == "AccessDeniedException")
    }

    @Test("grant-manage.md: a token KMS never issued is rejected")
    func unknownGrantTokensAreRejected() throws {
        let grants = try GrantWorld()
        #expect(grants.encrypt(grants.env.app, tokens: ["not-a-token"]) == "InvalidGrantTokenException")
        #expect(grants.encrypt(grants.env.app, tokens: Array(repeating: "t", count: 11)) == "ValidationException")
    }

    @Test("grant-manage.md, 'Retiring and revoking grants': who may retire a grant")
    func whoMayRetireAGrant() throws {
        let grants = try GrantWorld()
        let retirer = "arn:aws:iam::111122223333:role/KeyAdmin"
        // The grantee may retire only when the grant allows RetireGrant.
        let plain = try grants.grant(retiring: retirer)
        #expect(
            code {
                _ = try grants.kms.retireGrant(
                    grants.origin(grants.env.partner), keyId: grants.key.arn, grantId: plain.grantId)
            } == "AccessDeniedException")
        // The retiring principal may, by token.
        _ = try grants.kms.retireGrant(grants.origin(grants.env.admin), grantToken: plain.grantToken)
        #expect(grants.encrypt(grants.env.partner) == "AccessDeniedException")

        let selfRetiring = try grants.grant(["Encrypt", "RetireGrant"])
        _ = try grants.kms.retireGrant(
            grants.origin(grants.env.partner), keyId: grants.key.arn, grantId: selfRetiring.grantId)

        // The account that created the grant may, as its root user.
        let third = try grants.grant()
        _ = try grants.kms.retireGrant(
            grants.origin(grants.env.root), keyId: grants.key.arn, grantId: third.grantId)
        #expect(
            code { _ = try grants.kms.retireGrant(grants.origin(grants.env.root), grantToken: third.grantToken) }
                == "InvalidGrantTokenException")
    }

    @Test("grant-manage.md: an IAM Deny on kms:RetireGrant stops even the retiring principal")
    func anIAMDenyStopsRetiring() throws {
        let grants = try GrantWorld()
        try grants.env.world.attach(
            policy(
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:RetireGrant","Resource":"*"}]}"#),
            to: "arn:aws:iam::111122223333:role/App")
        let created = try grants.grant(retiring: "arn:aws:iam::111122223333:role/App")
        #expect(
            code { _ = try grants.kms.retireGrant(grants.origin(grants.env.app), grantToken: created.grantToken) }
                == "AccessDeniedException")
    }

    @Test("create-grant-overview.md, 'Granting CreateGrant permission': a grant delegates only what it holds")
    func createGrantFromAGrantIsLimited() throws {
        let grants = try GrantWorld()
        try grants.env.world.setPrincipal(GrantWorld.partnerRole, identityPolicies: [])
        _ = try grants.grant(
            ["Decrypt", "GenerateDataKey", "CreateGrant"],
            constraints: GrantConstraints(encryptionContextSubset: ["Department": "IT"]))
        let partner = grants.env.partner
        let another = "arn:aws:iam::444455556666:role/Another"
        // More operations than the parent: refused.
        #expect(
            code { _ = try grants.grant(to: another, ["Decrypt", "Encrypt"], as: partner) } == "AccessDeniedException")
        // No constraint, where the parent has one: refused.
        #expect(code { _ = try grants.grant(to: another, ["Decrypt"], as: partner) } == "AccessDeniedException")
        // A subset of operations with a stricter constraint: allowed.
        #expect(
            code {
                _ = try grants.grant(
                    to: another, ["Decrypt"],
                    constraints: GrantConstraints(encryptionContextEquals: ["Department": "IT", "Team": "A"]),
                    as: partner)
            } == nil)
        // The reverse (an exact match turned into a subset) would not be stricter.
        #expect(
            GrantConstraintsProbe.stricter(
                child: GrantConstraints(encryptionContextSubset: ["Department": "IT"]),
                parent: GrantConstraints(encryptionContextEquals: ["Department": "IT"])) == false)
    }

    @Test("key-state.md: CreateGrant fails on a disabled key; RetireGrant and ListGrants still work")
    func keyStatesAndGrants() throws {
        let grants = try GrantWorld()
        let created = try grants.grant()
        _ = try grants.kms.disableKey(grants.origin(grants.env.admin), keyId: grants.key.arn)
        #expect(code { _ = try grants.grant() } == "DisabledException")
        #expect(try grants.kms.listGrants(grants.origin(grants.env.admin), keyId: grants.key.arn).value.count == 1)
        // A grant allows use, but the key state still decides.
        #expect(grants.encrypt(grants.env.partner) == "DisabledException")
        _ = try grants.kms.retireGrant(grants.origin(grants.env.root), keyId: grants.key.arn, grantId: created.grantId)
        #expect(try grants.kms.listGrants(grants.origin(grants.env.admin), keyId: grants.key.arn).value.isEmpty)
    }

    @Test("grant-manage.md, 'Viewing grants': ListGrants and ListRetirableGrants")
    func listingGrants() throws {
        let grants = try GrantWorld()
        let retirer = "arn:aws:iam::111122223333:role/KeyAdmin"
        let created = try grants.grant(
            retiring: retirer, constraints: GrantConstraints(encryptionContextSubset: ["Department": "IT"]))
        let listed = try grants.kms.listGrants(grants.origin(grants.env.admin), keyId: grants.key.keyId).value
        let entry = try #require(listed.first)
        #expect(entry.grantId == created.grantId)
        #expect(entry.keyId == grants.key.arn)
        #expect(entry.granteePrincipal == GrantWorld.partnerRole)
        #expect(entry.retiringPrincipal == retirer)
        #expect(entry.issuingAccount == "arn:aws:iam::111122223333:root")
        #expect(entry.operations == ["Encrypt", "Decrypt"])
        #expect(entry.constraints?.encryptionContextSubset == ["Department": "IT"])
        #expect(
            try grants.kms.listGrants(
                grants.origin(grants.env.admin), keyId: grants.key.keyId, granteePrincipal: "arn:aws:iam::1:root"
            ).value.isEmpty)
        let retirable = try grants.kms.listRetirableGrants(grants.origin(grants.env.admin), retiringPrincipal: retirer)
        #expect(retirable.value.map(\.grantId) == [created.grantId])
    }

    @Test("create-grant-overview.md: a retried CreateGrant with the same name makes no second grant")
    func namedGrantsAreIdempotent() throws {
        let grants = try GrantWorld()
        let first = try grants.kms.createGrant(
            grants.origin(grants.env.admin), keyId: grants.key.arn, granteePrincipal: GrantWorld.partnerRole,
            operations: ["Decrypt"], name: "retry-safe"
        ).value
        let second = try grants.kms.createGrant(
            grants.origin(grants.env.admin), keyId: grants.key.arn, granteePrincipal: GrantWorld.partnerRole,
            operations: ["Decrypt"], name: "retry-safe"
        ).value
        #expect(first.grantId == second.grantId)
        #expect(try grants.kms.listGrants(grants.origin(grants.env.admin), keyId: grants.key.arn).value.count == 1)
    }

    @Test("grants.md: grantees are AWS principals and operations come from the grant operations list")
    func createGrantValidatesItsInput() throws {
        let grants = try GrantWorld()
        #expect(code { _ = try grants.grant(to: "s3.amazonaws.com") } == "ValidationException")
        #expect(code { _ = try grants.grant(["ScheduleKeyDeletion"]) } == "ValidationException")
        #expect(code { _ = try grants.grant(["Sign"]) } == "ValidationException")
        #expect(code { _ = try grants.grant([]) } == "ValidationException")
        #expect(
            code {
                _ = try grants.kms.revokeGrant(grants.origin(grants.env.admin), keyId: grants.key.arn, grantId: "abc")
            } == "InvalidGrantIdException")
        #expect(
            code {
                _ = try grants.kms.revokeGrant(
                    grants.origin(grants.env.admin), keyId: grants.key.arn,
                    grantId: String(repeating: "a", count: 64))
            } == "NotFoundException")
        let tooMany = GrantConstraints(
            encryptionContextSubset: Dictionary(uniqueKeysWithValues: (0..<9).map { ("k\($0)", "v") }))
        #expect(code { _ = try grants.grant(constraints: tooMany) } == "ValidationException")
    }

    @Test("key-policy-modifying-external-accounts.md: kms:GrantIsForAWSResource opens CreateGrant to services only")
    func grantIsForAWSResource() throws {
        let policy = #"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdmin"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:CreateGrant","Resource":"*",
               "Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}]}
            """#
        let grants = try GrantWorld(policy: policy)
        try grants.env.world.setPrincipal(
            GrantWorld.partnerRole,
            identityPolicies: [
                KBCloudTests.policy(
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:CreateGrant","Resource":"*"}]}"#
                )
            ])
        let direct = grants.env.partner
        #expect(
            code { _ = try grants.grant(to: GrantWorld.partnerRole, ["Decrypt"], as: direct) }
                == "AccessDeniedException")
        let viaEBS = KMS.Origin(direct, region: "us-east-1", viaService: "ec2.us-east-1.amazonaws.com")
        #expect(
            code {
                _ = try grants.kms.createGrant(
                    viaEBS, keyId: grants.key.arn, granteePrincipal: GrantWorld.partnerRole, operations: ["Decrypt"])
            } == nil)
    }

    @Test("services-s3.md: S3 uses a grant the caller holds when it calls KMS for them")
    func s3CallsUseTheCallersGrants() throws {
        let env = try CrossAccountWorld(
            keyPolicy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#
        )
        #expect(serviceError { _ = try env.put() }?.code == "AccessDenied")
        _ = try env.world.kms.createGrant(
            .init(env.owner, region: "us-east-1"), keyId: env.keyARN,
            granteePrincipal: "arn:aws:iam::444455556666:role/ReportWriter",
            operations: ["GenerateDataKey", "Decrypt"],
            constraints: GrantConstraints(
                encryptionContextSubset: ["aws:s3:arn": "arn:aws:s3:::example-partner-reports/2026/report.csv"]))
        _ = try env.put()
        #expect(serviceError { _ = try env.put("2026/other.csv") }?.code == "AccessDenied")
    }
}

/// Reaches the strictness rule through CreateGrant, as a user would.
enum GrantConstraintsProbe {
    static func stricter(child: GrantConstraints, parent: GrantConstraints) -> Bool {
        let grants = try! GrantWorld()
        try! grants.env.world.setPrincipal(GrantWorld.partnerRole, identityPolicies: [])
        _ = try! grants.grant(["Decrypt", "CreateGrant"], constraints: parent)
        return code {
            _ = try grants.grant(
                to: "arn:aws:iam::444455556666:role/Another", ["Decrypt"], constraints: child, as: grants.env.partner)
        } == nil
    }
}
