import KBPolicy

/// Resource policies of services whose policies kbtool does not model (an SNS
/// topic's, an SQS queue's, a Lambda function's): told by their structure, a
/// Principal with every action of one such service, so they are not checked as
/// wrong bucket policies.
public enum ServicePolicy {
    /// Services whose policies kbtool checks as policy kinds of its own.
    static let modelled: Set<String> = ["s3", "s3-outposts", "s3express", "s3-object-lambda", "kms", "sts", "iam"]

    static let names: [String: String] = [
        "sns": "SNS topic policy", "sqs": "SQS queue policy", "lambda": "Lambda function policy",
        "events": "EventBridge event bus policy", "logs": "CloudWatch Logs resource policy",
        "secretsmanager": "Secrets Manager secret policy", "ecr": "ECR repository policy",
        "glacier": "S3 Glacier vault policy", "es": "OpenSearch domain policy",
    ]

    /// The policy's name when it is another service's resource policy.
    public static func name(of document: PolicyDocument) -> String? {
        guard document.statements.contains(where: { $0.principal != nil }) else { return nil }
        var services: [String: Int] = [:]
        for statement in document.statements {
            guard let actions = statement.actions, !actions.negated else { return nil }
            for action in actions.values {
                guard let colon = action.value.firstIndex(of: ":") else { return nil }
                let service = action.value[..<colon].lowercased()
                guard !modelled.contains(service), !service.contains("*") else { return nil }
                services[service, default: 0] += 1
            }
        }
        guard let (service, _) = services.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })
        else { return nil }
        return names[service] ?? "\(service) resource policy"
    }
}
