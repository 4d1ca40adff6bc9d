import KBDiagnostics

/// Rules of the analysis of a guide as a whole.
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum AnalysisRules {
    public static let all: [Rule] = [
        .guideBucketSpelling,
        .guideFlow,
        .guideIdentityNotCovered,
        .guideKeyMismatch,
        .guideKindConflict,
        .guideLeastPrivilege,
        .guidePlaceholderSpelling,
        .guidePrincipalMismatch,
    ]
}
