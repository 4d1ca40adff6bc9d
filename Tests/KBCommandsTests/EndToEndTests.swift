import Foundation
import KBTestSupport
import Testing

/// Runs the built `kbtool` binary the way a user or CI does.
@Suite struct EndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("kbtool"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kbtool"),
            packageRoot.appendingPathComponent(".build/debug/kbtool"),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
    }

    static func run(_ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:]) throws
        -> Run
    {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func run(_ arguments: [String], in folder: TemporaryFolder, environment: [String: String] = [:]) throws
        -> Run
    {
        try run(arguments, in: folder.url, environment: environment)
    }

    static let brokenGuide = "Tests/KBChecksTests/Fixtures/missing-comma/guide.md"

    @Test func theShippedContentPassesClean() throws {
        let result = try Self.run(["verify"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.lastLine.hasSuffix(" passed, 0 failed"))
        #expect(result.lastLine.contains("0 errors, 0 warnings"))
    }

    @Test func aMissingCommaIsReportedAtItsLineAndColumnAndExitsOne() throws {
        let result = try Self.run(["verify", Self.brokenGuide])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(Self.brokenGuide):19:9: error: expected ',' between array elements [json-syntax]"))
        // The rest of the file is still checked.
        #expect(lines.contains { $0.hasPrefix("\(Self.brokenGuide):30:17: error: duplicate key") })
        #expect(lines.contains { $0.hasPrefix("\(Self.brokenGuide):33:25: error: link to '#Bucket-policy'") })
        #expect(
            lines.contains { $0.hasPrefix("\(Self.brokenGuide):3:19: error: front matter field 'sidebar_position'") })
        // The excerpt, the fix and the closing count.
        #expect(result.stdout.contains("19 |         \"s3:PutObject\"\n   |         ^^^^^^^^^^^^^^"))
        #expect(
            result.stdout.contains(
                "= fix: insert ','\n   |\n18 |         \"s3:GetObject\",\n   |                       +"))
        #expect(result.lastLine == "kbtool verify: 1 file, 4 errors, 0 warnings; 0 passed, 3 failed")
    }

    @Test func jsonFormatPrintsOneDocumentWithTheDocumentedFields() throws {
        let result = try Self.run(["verify", "--format", "json", Self.brokenGuide])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        let comma = try #require(diagnostics.first { ($0["message"] as? String)?.contains("between array") == true })
        #expect(comma["file"] as? String == Self.brokenGuide)
        #expect(comma["line"] as? Int == 19)
        #expect(comma["column"] as? Int == 9)
        #expect(comma["endLine"] as? Int == 19)
        #expect(comma["endColumn"] as? Int == 23)
        #expect(comma["severity"] as? String == "error")
        #expect(comma["rule"] as? String == "json-syntax")
        let related = try #require((comma["related"] as? [[String: Any]])?.first)
        #expect(related["file"] as? String == Self.brokenGuide)
        #expect(related["line"] as? Int == 18)
        #expect(related["message"] as? String == "previous element ends here")
        let fix = try #require(comma["fix"] as? [String: Any])
        #expect(fix["line"] as? Int == 18)
        #expect(fix["column"] as? Int == 23)
        #expect(fix["endColumn"] as? Int == 23)
        #expect(fix["replacement"] as? String == ",")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 1)
        #expect(summary["errors"] as? Int == 4)
        #expect(summary["warnings"] as? Int == 0)
        // The bucket policy names another account, but the guide has no key policy to run the flow with.
        #expect(summary["notes"] as? Int == 1)
    }

    @Test(arguments: [
        (["verify", "no/such/path"], "no such file or directory: no/such/path"),
        (["verify", "Sources/KBJSON"], "no guides or policies (*.md, *.mdx, *.json) found in Sources/KBJSON"),
        (["verify", "--format", "xml"], "--format"),
        (["verify", "--no-such-flag"], "--no-such-flag"),
        (["frobnicate"], "frobnicate"),
    ])
    func badUsageAndUnreadableInputExitTwo(_ arguments: [String], _ message: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test func jsonFormatStillPrintsOneDocumentWhenTheRunCannotStart() throws {
        let result = try Self.run(["verify", "--format", "json", "no/such/path"])
        #expect(result.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        #expect((document["error"] as? String)?.contains("no/such/path") == true)
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try Self.run(["verify", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit status: 0 when no error was found"))
        let version = try Self.run(["--version"])
        #expect(version.status == 0)
        // The version, the commit it was built from, and the data versions.
        #expect(version.stdout.hasPrefix("kbtool 0.1.0 (commit "))
        #expect(version.stdout.contains("\nAWS catalogue: "))
    }

    @Test func colourFollowsTheFlagAndNoColor() throws {
        let piped = try Self.run(["verify", Self.brokenGuide])
        #expect(!piped.stdout.contains("\u{1B}["), "auto colour stays off when output is not a terminal")
        let forced = try Self.run(["verify", "--color", "always", Self.brokenGuide])
        #expect(forced.stdout.contains("\u{1B}[1;31merror:"))
        let forcedDespiteNoColor = try Self.run(
            ["verify", "--color", "always", Self.brokenGuide], environment: ["NO_COLOR": "1"])
        #expect(forcedDespiteNoColor.stdout.contains("\u{1B}["))
    }

    @Test func pathsAreShownAsTheUserNamedThem() throws {
        let fixtures = Self.packageRoot.appendingPathComponent("Tests/KBChecksTests/Fixtures")
        let result = try Self.run(["verify", "./missing-comma//", "--no-cache"], in: fixtures)
        #expect(
            result.stdout.contains("\nmissing-comma/guide.md:19:9: error:")
                || result.stdout.hasPrefix("missing-comma/guide.md:"))
    }

    @Test func withoutPathsItChecksContentInTheWorkingDirectory() throws {
        let directory = try TemporaryFolder("kbtool-e2e", files: ["content/a.md": "# Hi\n\n[x](#nope)\n"])
        defer { directory.remove() }
        let result = try Self.run(["verify"], in: directory)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("content/a.md:3:5: error: link to '#nope'"))
    }
}

