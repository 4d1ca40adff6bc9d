import KBDiagnostics

/// Rule ids of the checks in this module. They are a public interface: users
/// filter on them and CI annotations link them, so never rename one.
extension RuleID {
    public static let jsonSyntax = RuleID("json-syntax")
    public static let jsonDuplicateKey = RuleID("json-duplicate-key")
    public static let jsonLimit = RuleID("json-limit")
    public static let jsonUnicode = RuleID("json-unicode")
    public static let frontMatterType = RuleID("front-matter-type")
    public static let guideEmpty = RuleID("guide-empty")
    public static let frontMatterUnknownKey = RuleID("front-matter-unknown-key")
    public static let frontMatterSlug = RuleID("front-matter-slug")
    public static let frontMatterDuplicateID = RuleID("front-matter-duplicate-id")
    public static let frontMatterDuplicateSlug = RuleID("front-matter-duplicate-slug")
    public static let linkBrokenAnchor = RuleID("link-anchor")
    public static let linkBrokenFile = RuleID("link-file")
}
