import KBDiagnostics

/// Rules of the transcript runner.
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum TranscriptRules {
    public static let all: [Rule] = [
        .transcriptOutput,
        .transcriptFailed,
        .transcriptCommand,
        .transcriptNotRun,
        .transcriptSetup,
    ]
}
