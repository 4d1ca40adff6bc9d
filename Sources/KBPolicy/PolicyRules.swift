import KBDiagnostics

/// Rule ids of policy findings. Public interface: never rename one.
extension RuleID {
    // Grammar (PolicyParser)
    public static let policyShape = RuleID("policy-shape")
    public static let policyUnknownElement = RuleID("policy-unknown-element")
    public static let policyVersion = RuleID("policy-version")
    public static let policyVersionMissing = RuleID("policy-version-missing")
    public static let policyEffect = RuleID("policy-effect")
    public static let policyMissingElement = RuleID("policy-missing-element")
    public static let policyConflictingElements = RuleID("policy-conflicting-elements")
}
