import KBDiagnostics

/// Rules of the guide parser: encoding, markdown structure and front matter syntax.
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum GuideRules {
    public static let all: [Rule] = [
        .frontMatterYAML,
        .frontMatterUnclosed,
        .frontMatterLimit,
        .encoding,
        .markdownUnclosedFence,
        .markdownNesting,
    ]
}
