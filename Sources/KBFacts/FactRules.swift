import KBDiagnostics

/// Rules of the facts and prose checks, and of the claims files.
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum FactRules {
    public static let all: [Rule] = [
        .factFalse,
        .factOutdated,
        .factUnknownClaim,
        .factUnverified,
        .factsFile,
        .proseDeprecatedTerm,
    ]
}
