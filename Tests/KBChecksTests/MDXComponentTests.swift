import Foundation
import KBChecks
import KBDiagnostics
import KBTestSupport
import Testing

/// An MDX component the site cannot render is named once per run, at its
/// first use across the guides, with how often it is used.
@Suite struct MDXComponentTests {
    static let first = """
        import Screenshot from '@site/src/components/Screenshot';

        # First

        <Screenshot src="/img/a.png" />

        Text.

        <Callout>
        Wrapped text.
        </Callout>

        <Screenshot src="/img/b.png" />
        """
    static let second = """
        import Tabs from '@theme/Tabs';
        import TabItem from '@theme/TabItem';

        # Second

        <Tabs>
        <TabItem value="a">

        A.

        </TabItem>
        </Tabs>

        <Screenshot src="/img/c.png" />
        """

    func notes(_ report: VerificationReport) -> [String] {
        report.diagnostics.filter { $0.rule == Rule.mdxUnknownComponent.id }.map {
            "\(($0.range.file as NSString).lastPathComponent):\($0.range.start.line): \($0.message)"
        }
    }

    @Test func eachUnknownComponentIsNamedOncePerRunAtItsFirstUse() throws {
        try PipelineTests.withFolder([
            "a.mdx": Self.first, "b.mdx": Self.second, "plain.md": "# Plain\n\n<Foo>x</Foo>\n",
        ]) {
            folder in
            let files = try InputCollector.collect([folder.path])
            let expected = [
                "a.mdx:5: MDX component <Screenshot> is not rendered by kbtool: its tags are dropped and what it wraps is kept (3 uses in 2 guides; this is the first)",
                "a.mdx:9: MDX component <Callout> is not rendered by kbtool: its tags are dropped and what it wraps is kept (its only use)",
            ]
            let report = try Verifier().verify(files)
            #expect(notes(report) == expected)
            #expect(report.diagnostics.first { $0.rule == Rule.mdxUnknownComponent.id }?.severity == .note)
            // The cache answers the second run: the notes stay the same.
            var cached = Verifier()
            cached.cacheFolder = folder.appendingPathComponent(".kbtool-cache").path
            cached.keepsGuides = false
            #expect(notes(try cached.verify(files)) == expected)
            #expect(notes(try cached.verify(files)) == expected)
            // Only b.mdx left: its own first use is named, with its own count.
            let onlySecond = files.filter { $0.relativePath == "b.mdx" }
            #expect(
                notes(try cached.verify(onlySecond)) == [
                    "b.mdx:14: MDX component <Screenshot> is not rendered by kbtool: its tags are dropped and what it wraps is kept (its only use)"
                ])
        }
    }
}
