import Foundation
import KBChecks
import KBTestSupport
import Testing

@testable import KBSite

@Suite struct SitePathTests {
    @Test(arguments: [
        ("/", "index.html"),
        ("/guide", "guide/index.html"),
        ("/kms/setup", "kms/setup/index.html"),
        ("//double//slash/", "double/slash/index.html"),
    ])
    func routesBecomeFoldersOfTheSite(route: String, path: String) throws {
        #expect(try SitePaths.outputPath(forRoute: route).get() == path)
    }

    @Test(arguments: ["/../escape", "/a/../../b", "/./x", "/a\\b", "/C:/x", "/a\u{1}b"])
    func routesThatClimbOutAreRefused(route: String) {
        #expect((try? SitePaths.outputPath(forRoute: route).get()) == nil, "\(route)")
    }

    @Test func aSlugThatClimbsOutIsAnErrorAtItsLineAndThePageStaysInside() throws {
        let site = try SiteFixture([
            "evil.md": "---\ntitle: Evil\nslug: ../../../../tmp/pwned\n---\n\nText.\n",
            "fine.md": "---\ntitle: Fine\n---\n\nText.\n",
        ])
        defer { site.remove() }
        #expect(site.diagnostics.contains { $0.hasPrefix("3: site-path: ") && $0.contains("'..'") })
        #expect(site.files["evil/index.html"] != nil)
        #expect(site.files.keys.allSatisfy { SitePaths.isContained($0) })
    }

    @Test func twoPagesOnOneRouteAreReportedAndTheFirstKept() throws {
        let site = try SiteFixture([
            "a.md": "---\ntitle: A\nslug: /same\n---\n\nA.\n",
            "b.md": "---\ntitle: B\nslug: /same\n---\n\nB.\n",
        ])
        defer { site.remove() }
        #expect(site.diagnostics.count == 1)
        #expect(site.diagnostics.first?.contains("would overwrite") == true)
        #expect(site.page("same/index.html").contains("<h1>A</h1>"))
    }

    // MARK: - Writing

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kbwrite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func outputFoldersThatWouldLoseFilesAreRefused() throws {
        let base = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let content = base.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        let cwd = base.path
        for out in ["/", NSHomeDirectory(), content.path, base.path, content.appendingPathComponent("site").path] {
            #expect(throws: SiteError.self, "\(out)") {
                try SiteWriter.checkOutput(out, contentFolders: [content.path], workingDirectory: cwd)
            }
        }
        // A folder with someone's files and no marker is not replaced.
        let notes = base.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: notes.appendingPathComponent("todo.txt"))
        #expect(throws: SiteError.self) {
            try SiteWriter.checkOutput(notes.path, contentFolders: [content.path], workingDirectory: cwd)
        }
        // A new folder, or one kbtool made, is fine.
        try SiteWriter.checkOutput(
            base.appendingPathComponent("public").path, contentFolders: [content.path], workingDirectory: cwd)
    }

    @Test func aFailedWriteLeavesThePreviousSiteWhole() throws {
        let base = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let out = base.appendingPathComponent("public").path
        try SiteWriter.write([("index.html", Array("old".utf8)), ("a/index.html", Array("old a".utf8))], to: out)
        #expect(throws: SiteError.self) {
            try SiteWriter.write([("index.html", Array("new".utf8)), ("../escape.html", Array("x".utf8))], to: out)
        }
        #expect(try String(contentsOfFile: out + "/index.html", encoding: .utf8) == "old")
        #expect(try String(contentsOfFile: out + "/a/index.html", encoding: .utf8) == "old a")
        #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("escape.html").path))
        // Nothing is left next to the site.
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["public"])
    }

    @Test func aSuccessfulWriteReplacesTheWholeSite() throws {
        let base = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: base) }
        let out = base.appendingPathComponent("public").path
        try SiteWriter.write([("old.html", Array("old".utf8))], to: out)
        try SiteWriter.write([("new.html", Array("new".utf8))], to: out)
        let entries = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(entries == [SiteWriter.marker, "new.html"])
        try SiteWriter.checkOutput(out, contentFolders: [], workingDirectory: base.path)
    }

    @Test func theSameInputBuildsTheSameBytes() throws {
        let guides = [
            "one.md": "---\ntitle: One\nsidebar_position: 2\n---\n\n## Part\n\nText `s3:GetObject`.\n",
            "two.md":
                "---\ntitle: Two\nsidebar_position: 1\n---\n\n```json\n{\"Version\": \"2012-10-17\", \"Statement\": []}\n```\n",
            "sub/three.md": "# Three\n\n- fact\n",
        ]
        let first = try SiteFixture(guides)
        let second = try SiteFixture(guides)
        defer {
            first.remove()
            second.remove()
        }
        #expect(first.files.keys.sorted() == second.files.keys.sorted())
        for (path, text) in first.files { #expect(second.files[path] == text, "\(path) differs") }
    }
}
