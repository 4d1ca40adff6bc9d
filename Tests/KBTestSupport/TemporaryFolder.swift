import Foundation

/// A folder under the system's temporary directory for one test, with the
/// files it needs, removed by the test when it ends:
///
/// ```swift
/// let folder = try TemporaryFolder("kbtool-ci", files: ["guide.md": "# G\n"])
/// defer { folder.remove() }
/// ```
///
/// (Not removed in `deinit`: Swift may release an object after its last use,
/// before the test is done with the path.)
public struct TemporaryFolder: Sendable {
    public let url: URL

    public var path: String { url.path }

    /// A fresh, empty folder named `PREFIX-UUID`, with `files` (paths relative
    /// to it, folders made as needed) written into it.
    public init(_ prefix: String, files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, Data(text.utf8)) }
    }

    /// Writes a file inside the folder.
    public func write(_ name: String, _ data: Data) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    public func appendingPathComponent(_ component: String) -> URL { url.appendingPathComponent(component) }

    /// Removes the folder and everything in it (and the sibling `NAME-site`
    /// folder a build next to it may have made).
    public func remove() {
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.removeItem(atPath: url.path + "-site")
    }
}
