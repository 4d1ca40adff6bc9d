import KBDiagnostics

/// Rules of the checks `verify` runs itself: JSON syntax, front matter fields,
/// links, files and `kbtool.yml`.
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum CheckRules {
    public static let all: [Rule] = [
        .jsonSyntax,
        .jsonDuplicateKey,
        .jsonLimit,
        .jsonUnicode,
        .frontMatterType,
        .frontMatterUnknownKey,
        .frontMatterSlug,
        .frontMatterDuplicateID,
        .frontMatterDuplicateSlug,
        .linkBrokenAnchor,
        .linkBrokenFile,
        .fileTooLarge,
        .guideEmpty,
        .fileUnreadable,
        .policyKindUnknown,
        .configuration,
        .baselineStale,
        .claimProbe,
        .mdxUnknownComponent,
    ]
}
