/// Refusals that come from the service itself, before any policy is read: what no
/// policy can allow, whoever asks (semantics.md §1.1: nothing grants it). `simulate`
/// runs this step first and reports `decidedBy: ["service"]` with the error AWS returns.
public enum ServiceGuardrails {
    /// The error a service returns for a request it refuses outright.
    public struct Refusal: Sendable, Codable, Hashable {
        public var code: String
        public var message: String
    }

    /// IAM actions that change a managed policy: AWS managed policies belong to AWS
    /// (account `aws`) and no customer policy can allow changing them.
    static let policyChanges: Set<String> = [
        "iam:createpolicyversion", "iam:deletepolicyversion", "iam:setdefaultpolicyversion", "iam:deletepolicy",
        "iam:tagpolicy", "iam:untagpolicy",
    ]

    /// IAM actions that change a role: IAM Identity Center's roles (path
    /// `/aws-reserved/sso.amazonaws.com/`) are changed only by Identity Center.
    static let roleChanges: Set<String> = [
        "iam:deleterole", "iam:updaterole", "iam:updateroledescription", "iam:updateassumerolepolicy",
        "iam:putrolepolicy", "iam:deleterolepolicy", "iam:attachrolepolicy", "iam:detachrolepolicy",
        "iam:putrolepermissionsboundary", "iam:deleterolepermissionsboundary", "iam:tagrole", "iam:untagrole",
    ]

    /// The refusal for a request, or nil when the service leaves it to the policies.
    public static func check(_ request: EvaluationRequest) -> Refusal? {
        let action = request.action.lowercased()
        guard let arn = ARN(request.resource) else { return nil }
        if policyChanges.contains(action), arn.service == "iam", arn.account == "aws",
            arn.resource.hasPrefix("policy/")
        {
            return Refusal(
                code: "AccessDenied",
                message:
                    "User: \(request.principal.text) is not authorized to perform: \(request.action) on resource: policy \(request.resource)"
            )
        }
        if roleChanges.contains(action), arn.service == "iam",
            arn.resource.hasPrefix("role/aws-reserved/sso.amazonaws.com/")
        {
            let name = arn.resource.split(separator: "/").last.map(String.init) ?? arn.resource
            return Refusal(
                code: "UnmodifiableEntity",
                message:
                    "Cannot perform the operation on the protected role '\(name)' - this role is only modifiable by AWS"
            )
        }
        if action == "kms:createalias", arn.service == "kms", arn.resource.hasPrefix("alias/aws/") {
            return Refusal(code: "NotAuthorizedException", message: "Cannot create alias with prefix 'alias/aws/'")
        }
        return nil
    }
}
