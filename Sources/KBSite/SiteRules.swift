import KBDiagnostics

/// Rules of the site builder.
/// The module's one registration list: a rule declared beside its check is
/// added here once, and the tool's registry assembles every module's list.
public enum SiteRules {
    public static let all: [Rule] = [
        .sitePath, .siteCategory, .siteCategoryOrder,
    ]
}
