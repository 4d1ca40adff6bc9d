import Foundation
import KBSite
import Testing

/// The built-in theme, folders overriding it, and the template's slot errors.
@Suite struct ThemeTests {
    static let minimal =
        "<html><head><title>{{title}}</title>{{root}}</head><body><main>{{content}}</main>{{live_reload}}</body></html>"

    @Test func theBuiltInThemeHasItsTemplateAndAssets() throws {
        let theme = try Theme.builtIn()
        #expect(
            theme.assets.map(\.path) == [
                "assets/app.js", "assets/favicon.svg", "assets/style.css", "assets/theme-init.js",
            ])
        #expect(theme.overrides.isEmpty)
        #expect(theme.template.fill(["content": "<p>x</p>"]).contains("<p>x</p>"))
    }

    @Test func anOverrideFolderReplacesAndAddsFileByFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kbtheme-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("assets/img"), withIntermediateDirectories: true)
        try Data("a { }".utf8).write(to: folder.appendingPathComponent("assets/style.css"))
        try Data("<svg/>".utf8).write(to: folder.appendingPathComponent("assets/img/logo.svg"))
        try Data("x".utf8).write(to: folder.appendingPathComponent("assets/.hidden"))
        let theme = try Theme.load(overridingWith: folder.path)
        #expect(theme.assets.first { $0.path == "assets/style.css" }?.bytes == Array("a { }".utf8))
        #expect(theme.assets.contains { $0.path == "assets/img/logo.svg" })
        #expect(!theme.assets.contains { $0.path.contains(".hidden") })
        #expect(try theme.assets.first { $0.path == "assets/app.js" }?.bytes == Theme.builtIn().assets[0].bytes)
        #expect(theme.overrides.count == 2)
        #expect(throws: SiteError.self) { try Theme.load(overridingWith: folder.appendingPathComponent("no").path) }
    }

    @Test(arguments: [
        (
            "<html>\n<head><title>{{title}}</title>{{root}}</head>\n<body>\n  <main></main>{{live_reload}}</body></html>",
            "t.html:4:3: the template has no '{{content}}' slot"
        ),
        (
            minimal.replacingOccurrences(of: "{{live_reload}}", with: ""),
            "t.html:1:82: the template has no '{{live_reload}}' slot"
        ),
        ("<html>\r\n<head>\r\n{{titel}}", "t.html:3:1: unknown slot '{{titel}}'"),
        ("<html>\r\n\r\n  {{title", "t.html:3:3: '{{' is never closed"),
    ])
    func templateErrorsAreLocatedAndNameTheSlot(_ text: String, _ message: String) {
        #expect {
            _ = try PageTemplate.parse(text, path: "t.html")
        } throws: { error in
            (error as? SiteError)?.description.hasPrefix(message) == true
        }
        #expect((try? PageTemplate.parse(Self.minimal, path: "t.html")) != nil)
    }
}