/// `kbtool simulate` as a user runs it.
@Suite struct SimulateEndToEndTests {
    static let oneCase = """
        {
          "request": {
            "principal": "arn:aws:iam::444455556666:role/Reader",
            "action": "s3:GetObject",
            "resource": "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
            "resourceAccount": "111122223333",
            "context": {"aws:SecureTransport": "true", "aws:SourceIp": "203.0.113.7", "aws:TagKeys": ["a", "b"]}
          },
          "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}],
          "resourcePolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]},
          "permissionsBoundaries": [],
          "sessionPolicy": null,
          "serviceControlPolicies": [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]],
          "resourceControlPolicies": []
        }
        """

    static func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kbtool-sim-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func theIssueExampleIsAllowedWithATrace() throws {
        let file = try Self.write(Self.oneCase)
        defer { try? FileManager.default.removeItem(at: file) }
        let human = try EndToEndTests.run(["simulate", file.path])
        #expect(human.status == 0)
        #expect(human.stdout.hasPrefix("Allowed"))
        #expect(human.stdout.contains("resource policy: allow"))
        #expect(human.stdout.contains("SCP level 1 policy 1: allow"))
        let json = try EndToEndTests.run(["simulate", "--format", "json", file.path])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(result["decision"] as? String == "Allowed")
        let trace = try #require(result["trace"] as? [[String: Any]])
        #expect(trace.count == 3)
    }

    @Test func anArrayGivesResultsInOrderAndAMalformedCaseDoesNotStopTheOthers() throws {
        let denied = Self.oneCase.replacingOccurrences(of: "\"444455556666\"}", with: "\"777788889999\"}")
        let file = try Self.write("[\(Self.oneCase), {\"request\": {}}, \(denied)]")
        defer { try? FileManager.default.removeItem(at: file) }
        let json = try EndToEndTests.run(["simulate", "--format", "json", file.path])
        #expect(json.status == 0)
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results[0]["decision"] as? String == "Allowed")
        #expect((results[1]["error"] as? String)?.contains("'request' needs 'principal'") == true)
        #expect(results[2]["decision"] as? String == "ImplicitlyDenied")
    }

    @Test func readsStandardInput() throws {
        let process = Process()
        process.executableURL = EndToEndTests.binary
        process.arguments = ["simulate", "--format", "json", "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(Self.oneCase.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).contains("\"decision\":\"Allowed\""))
    }

    @Test func unreadableInputExitsTwo() throws {
        #expect(try EndToEndTests.run(["simulate", "/no/such/case.json"]).status == 2)
        let broken = try Self.write("{\"request\": ")
        defer { try? FileManager.default.removeItem(at: broken) }
        let result = try EndToEndTests.run(["simulate", broken.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(":1:13:"))
    }

    @Test func verifyChecksStandalonePolicyFilesAtTheirElements() throws {
        let result = try EndToEndTests.run(["verify", "Tests/KBChecksTests/Fixtures/policies/partner-identity.json"])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "Tests/KBChecksTests/Fixtures/policies/partner-identity.json:3:96: warning: s3:ListBucket applies to"))
        let trust = try EndToEndTests.run(["verify", "Tests/KBChecksTests/Fixtures/policies/trust-policy.json"])
        #expect(trust.status == 0)
        #expect(trust.lastLine.hasSuffix("1 passed, 0 failed"))
    }
}
