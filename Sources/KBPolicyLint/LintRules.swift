import KBDiagnostics

/// Rules of the policy checks, in the spirit of IAM Access Analyzer's policy checks
/// (aws-docs/iam/access-analyzer-reference-policy-checks.md).
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum PolicyLintRules {
    public static let all: [Rule] = [
        .policyActionFormat,
        .policyActionResourceMismatch,
        .policyAllowNotAction,
        .policyAllowNotPrincipal,
        .policyAllowNotResource,
        .policyARNFormat,
        .policyARNService,
        .policyConditionKeyUnknown,
        .policyConditionKeyUnused,
        .policyConditionOperator,
        .policyConditionType,
        .policyConditionValue,
        .policyCrossAccountAdmin,
        .policyDuplicateSid,
        .policyKeyLockout,
        .policyKMSIneffective,
        .policyMissingPrincipal,
        .policyMissingResource,
        .policyNullRedundant,
        .policyPlaceholder,
        .policyPrincipalFormat,
        .policyPrincipalNotAllowed,
        .policyPublicPrincipal,
        .policyRedundant,
        .policyResourceNotAllowed,
        .policyServiceWildcard,
        .policyForAllValuesSingle,
        .policySidFormat,
        .policySize,
        .policyUnknownAction,
        .policyUnknownService,
        .policyVersionMissing,
        .policyVersionOld,
        .policyWildcardAction,
    ]
}
