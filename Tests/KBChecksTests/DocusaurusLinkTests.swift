import Foundation
import KBChecks
import KBDiagnostics
import KBTestSupport
import Testing

/// Links without `.md` are URLs in a Docusaurus site: resolved against the
/// page's route, not the file's folder.
@Suite struct DocusaurusLinkTests {
    static func linkFindings(_ files: [String: String], verify path: String = "site/docs") throws -> [String] {
        let folder = try TemporaryFolder("kbtool-docusaurus", files: files)
        defer { folder.remove() }
        let inputs = try InputCollector.collect([folder.url.appendingPathComponent(path).path])
        let report = try Verifier().verify(inputs)
        return report.diagnostics.filter { $0.rule == Rule.linkBrokenFile.id }.map(\.message)
    }

    static let config =
        "module.exports = {\n  trailingSlash: false,\n  presets: [['classic', {docs: {routeBasePath: \"/\"}}]],\n};\n"

    @Test(
        "a link without .md resolves against the page's URL, slugs and index pages included; a wrong one is still reported"
    )
    func routes() throws {
        let found = try Self.linkFindings([
            "site/docusaurus.config.js": Self.config,
            // The page /account: its links resolve from / (trailingSlash false).
            "site/docs/account/index.md":
                "# Account\n\n[Team](account/my-org/team) [Deep](account/my-org/team/../team) [Gone](account/my-org/nobody)\n",
            "site/docs/account/my-org/team.md": "# Team\n",
            // A section folder named build is content, not a build output.
            "site/docs/build/_category_.json": "{\"label\": \"Build\"}",
            "site/docs/build/ios.md": "---\nslug: /guides/ios-builds\n---\n# iOS\n",
            "site/docs/notes.md": "# Notes\n\n[iOS](guides/ios-builds) [iOS again](../guides/ios-builds)\n",
        ])
        #expect(found == ["link target 'account/my-org/nobody' does not exist"])
    }

    @Test("with trailingSlash true a page's URL is a folder; the default routeBasePath is /docs")
    func settings() throws {
        let config =
            "module.exports = {trailingSlash: true, presets: [['classic', {docs: {routeBasePath: 'guides/'}}]]};"
        let found = try Self.linkFindings([
            "site/docusaurus.config.js": config,
            "site/docs/a.md": "# A\n\n[B](b) [C](../c)\n",
            "site/docs/a/b.md": "# B\n",
            "site/docs/c.md": "# C\n",
        ])
        // From /guides/a/: b is /guides/a/b, ../c is /guides/c.
        #expect(found.isEmpty)
    }
}
