import Foundation
import KBChecks
import Testing

@Suite struct InputCollectorTests {
    static func makeTree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kbtool-inputs-\(UUID().uuidString)")
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("docs/sub"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent("docs/.hidden"), withIntermediateDirectories: true)
        try manager.createDirectory(
            at: root.appendingPathComponent("docs/node_modules"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        for path in [
            "docs/b.md", "docs/a.mdx", "docs/sub/c.md", "docs/notes.txt", "docs/.hidden/x.md", "docs/node_modules/y.md",
        ] {
            try Data("# x\n".utf8).write(to: root.appendingPathComponent(path))
        }
        // A symbolic link back up the tree must not loop.
        try manager.createSymbolicLink(
            atPath: root.appendingPathComponent("docs/sub/loop").path, withDestinationPath: "..")
        return root.path
    }

    @Test func findsGuidesSortedAndNamedAsTheUserNamedTheFolder() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = try InputCollector.collect(["./docs/"], workingDirectory: root)
        #expect(files.map(\.displayPath) == ["docs/a.mdx", "docs/b.md", "docs/sub/c.md"])
        #expect(files.map(\.relativePath) == ["a.mdx", "b.md", "sub/c.md"])
    }

    @Test func aFileNamedTwiceIsCheckedOnce() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = try InputCollector.collect(["docs/b.md", "docs"], workingDirectory: root)
        #expect(files.map(\.displayPath) == ["docs/b.md", "docs/a.mdx", "docs/sub/c.md"])
    }

    @Test(arguments: [
        ("missing", "no such file or directory: missing"),
        ("empty", "no guides or policies (*.md, *.mdx, *.json) found in empty"),
        ("docs/notes.txt", "docs/notes.txt is not a guide or policy (*.md, *.mdx, *.json)"),
    ])
    func badPathsAreUsageErrors(_ path: String, _ message: String) throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let error = #expect(throws: InputError.self) { try InputCollector.collect([path], workingDirectory: root) }
        #expect(error?.description == message)
    }
}
