import Foundation
import Testing

/// `kbtool build` as a user runs it: the real binary, the real content and theme.
@Suite struct SiteBuildTests {
    static func temporary() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kbbuild-\(UUID().uuidString)")
    }

    static func files(under folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return result
    }

    @Test func theContentBuildsIntoASiteTwiceTheSame() throws {
        let base = Self.temporary()
        defer { try? FileManager.default.removeItem(at: base) }
        let out = base.appendingPathComponent("public")
        let first = try EndToEndTests.run(["build", "--out", out.path])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.lastLine.hasPrefix("kbtool build: 5 guide pages"))
        #expect(
            first.lastLine.hasSuffix("0 errors, 0 warnings; 186 passed, 0 failed")
                || first.lastLine.contains("0 errors, 0 warnings"))
        let built = try Self.files(under: out)
        for page in [
            "index.html", "claims/index.html", "assets/search-index.js", "assets/style.css", "assets/app.js",
            "cross-account-sse-kms-bucket/index.html", ".kbtool-site",
        ] {
            #expect(built[page] != nil, "\(page) missing")
        }
        let main = String(decoding: built["cross-account-sse-kms-bucket/index.html"] ?? Data(), as: UTF8.self)
        #expect(main.contains("class=\"explorer-data\""))
        #expect(main.contains("class=\"code-block transcript"))
        #expect(main.contains("class=\"badge fact-badge status-verified\""))
        // No external request: every src and href to a stylesheet or script is relative.
        #expect(!main.contains("src=\"http"))
        #expect(!main.contains("<link rel=\"stylesheet\" href=\"http"))
        let second = try EndToEndTests.run(["build", "--out", out.path])
        #expect(second.status == 0)
        #expect(try Self.files(under: out) == built, "a second build of the same input differs")
    }

    @Test func strictFailsOnErrorsAndKeepsThePreviousSite() throws {
        let base = Self.temporary()
        defer { try? FileManager.default.removeItem(at: base) }
        let out = base.appendingPathComponent("public")
        #expect(try EndToEndTests.run(["build", "--out", out.path]).status == 0)
        let before = try Self.files(under: out)
        let broken = try EndToEndTests.run([
            "build", "--strict", "--out", out.path, EndToEndTests.brokenGuide,
        ])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("was not replaced"))
        #expect(try Self.files(under: out) == before)
        // The pages already streamed to the staging folder went with it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["public"])
        // Without --strict the findings are shown in the site and the build succeeds.
        let shown = try EndToEndTests.run([
            "build", "--out", out.path, EndToEndTests.brokenGuide,
        ])
        #expect(shown.status == 0, "\(shown.stdout)\(shown.stderr)")
        let pages = try Self.files(under: out).filter {
            $0.key.hasSuffix("index.html") && $0.key != "index.html" && !$0.key.hasPrefix("claims")
        }
        let text = pages.values.map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(text.contains("finding finding-error"))
    }

    @Test(arguments: [["--out", "content"], ["--out", "/"], ["--out", "."], ["--theme", "/nonexistent-theme"]])
    func unusableOutputsAndThemesAreRefused(arguments: [String]) throws {
        let result = try EndToEndTests.run(["build"] + arguments)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "))
        // The content is untouched.
        #expect(
            FileManager.default.fileExists(
                atPath: EndToEndTests.packageRoot.appendingPathComponent("content/claims.yml").path))
    }
}

/// The site in a real browser: headless Chromium driven by `scripts/browser-test`
/// (Selenium). `scripts/setup` installs Chromium, its driver and Selenium.
@Suite struct BrowserTests {
    @Test(.timeLimit(.minutes(5))) func theSiteWorksInChromium() throws {
        let base = SiteBuildTests.temporary()
        defer { try? FileManager.default.removeItem(at: base) }
        let out = base.appendingPathComponent("public")
        let build = try EndToEndTests.run([
            "build", "content", "Tests/Browser/hostile", "Tests/Browser/grouped", "--out", out.path,
        ])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let process = Process()
        // Debian's python3, which has Debian's Selenium (not a pyenv shim's).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            EndToEndTests.packageRoot.appendingPathComponent("scripts/browser-test").path, out.path,
            "--screenshots", base.appendingPathComponent("screenshots").path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // The checks' own lines, for the CI log.
        print(output)
        #expect(process.terminationStatus == 0, "browser test failed (run scripts/setup for Chromium):\n\(output)")
        #expect(output.contains("ok - "))
        #expect(!output.contains("not ok - "))
    }

    /// A 1,000-page site (ten categories of a hundred guides): a deep page opens
    /// its branch of the sidebar, the tree script loads once, search answers
    /// from the sharded index, its own section's shard loaded first.
    @Test(.timeLimit(.minutes(5))) func aThousandPageSiteWorksInChromium() throws {
        let base = SiteBuildTests.temporary()
        defer { try? FileManager.default.removeItem(at: base) }
        let content = base.appendingPathComponent("large")
        for section in 0..<10 {
            let folder = content.appendingPathComponent("section-\(section)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("{\"label\": \"Section \(section)\", \"position\": \(section)}".utf8).write(
                to: folder.appendingPathComponent("_category_.json"))
            for page in 0..<100 {
                // Two sections a page: 2,000 search entries, so the index is split in shards.
                try Data(
                    "# Page \(section).\(page)\n\nRotate the key with kms:RotateKeyOnDemand.\n\n## Schedule\n\nOnce a year.\n"
                        .utf8
                ).write(
                    to: folder.appendingPathComponent("page-\(page).md"))
            }
        }
        let out = base.appendingPathComponent("public")
        let build = try EndToEndTests.run(["build", content.path, "--out", out.path])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            EndToEndTests.packageRoot.appendingPathComponent("scripts/browser-test").path, out.path,
            "--large", "section-7/page-77/index.html", "--search-term", "RotateKeyOnDemand",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(output)
        #expect(process.terminationStatus == 0, "browser test failed:\n\(output)")
        #expect(output.contains("8 passed, 0 failed"))
    }
}
