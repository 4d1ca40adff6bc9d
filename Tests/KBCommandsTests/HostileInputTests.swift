import Foundation
import Testing

/// Inputs built to break a verifier: each must give a clear, located diagnostic,
/// with no crash and no hang (the binary runs them; a crash fails the exit status).
/// Time and memory are measured by `scripts/bench-hostile`, not asserted here.
@Suite struct HostileInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Writes the input into an empty folder.
        var make: @Sendable (URL) throws -> Void
        /// A line `kbtool verify` must print.
        var expected: String
        var status: Int32
        var testDescription: String { name }
    }

    static func write(_ folder: URL, _ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
    }

    static let cases: [Case] = [
        Case(
            name: "a 100 MB guide",
            make: { folder in
                let line = Array("Prose about kms:Decrypt and arn:aws:s3:::bucket/* in a very long guide.\n".utf8)
                let handle = try FileHandle(
                    forWritingTo: {
                        let url = folder.appendingPathComponent("big.md")
                        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                        return url
                    }())
                let chunk = Data(Array([[UInt8]](repeating: line, count: 14_000).joined()))
                for _ in 0..<(100 * 1024 * 1024 / chunk.count + 1) { handle.write(chunk) }
                try handle.close()
            },
            expected: "big.md:1:1: error: the file is", status: 1),
        Case(
            name: "lists nested 100,000 deep",
            make: { try write($0, "g.md", Array((String(repeating: "- ", count: 100_000) + "x\n").utf8)) },
            expected: "warning: markdown nested deeper than 100 levels", status: 0),
        Case(
            name: "block quotes nested 100,000 deep",
            make: { try write($0, "g.md", Array((String(repeating: ">", count: 100_000) + " x\n").utf8)) },
            expected: "warning: markdown nested deeper than 100 levels", status: 0),
        Case(
            name: "JSON nested 100,000 deep",
            make: {
                try write(
                    $0, "g.md",
                    Array(
                        ("```json\n" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
                            + "\n```\n").utf8))
            },
            expected: "error: JSON nested deeper than 128 levels [json-limit]", status: 1),
        Case(
            name: "invalid UTF-8",
            make: { try write($0, "g.md", Array("# T".utf8) + [0xFF, 0xFE] + Array("\n\nText \u{e9}\n".utf8)) },
            expected: "g.md:1:4: error: invalid UTF-8 byte 0xFF; the file must be UTF-8 [encoding]", status: 1),
        Case(
            name: "a NUL byte in a guide",
            make: { try write($0, "g.md", Array("# T".utf8) + [0] + Array("itle\n\nText.\n".utf8)) },
            expected: "g.md:1:4: warning: NUL byte in the text; it is read as U+FFFD [encoding]", status: 0),
        Case(
            name: "a binary file named .md",
            make: { folder in
                var generator = SystemRandomNumberGenerator()
                try write(folder, "image.md", (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            },
            expected: "image.md:1:1: error: the file looks binary (NUL bytes near its start), not a markdown guide",
            status: 1),
        Case(
            name: "a symbolic link loop in content/",
            make: { folder in
                try write(folder, "g.md", Array("# Fine\n".utf8))
                try FileManager.default.createSymbolicLink(
                    atPath: folder.appendingPathComponent("self").path, withDestinationPath: ".")
                try FileManager.default.createSymbolicLink(
                    atPath: folder.appendingPathComponent("a.md").path, withDestinationPath: "b.md")
                try FileManager.default.createSymbolicLink(
                    atPath: folder.appendingPathComponent("b.md").path, withDestinationPath: "a.md")
            },
            expected: "a.md:1:1: error: cannot read the file: it is a symbolic link that leads nowhere, or in a loop",
            status: 1),
        Case(
            name: "an unreadable file (a FIFO named .md)",
            make: { folder in
                try write(folder, "g.md", Array("# Fine\n".utf8))
                #expect(mkfifo(folder.appendingPathComponent("pipe.md").path, 0o644) == 0)
            },
            expected: "pipe.md:1:1: error: cannot read the file: it is a FIFO or other special file", status: 1),
        Case(
            name: "a guide that is only front matter",
            make: { try write($0, "g.md", Array("---\ntitle: Only\n---\n".utf8)) },
            expected: "g.md:3:1: warning: the guide has only front matter, no content [guide-empty]", status: 0),
        Case(
            name: "a policy with 10,000 statements",
            make: { folder in
                let statements = (0..<10_000).map {
                    #"{"Sid": "S\#($0)", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b\#($0)/*"}"#
                }
                try write(
                    folder, "g.md",
                    Array(
                        ("```json\n{\"Version\": \"2012-10-17\", \"Statement\": [\n"
                            + statements.joined(separator: ",\n")
                            + "\n]}\n```\n").utf8))
            },
            expected: "warning: this identity policy is", status: 0),
        Case(
            name: "wildcards built to explode a naive matcher",
            make: { folder in
                let action = "s3:" + String(repeating: "*a", count: 40)
                let resource = "arn:aws:s3:::" + String(repeating: "a*", count: 60) + "b"
                let key = "arn:aws:s3:::" + String(repeating: "a", count: 5_000)
                try write(
                    folder, "g.md",
                    Array(
                        """
                        ```json
                        {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "\(action)", "Resource": "\(resource)"},
                          {"Effect": "Deny", "Action": "s3:*", "NotResource": "\(key)"}
                        ]}
                        ```

                        """.utf8))
            },
            expected: "matches no s3 action [policy-unknown-action]", status: 1),
        Case(
            name: "a transcript of 10,000 commands",
            make: { folder in
                let commands = (0..<10_000).map { "$ echo \($0)\n\($0)\n" }.joined()
                try write(folder, "g.md", Array(("```console\n" + commands + "```\n").utf8))
            },
            expected: "kbtool verify: 1 file, 0 errors, 0 warnings; 10001 passed, 0 failed", status: 0),
    ]

    @Test(arguments: cases)
    func verifyGivesAClearDiagnostic(_ input: Case) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kbhostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try input.make(folder)
        let result = try EndToEndTests.run(["verify", folder.path, "--color", "never"])
        #expect(result.status == input.status, "\(result.stdout.suffix(2_000))\(result.stderr)")
        #expect(result.stdout.contains(input.expected), "\(result.stdout.suffix(2_000))")
        // The site builds from the same input, findings shown, without crashing.
        let site = try EndToEndTests.run(
            ["build", folder.path, "--out", folder.path + "-site"])
        defer { try? FileManager.default.removeItem(atPath: folder.path + "-site") }
        #expect(site.status == 0, "\(site.stdout.suffix(1_000))\(site.stderr)")
    }

    /// Root reads any file, so the permission case runs only for other users.
    @Test(.enabled(if: getuid() != 0)) func aFileWithoutReadPermissionIsAFinding() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kbhostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write(folder, "g.md", Array("# Fine\n".utf8))
        try Self.write(folder, "secret.md", Array("# Secret\n".utf8))
        #expect(chmod(folder.appendingPathComponent("secret.md").path, 0) == 0)
        let result = try EndToEndTests.run(["verify", folder.path, "--color", "never"])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("secret.md:1:1: error: cannot read the file: permission denied [file-unreadable]"))
    }
}
