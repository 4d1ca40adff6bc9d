import KBDiagnostics

/// Rules of the policy grammar (PolicyParser).
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum PolicyGrammarRules {
    public static let all: [Rule] = [
        .policyConflictingElements,
        .policyEffect,
        .policyMissingElement,
        .policyShape,
        .policyUnknownElement,
        .policyVersion,
    ]
}
