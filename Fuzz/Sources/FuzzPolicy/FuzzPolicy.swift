// libFuzzer target: the IAM policy grammar, the evaluator and the linter.
//
// The input is JSON. A `kbtool simulate` case (an object with "request") is read
// and decided as is. Anything else is read as one policy, linted as every kind
// of policy, and evaluated as an identity policy, a bucket policy and a key
// policy for a few fixed requests and for requests built from the policy itself
// (its own actions, resources, principals and condition values), so the
// matchers and condition operators meet the strings the fuzzer wrote.
import KBDiagnostics
import KBJSON
import KBPolicy
import KBPolicyLint

/// One input; libFuzzer ignores the result.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    let source = SourceText(path: "fuzz.json", text: text)
    let locate = SourceLocator(source)
    guard let value = JSONParser.parse(text, options: .json5).value else { return 0 }

    if value["request"] != nil {
        if let simulation = try? SimulationCase.parse(value, locate: locate) {
            _ = try? PolicyEvaluator().evaluate(simulation.request, policies: simulation.policies)
            _ = try? PolicyEvaluator().evaluate(simulation.request, policies: simulation.policies, traced: false)
        }
        return 0
    }

    let parsed = PolicyParser.parse(value, locate: locate)
    let document = parsed.document
    for kind in PolicyKind.allCases {
        var linter = PolicyLinter(.init(document: document, kind: kind, text: text, locate: locate))
        _ = linter.lint()
    }
    _ = PolicyKind.infer(document)

    let evaluator = PolicyEvaluator()
    for request in requests(for: document) {
        let sets = [
            PolicySet(identityPolicies: [document]),
            PolicySet(identityPolicies: [allowAll], resourcePolicy: document),
            PolicySet(
                identityPolicies: [document], resourcePolicy: document, permissionsBoundaries: [document],
                sessionPolicy: document, serviceControlPolicies: [[document]], resourceControlPolicies: [[document]]),
        ]
        for policies in sets {
            _ = try? evaluator.evaluate(request, policies: policies)
        }
    }
    return 0
}

let owner = "111122223333"
let partner = "444455556666"
let bucketObject = "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"
let key = "arn:aws:kms:us-east-1:\(owner):key/1234abcd-12ab-34cd-56ef-1234567890ab"

let allowAll: PolicyDocument = {
    let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
    let value = JSONParser.parse(text).value!
    return PolicyParser.parse(value, locate: SourceLocator(SourceText(path: "allow.json", text: text))).document
}()

/// A handful of requests: fixed ones, and ones made of the policy's own strings.
func requests(for document: PolicyDocument) -> [EvaluationRequest] {
    let reader = RequestPrincipal("arn:aws:iam::\(partner):role/Reader")!
    let session = RequestPrincipal("arn:aws:sts::\(owner):assumed-role/Writer/session")!
    var result = [
        EvaluationRequest(principal: reader, action: "s3:GetObject", resource: bucketObject, resourceAccount: owner),
        EvaluationRequest(principal: session, action: "kms:Decrypt", resource: key),
    ]
    // The context: every condition key the policy names, with the values it
    // compares against (and an extra one), so conditions are actually decided.
    var context = RequestContext()
    var principals: [RequestPrincipal] = [reader]
    var actions: [String] = []
    var resources: [String] = []
    for statement in document.statements.prefix(8) {
        for condition in statement.conditions {
            context[condition.key.value] = condition.values.map(\.value) + ["x"]
        }
        actions += statement.actions?.values.prefix(2).map(\.value) ?? []
        resources += statement.resources?.values.prefix(2).map(\.value) ?? []
        for entry in statement.principal?.entries.prefix(2) ?? [] {
            if let principal = RequestPrincipal(entry.value.value) { principals.append(principal) }
        }
    }
    for (index, action) in actions.prefix(4).enumerated() {
        let resource = resources.isEmpty ? bucketObject : resources[index % resources.count]
        let principal = principals[index % principals.count]
        result.append(
            EvaluationRequest(
                principal: principal, action: action, resource: resource, resourceAccount: owner, context: context))
    }
    return result
}
