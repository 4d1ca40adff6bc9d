import KBDiagnostics
import KBPolicy
import Testing

/// Properties of the evaluation logic, checked over every table case.
@Suite struct EvaluationPropertyTests {
    static func decision(_ request: EvaluationRequest, _ policies: PolicySet) -> Decision? {
        try? PolicyEvaluator().evaluate(request, policies: policies).decision
    }

    static func statement(
        _ effect: Effect, actions: [String], resources: [String]?, principal: Bool, conditions: [Condition] = []
    )
        -> Statement
    {
        Statement(
            effect: Located(effect, 0..<0),
            principal: principal
                ? PrincipalElement(negated: false, entries: [PrincipalEntry(.any, Located("*", 0..<0))]) : nil,
            actions: ListElement(negated: false, values: actions.map { Located($0, 0..<0) }),
            resources: resources.map { ListElement(negated: false, values: $0.map { Located($0, 0..<0) }) },
            conditions: conditions)
    }

    /// Deny statements of several shapes, built for one request.
    static func denials(for request: EvaluationRequest, principal: Bool) -> [Statement] {
        let secure = Condition(
            operatorName: Located("Bool", 0..<0), op: ConditionOperator("Bool"),
            key: Located("aws:SecureTransport", 0..<0),
            values: [Located("false", 0..<0)])
        return [
            statement(.deny, actions: ["*"], resources: ["*"], principal: principal),
            statement(.deny, actions: [request.action], resources: [request.resource], principal: principal),
            statement(.deny, actions: ["s3:*", "kms:*"], resources: ["*"], principal: principal),
            statement(.deny, actions: ["*"], resources: ["*"], principal: principal, conditions: [secure]),
            statement(.deny, actions: ["ec2:RunInstances"], resources: ["*"], principal: principal),
        ]
    }

    static func adding(_ statement: Statement, to document: PolicyDocument) -> PolicyDocument {
        var document = document
        var statement = statement
        statement.index = document.statements.count
        document.statements.append(statement)
        return document
    }

    @Test(arguments: EvaluationCase.all)
    func addingADenyNeverGrants(_ testCase: EvaluationCase) throws {
        let parsed = try SimulationCase.parse(testCase.simulation, locate: .init(EvaluationCase.sourceText))
        let (request, policies) = (parsed.request, parsed.policies)
        guard let before = Self.decision(request, policies) else { return }
        var variants: [PolicySet] = []
        for deny in Self.denials(for: request, principal: false) {
            var withIdentity = policies
            withIdentity.identityPolicies.append(PolicyDocument(statements: [deny]))
            variants.append(withIdentity)
            var withBoundary = policies
            withBoundary.permissionsBoundaries = withBoundary.permissionsBoundaries.map { Self.adding(deny, to: $0) }
            variants.append(withBoundary)
            var withSCP = policies
            withSCP.serviceControlPolicies = withSCP.serviceControlPolicies.map { $0.map { Self.adding(deny, to: $0) } }
            variants.append(withSCP)
        }
        for deny in Self.denials(for: request, principal: true) {
            var withResource = policies
            withResource.resourcePolicy = Self.adding(
                deny, to: withResource.resourcePolicy ?? PolicyDocument(statements: []))
            variants.append(withResource)
        }
        for variant in variants {
            let after = Self.decision(request, variant)
            if before != .allowed { #expect(after != .allowed, "a Deny turned \(before) into Allowed") }
            if before == .explicitlyDenied { #expect(after == .explicitlyDenied) }
        }
    }

    @Test(arguments: EvaluationCase.all)
    func removingAnAllowNeverGrantsMore(_ testCase: EvaluationCase) throws {
        let parsed = try SimulationCase.parse(testCase.simulation, locate: .init(EvaluationCase.sourceText))
        let (request, policies) = (parsed.request, parsed.policies)
        guard let before = Self.decision(request, policies), before != .allowed else { return }
        func withoutAllow(_ document: PolicyDocument) -> [PolicyDocument] {
            document.statements.indices.filter { document.statements[$0].effect.value == .allow }.map { index in
                var copy = document
                copy.statements.remove(at: index)
                return copy
            }
        }
        var variants: [PolicySet] = []
        for (index, document) in policies.identityPolicies.enumerated() {
            for reduced in withoutAllow(document) {
                var copy = policies
                copy.identityPolicies[index] = reduced
                variants.append(copy)
            }
        }
        if let resource = policies.resourcePolicy {
            for reduced in withoutAllow(resource) {
                var copy = policies
                copy.resourcePolicy = reduced
                variants.append(copy)
            }
        }
        for variant in variants { #expect(Self.decision(request, variant) != .allowed) }
    }

    @Test(arguments: EvaluationCase.all)
    func orderOfStatementsAndPoliciesDoesNotMatter(_ testCase: EvaluationCase) throws {
        let parsed = try SimulationCase.parse(testCase.simulation, locate: .init(EvaluationCase.sourceText))
        let (request, policies) = (parsed.request, parsed.policies)
        func reversed(_ document: PolicyDocument) -> PolicyDocument {
            var copy = document
            copy.statements.reverse()
            return copy
        }
        var shuffled = policies
        shuffled.identityPolicies = policies.identityPolicies.reversed().map(reversed)
        shuffled.resourcePolicy = policies.resourcePolicy.map(reversed)
        shuffled.permissionsBoundaries = policies.permissionsBoundaries.reversed().map(reversed)
        shuffled.sessionPolicy = policies.sessionPolicy.map(reversed)
        shuffled.serviceControlPolicies = policies.serviceControlPolicies.map { $0.reversed().map(reversed) }
        shuffled.resourceControlPolicies = policies.resourceControlPolicies.map { $0.reversed().map(reversed) }
        #expect(Self.decision(request, shuffled) == Self.decision(request, policies))
    }
}
