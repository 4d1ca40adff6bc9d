import Foundation
import KBChecks
import KBDiagnostics
import KBTestSupport
import KBTranscript
import Testing

/// `verify` as a pipeline of passes: findings in pass order, each counting
/// against the item it is about, and the cache giving back what a fresh run gives.
@Suite struct PipelineTests {
    /// A folder with the given files, removed when `body` returns.
    static func withFolder<T>(_ files: [String: String], _ body: (URL) throws -> T) throws -> T {
        let folder = try TemporaryFolder("kbtool-pipeline", files: files)
        defer { folder.remove() }
        return try body(folder.url)
    }

    static let guide = """
        ---
        title: Pipeline
        sidebar_positon: 1
        kbtool:
          profiles:
            reader: not-an-arn
        ---

        # Pipeline

        See [the missing section](#nowhere).

        ```json
        {"a": [1 2]}
        ```

        ```console
        $ aws sts get-caller-identity --profile nobody
        ```
        """

    @Test("the guide's own item collects prose, then links, in pass order; each block and command has its own")
    func findingsCountAgainstTheirItems() throws {
        try Self.withFolder(["g.md": Self.guide]) { folder in
            let report = try Verifier().verify(try InputCollector.collect([folder.path]))
            let result = try #require(report.guides.first)
            #expect(result.items.map(\.kind) == [.guide, .jsonBlock, .example])
            // Prose (the misspelt field) before the link: the list's order.
            #expect(result.items[0].findings.map(\.rule) == [Rule.frontMatterUnknownKey.id, Rule.linkBrokenAnchor.id])
            #expect(result.items[1].findings.map(\.rule) == [Rule.jsonSyntax.id])
            #expect(result.items[2].findings.map(\.rule) == [Rule.transcriptCommand.id])
            // The setup's finding is reported but fails no item.
            let setup = try #require(result.findings.first { $0.diagnostic.rule == Rule.transcriptSetup.id })
            #expect(setup.items.isEmpty)
            #expect(report.diagnostics.contains { $0.rule == Rule.transcriptSetup.id })
            // Report order: pass by pass.
            let passes = result.findings.map(\.pass)
            #expect(passes == passes.sorted())
        }
    }

    @Test("a cached guide gives back what a fresh run gives; links are checked again every time")
    func cachedResultsEqualFreshOnes() throws {
        try Self.withFolder(["g.md": Self.guide, "other.md": "# Other\n\n[to g](g.md#pipeline)\n"]) { folder in
            var verifier = Verifier()
            verifier.cacheFolder = folder.appendingPathComponent(".kbtool-cache").path
            verifier.needsFullResults = true
            let files = try InputCollector.collect([folder.path])
            let fresh = try verifier.verify(files)
            let cached = try verifier.verify(files)
            #expect(cached.diagnostics == fresh.diagnostics)
            #expect(cached.items == fresh.items)
            #expect(cached.examples.map(\.command) == fresh.examples.map(\.command))
            #expect(cached.guides.allSatisfy { $0.analysis != nil }, "kept guides are re-analysed for the site")
            // The target's heading changes: only the link pass can notice, on the unchanged guide.
            try Data("# Renamed\n".utf8).write(to: folder.appendingPathComponent("g.md"))
            let changed = try verifier.verify(files)
            #expect(
                changed.diagnostics.contains {
                    $0.rule == Rule.linkBrokenAnchor.id && $0.range.file.hasSuffix("other.md")
                })
        }
    }

    @Test("every pass is registered once, and the passes across guides are the linked ones")
    func registration() {
        var linked = 0
        var own = 0
        for pass in Verifier.guidePasses {
            switch pass {
            case .guide: own += 1
            case .linked: linked += 1
            }
        }
        #expect(own == 7)
        #expect(linked == 3)
        #expect(Verifier.crossGuidePasses.count == 1)
    }
}
