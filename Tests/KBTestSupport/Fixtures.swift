import Foundation

/// Where the repository's test inputs are, found from this file rather than
/// from the working folder, so a test runs the same from any directory.
public enum Fixtures {
    /// The package's root folder.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The site theme the repository ships (page.html and assets/).
    public static let theme = packageRoot.appendingPathComponent("site/theme")

    /// The knowledge base the repository ships.
    public static let content = packageRoot.appendingPathComponent("content")

    /// The guide folders of `verify`'s fixture tests, with their expected findings.
    public static let checks = packageRoot.appendingPathComponent("Tests/KBChecksTests/Fixtures")

    /// The guide that tries every way a guide can attack its reader's browser.
    public static let hostile = packageRoot.appendingPathComponent("Tests/Browser/hostile")
}
