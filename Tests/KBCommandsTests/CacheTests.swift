import Foundation
import Testing

/// `.kbtool-cache/`: a run answered from the cache must say exactly what a full
/// run says, and any change a guide's result depends on must be seen.
@Suite struct CacheTests {
    /// A knowledge base copied into a fresh folder, which is also the working
    /// directory (so the cache lands there).
    static func knowledgeBase(from source: String) throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kbcache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: EndToEndTests.packageRoot.appendingPathComponent(source), to: base.appendingPathComponent("kb"))
        return base
    }

    static func verify(_ base: URL, _ extra: [String] = []) throws -> EndToEndTests.Run {
        try EndToEndTests.run(["verify", "kb", "--color", "never"] + extra, in: base)
    }

    @Test(arguments: [
        "content", "Tests/KBChecksTests/Fixtures/transcripts", "Tests/KBChecksTests/Fixtures/policy-blocks",
    ])
    func aCachedRunSaysWhatAFullRunSays(source: String) throws {
        let base = try Self.knowledgeBase(from: source)
        defer { try? FileManager.default.removeItem(at: base) }
        let full = try Self.verify(base, ["--no-cache"])
        let first = try Self.verify(base)
        let cached = try Self.verify(base)
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent(".kbtool-cache/index.tsv").path))
        for run in [first, cached] {
            #expect(run.stdout == full.stdout)
            #expect(run.status == full.status)
        }
        for format in ["json", "junit", "sarif"] {
            let uncached = try Self.verify(base, ["--no-cache", "--format", format])
            #expect(try Self.verify(base, ["--format", format]).stdout == uncached.stdout, "\(format)")
        }
    }

    @Test func aChangedGuideIsCheckedAgainAndTheOthersAreNot() throws {
        let base = try Self.knowledgeBase(from: "content")
        defer { try? FileManager.default.removeItem(at: base) }
        _ = try Self.verify(base)
        let guide = base.appendingPathComponent("kb/re-encrypting-existing-objects.md")
        var text = try String(contentsOf: guide, encoding: .utf8)
        text += "\n```json\n{\"Version\": \"2012-10-17\" \"Statement\": []}\n```\n"
        try Data(text.utf8).write(to: guide)
        let after = try Self.verify(base)
        #expect(after.status == 1)
        #expect(after.stdout.contains("re-encrypting-existing-objects.md:"))
        #expect(after.stdout.contains("[json-syntax]"))
        #expect(after.stdout == (try Self.verify(base, ["--no-cache"])).stdout)
    }

    @Test func changedClaimsAreSeenByEveryGuide() throws {
        let base = try Self.knowledgeBase(from: "content")
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(try Self.verify(base).status == 0)
        let claims = base.appendingPathComponent("kb/claims.yml")
        let text = try String(contentsOf: claims, encoding: .utf8)
        // Declare a claim the guides state outdated: the facts that cite it now warn.
        try Data(
            text.replacingOccurrences(of: "\n    status: holds", with: "\n    status: outdated\n    now: changed").utf8
        ).write(to: claims)
        let after = try Self.verify(base)
        #expect(after.stdout.contains("[fact-outdated]"))
        #expect(after.stdout == (try Self.verify(base, ["--no-cache"])).stdout)
    }

    @Test func aFileATranscriptReadsIsADependency() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kbcache-\(UUID().uuidString)")
        let kb = base.appendingPathComponent("kb")
        try FileManager.default.createDirectory(at: kb, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try Data("hello\n".utf8).write(to: kb.appendingPathComponent("body.txt"))
        try Data(
            """
            ---
            kbtool:
              region: us-east-1
              profiles:
                admin:
                  principal: arn:aws:iam::111122223333:role/Admin
                  policies: [admin.json]
              default-profile: admin
            ---

            # Upload

            ```json title="admin.json"
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
            ```

            ```console
            $ aws s3api create-bucket --bucket example-cache-dep
            {
                "Location": "/example-cache-dep"
            }
            $ aws s3api put-object --bucket example-cache-dep --key k --body body.txt --query VersionId
            null
            $ aws s3api head-object --bucket example-cache-dep --key k --query ContentLength
            6
            ```

            """.utf8
        ).write(to: kb.appendingPathComponent("g.md"))
        #expect(try Self.verify(base).status == 0)
        try Data("a longer body\n".utf8).write(to: kb.appendingPathComponent("body.txt"))
        let after = try Self.verify(base)
        #expect(after.status == 1, "\(after.stdout)")
        #expect(after.stdout.contains("[transcript-output]"))
    }

    @Test(arguments: ["garbage", "kbtool-verify-cache 2\tother-key\n", ""])
    func aCorruptOrForeignCacheIsRebuilt(index: String) throws {
        let base = try Self.knowledgeBase(from: "Tests/KBChecksTests/Fixtures/policy-blocks")
        defer { try? FileManager.default.removeItem(at: base) }
        let full = try Self.verify(base, ["--no-cache"])
        _ = try Self.verify(base)
        let path = base.appendingPathComponent(".kbtool-cache/index.tsv")
        try Data(index.utf8).write(to: path)
        // Corrupt result files too: an entry whose result cannot be read is checked again.
        let guides = base.appendingPathComponent(".kbtool-cache/guides")
        for name in try FileManager.default.contentsOfDirectory(atPath: guides.path) {
            try Data("{".utf8).write(to: guides.appendingPathComponent(name))
        }
        let rebuilt = try Self.verify(base)
        #expect(rebuilt.stdout == full.stdout, "\(rebuilt.stdout)\n---\n\(full.stdout)")
        let again = try Self.verify(base)
        #expect(again.stdout == full.stdout, "\(again.stdout)\n---\n\(full.stdout)")
    }
}
