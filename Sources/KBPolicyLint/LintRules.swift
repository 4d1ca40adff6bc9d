import KBDiagnostics

/// Rule ids of policy checks, in the spirit of IAM Access Analyzer's policy checks
/// (aws-docs/iam/access-analyzer-reference-policy-checks.md). Never rename one.
extension RuleID {
    // Errors
    public static let policyKindUnknown = RuleID("policy-kind-unknown")
    public static let policyPrincipalNotAllowed = RuleID("policy-principal-not-allowed")
    public static let policyMissingPrincipal = RuleID("policy-missing-principal")
    public static let policyMissingResource = RuleID("policy-missing-resource")
    public static let policyResourceNotAllowed = RuleID("policy-resource-not-allowed")
    public static let policyPrincipalFormat = RuleID("policy-principal-format")
    public static let policyUnknownService = RuleID("policy-unknown-service")
    public static let policyUnknownAction = RuleID("policy-unknown-action")
    public static let policyActionFormat = RuleID("policy-action-format")
    public static let policyServiceWildcard = RuleID("policy-service-wildcard")
    public static let policyARNFormat = RuleID("policy-arn-format")
    public static let policyARNService = RuleID("policy-arn-service")
    public static let policyActionResourceMismatch = RuleID("policy-action-resource-mismatch")
    public static let policyConditionOperator = RuleID("policy-condition-operator")
    public static let policyConditionType = RuleID("policy-condition-type")
    public static let policyConditionValue = RuleID("policy-condition-value")
    public static let policyDuplicateSid = RuleID("policy-duplicate-sid")
    public static let policySidFormat = RuleID("policy-sid-format")
    public static let policySize = RuleID("policy-size")
    // Security warnings
    public static let policyAllowNotPrincipal = RuleID("policy-allow-not-principal")
    public static let policyAllowNotAction = RuleID("policy-allow-not-action")
    public static let policyAllowNotResource = RuleID("policy-allow-not-resource")
    public static let policyPublicPrincipal = RuleID("policy-public-principal")
    public static let policyCrossAccountAdmin = RuleID("policy-cross-account-admin")
    public static let policyKMSIneffective = RuleID("policy-kms-cross-account-ineffective")
    public static let policyKeyLockout = RuleID("policy-key-lockout")
    // Warnings and suggestions
    public static let policyVersionOld = RuleID("policy-version-old")
    public static let policyRedundant = RuleID("policy-redundant")
    public static let policyConditionKeyUnknown = RuleID("policy-condition-key-unknown")
    public static let policyConditionKeyUnused = RuleID("policy-condition-key-unused")
    public static let policyForAllValuesSingle = RuleID("policy-set-operator-single-valued")
    public static let policyNullRedundant = RuleID("policy-null-redundant")
    public static let policyWildcardAction = RuleID("policy-wildcard-action")
    // Placeholders
    public static let policyPlaceholder = RuleID("policy-placeholder")
}
