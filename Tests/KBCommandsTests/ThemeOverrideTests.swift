import Foundation
import KBTestSupport
import Testing

/// `--theme DIR` and `theme:` in kbtool.yml override the built-in theme file by file.
@Suite struct ThemeOverrideTests {
    static let guide = "# Guide\n\nSome text.\n"

    static func builtIn(_ asset: String) throws -> Data {
        try Data(contentsOf: EndToEndTests.packageRoot.appendingPathComponent("site/theme/\(asset)"))
    }

    @Test func anOverrideFolderReplacesOnlyTheFilesItHas() throws {
        let repository = try CIFormatTests().folder([
            "content/guide.md": Self.guide,
            "brand/assets/style.css": "body { color: rebeccapurple; }\n",
            "brand/assets/logo.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        ]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["build", "content", "--theme", "brand"], in: repository)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let site = repository.appendingPathComponent("site/public")
        #expect(
            try String(contentsOf: site.appendingPathComponent("assets/style.css"), encoding: .utf8)
                == "body { color: rebeccapurple; }\n")
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("assets/logo.svg").path))
        // Everything else is the built-in theme's.
        #expect(try Data(contentsOf: site.appendingPathComponent("assets/app.js")) == Self.builtIn("assets/app.js"))
        let page = try String(contentsOf: site.appendingPathComponent("guide/index.html"), encoding: .utf8)
        #expect(page.contains("<a class=\"skip-link\" href=\"#content\">"))
    }

    @Test func kbtoolYmlNamesTheThemeRelativeToItselfAndAPageTemplateReplacesTheBuiltInOne() throws {
        let template = try String(
            contentsOf: EndToEndTests.packageRoot.appendingPathComponent("site/theme/page.html"), encoding: .utf8
        )
        .replacingOccurrences(of: "<body>", with: "<body class=\"acme\">")
        let repository = try CIFormatTests().folder([
            "kbtool.yml": "paths: [docs]\ntheme: look\n", "docs/guide.md": Self.guide, "look/page.html": template,
        ]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["build"], in: repository)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let page = try String(
            contentsOf: repository.appendingPathComponent("site/public/guide/index.html"), encoding: .utf8)
        #expect(page.contains("<body class=\"acme\">"))
        #expect(
            try Data(contentsOf: repository.appendingPathComponent("site/public/assets/style.css"))
                == Self.builtIn("assets/style.css"))
    }

    @Test func aTemplateWithoutAContentSlotIsALocatedErrorNamingIt() throws {
        let repository = try CIFormatTests().folder([
            "content/guide.md": Self.guide,
            "look/page.html":
                "<!DOCTYPE html>\n<html>\n<head><title>{{title}}</title><link href=\"{{root}}x.css\"></head>\n<body>\n  <main></main>\n{{live_reload}}\n</body>\n</html>\n",
        ]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["build", "content", "--theme", "look"], in: repository)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "look/page.html:5:3: the template has no '{{content}}' slot, which kbtool needs"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repository.appendingPathComponent("site/public").path))
    }

    @Test func aMissingThemeFolderIsAnErrorAtItsLineInKbtoolYml() throws {
        let repository = try CIFormatTests().folder([
            "kbtool.yml": "site:\n  title: Docs\ntheme: no-such-theme\n", "content/guide.md": Self.guide,
        ]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["build", "content"], in: repository)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("kbtool.yml:3:8: the theme folder 'no-such-theme' does not exist"),
            "\(result.stderr)")
        let option = try EndToEndTests.run(["build", "content", "--theme", "elsewhere"], in: repository)
        #expect(option.status == 2)
        #expect(option.stderr.contains("no theme folder at elsewhere"), "\(option.stderr)")
    }

    @Test func withoutAnOverrideTheSiteUsesTheBuiltInTheme() throws {
        // The working directory has no site/theme: nothing is read from disk.
        let repository = try CIFormatTests().folder(["content/guide.md": Self.guide]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["build"], in: repository)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for asset in ["assets/style.css", "assets/app.js", "assets/theme-init.js", "assets/favicon.svg"] {
            #expect(
                try Data(contentsOf: repository.appendingPathComponent("site/public/\(asset)")) == Self.builtIn(asset))
        }
    }
}
