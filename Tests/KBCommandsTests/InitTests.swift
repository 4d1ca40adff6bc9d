import Foundation
import KBTestSupport
import Testing
import Yams

/// `kbtool init`: what it writes, what it leaves alone, and that it writes all
/// or nothing.
@Suite struct InitTests {
    static func repository(_ files: [String: String] = [:]) throws -> URL {
        try CIFormatTests().folder(files).url
    }

    static func contents(_ folder: URL, _ path: String) -> String? {
        FileManager.default.contents(atPath: folder.appendingPathComponent(path).path).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Every file and folder under `folder`, relative.
    static func listing(_ folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func aPlainRepositoryGetsAKnowledgeBaseThatVerifiesGreen() throws {
        let repository = try Self.repository(["README.md": "# A project\n"])
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["init"], in: repository)
        #expect(result.status == 0, "\(result.stderr)")
        for path in ["kbtool.yml", "content/kbtool-example.md", ".gitignore", ".github/workflows/kbtool.yml"] {
            #expect(result.stdout.contains("created   \(path)"), "\(result.stdout)")
        }
        let configurationText = try #require(Self.contents(repository, "kbtool.yml"))
        let configuration = try #require(try Yams.load(yaml: configurationText) as? [String: Any])
        #expect(configuration["paths"] as? [String] == ["content"])
        #expect((configuration["site"] as? [String: Any])?["title"] as? String == repository.lastPathComponent)
        #expect(Self.contents(repository, "kbtool.yml")?.contains("# Rule levels") == true, "kept its comments")
        #expect(Self.contents(repository, ".gitignore")?.contains(".kbtool-cache/\n") == true)

        let workflowText = try #require(Self.contents(repository, ".github/workflows/kbtool.yml"))
        let workflow = try #require(try Yams.load(yaml: workflowText) as? [String: Any])
        let steps = try #require(
            ((workflow["jobs"] as? [String: Any])?["verify"] as? [String: Any])?["steps"] as? [[String: Any]])
        let kbtool = try #require(steps.first { ($0["uses"] as? String)?.hasPrefix("kbtool/kbtool@") == true })
        #expect((kbtool["with"] as? [String: Any])?["paths"] as? String == "content")
        #expect(steps.contains { ($0["uses"] as? String)?.hasPrefix("github/codeql-action/upload-sarif") == true })

        // With no path, verify checks kbtool.yml's paths: the example passes,
        // its transcript ran and its facts matched the built-in claims.
        let verify = try EndToEndTests.run(["verify", "--no-cache"], in: repository)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.lastLine.hasPrefix("kbtool verify: 1 file, 0 errors, 0 warnings;"), "\(verify.stdout)")
        #expect(!verify.lastLine.hasSuffix(" 0 passed, 0 failed"))
    }

    @Test func aDocusaurusProjectKeepsItsGuidesInDocs() throws {
        let repository = try Self.repository([
            "docusaurus.config.ts": "export default {};\n", "docs/intro.md": "# Intro\n\nWelcome.\n",
        ])
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["init", repository.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("kbtool init: a Docusaurus project; kbtool checks its guides in docs/"))
        #expect(Self.contents(repository, "docs/kbtool-example.md") != nil)
        #expect(Self.contents(repository, "content") == nil)
        #expect(Self.contents(repository, "kbtool.yml")?.contains("paths: [docs]") == true)
        #expect(Self.contents(repository, ".github/workflows/kbtool.yml")?.contains("paths: docs") == true)
        let verify = try EndToEndTests.run(["verify", "--no-cache"], in: repository)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.lastLine.hasPrefix("kbtool verify: 2 files,"), "\(verify.stdout)")
    }

    @Test func existingFilesAreLeftAloneAndGitignoreOnlyGainsMissingLines() throws {
        let ownConfiguration = "rules:\n  transcript-not-run: off\n"
        let ownIgnore = "node_modules/\n.kbtool-cache/"
        let repository = try Self.repository(["kbtool.yml": ownConfiguration, ".gitignore": ownIgnore])
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["init"], in: repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("exists    kbtool.yml (left alone)"))
        #expect(result.stdout.contains("added     2 lines to .gitignore"), "\(result.stdout)")
        #expect(Self.contents(repository, "kbtool.yml") == ownConfiguration)
        #expect(
            Self.contents(repository, ".gitignore")
                == "node_modules/\n.kbtool-cache/\n# kbtool\nsite/public/\nkbtool.sarif\n")

        // A second run changes nothing.
        let before = try Self.listing(repository).map { ($0, Self.contents(repository, $0)) }
        let again = try EndToEndTests.run(["init"], in: repository)
        #expect(again.status == 0)
        #expect(!again.stdout.contains("created") && !again.stdout.contains("added"), "\(again.stdout)")
        let after = try Self.listing(repository).map { ($0, Self.contents(repository, $0)) }
        #expect(before.map(\.0) == after.map(\.0) && before.map(\.1) == after.map(\.1))
    }

    @Test func aMissingFolderIsBadUsage() throws {
        let result = try EndToEndTests.run(["init", "/no/such/folder"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no folder at /no/such/folder"))
    }

    /// Makes `folder` read-only for the command: a read-only bind mount in a
    /// private mount namespace (root ignores permissions), else `chmod`.
    static func readOnly(_ folder: URL, run arguments: [String], in directory: URL) throws -> EndToEndTests.Run {
        if getuid() != 0 {
            chmod(folder.path, 0o555)
            defer { chmod(folder.path, 0o755) }
            return try EndToEndTests.run(arguments, in: directory)
        }
        let quoted = ([EndToEndTests.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try EndToEndTests.runTool(
            "/usr/bin/unshare",
            [
                "--mount", "sh", "-c",
                "mount --bind '\(folder.path)' '\(folder.path)' && mount -o remount,ro,bind '\(folder.path)' && exec \(quoted)",
            ], in: directory)
    }

    static var canMakeReadOnly: Bool {
        getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
    }

    @Test(.enabled(if: canMakeReadOnly)) func aReadOnlyRepositoryGetsAClearErrorAndNoFiles() throws {
        let repository = try Self.repository(["README.md": "# A project\n"])
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try Self.readOnly(repository, run: ["init"], in: repository)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("error: kbtool init: cannot write"), "\(result.stderr)")
        #expect(result.stderr.contains("Read-only file system") || result.stderr.contains("Permission denied"))
        #expect(result.stderr.contains("nothing was written"))
        #expect(try Self.listing(repository) == ["README.md"])
    }

    @Test(.enabled(if: canMakeReadOnly)) func aReadOnlySubfolderLeavesNothingHalfWritten() throws {
        // The repository is writable, .github is not: kbtool.yml, the example
        // guide and .gitignore could be written, so init must undo them.
        let repository = try Self.repository(["README.md": "# A project\n", ".github/CODEOWNERS": "* @team\n"])
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try Self.readOnly(
            repository.appendingPathComponent(".github"), run: ["init"], in: repository)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("cannot write .github/workflows/kbtool.yml"), "\(result.stderr)")
        #expect(try Self.listing(repository) == [".github", ".github/CODEOWNERS", "README.md"])
    }
}
