import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyCreateSLRBroad = Rule(
        "policy-create-slr-broad", .warning,
        summary: "An Allow grants `iam:CreateServiceLinkedRole` on every role without `iam:AWSServiceName`.",
        why:
            "The caller can create a service-linked role for any service, with the permissions AWS gives that service.",
        fix: "Name the service-linked role ARNs, or add a condition on `iam:AWSServiceName`.",
        example:
            "iam:CreateServiceLinkedRole on every resource: it lets the caller create a service-linked role for any service"
    )

    public static let policyPassRoleBroad = Rule(
        "policy-pass-role-broad", .warning,
        summary:
            "An Allow grants `iam:PassRole` (by name, wildcard or NotAction) on every role (`*`, `role/*`, NotResource) without `iam:PassedToService`.",
        why:
            "Passing a role hands its permissions to a service the caller controls: passing any role to any service is a path to any permission.",
        fix: "Name the roles in `Resource`, or add a condition on `iam:PassedToService` naming the service.",
        example: "iam:PassRole on every resource: it lets the caller hand any role, and its permissions, to any service"
    )
}

extension PolicyLinter {
    /// Two grants Access Analyzer watches for: `iam:PassRole`, which lets a service
    /// act with a role's permissions, and `iam:CreateServiceLinkedRole`. Allowed on
    /// every role (`*`, `role/*`, NotResource) without the condition key that names
    /// the service, either hands out more than it seems.
    mutating func checkPrivileges(_ statement: Statement, actions: [ResolvedAction]?) {
        guard statement.effect.value == .allow, let element = statement.actions else { return }
        let grants: [(action: String, key: String, rule: Rule, probe: String, why: String)] = [
            (
                "iam:PassRole", "iam:passedtoservice", .policyPassRoleBroad,
                "arn:aws:iam::111122223333:role/kbtool-probe-any-role",
                "it lets the caller hand any role, and its permissions, to any service"
            ),
            (
                "iam:CreateServiceLinkedRole", "iam:awsservicename", .policyCreateSLRBroad,
                "arn:aws:iam::111122223333:role/aws-service-role/kbtool-probe.amazonaws.com/AWSServiceRoleForProbe",
                "it lets the caller create a service-linked role for any service"
            ),
        ]
        let keys = Set(statement.conditions.filter { $0.op?.base.isNegated == false }.map { $0.key.value.lowercased() })
        for grant in grants where !keys.contains(grant.key) {
            // Which element grants the action: a value naming it, or NotAction not excluding it.
            let granting: Range<Int>?
            let how: String
            if element.negated {
                let excluded = element.values.contains {
                    Wildcard.matchesBytes($0.value, grant.action, ignoringASCIICase: true)
                }
                granting = excluded ? nil : element.keyRange
                how = "NotAction grants \(grant.action)"
            } else {
                let value = element.values.first {
                    Wildcard.matchesBytes($0.value, grant.action, ignoringASCIICase: true)
                }
                granting = value?.range
                how =
                    value.map {
                        $0.value.lowercased() == grant.action.lowercased()
                            ? grant.action : "'\($0.value)' includes \(grant.action)"
                    } ?? ""
            }
            guard let granting, let resources = statement.resources else { continue }
            let broad: String?
            if resources.negated {
                broad = "with NotResource"
            } else if let any = resources.values.first(where: { Wildcard.matchesBytes($0.value, grant.probe) }) {
                broad = any.value == "*" ? "on every resource" : "on '\(any.value)', which matches every role"
            } else {
                broad = nil
            }
            guard let broad else { continue }
            report(
                .warning, grant.rule, "\(how) \(broad): \(grant.why)", at: granting,
                notes: [
                    "name the roles in Resource, or add a condition on \(grant.key == "iam:passedtoservice" ? "iam:PassedToService" : "iam:AWSServiceName")"
                ])
        }
    }
}
