import Foundation
import KBChecks
import KBDiagnostics
import Synchronization

/// Resolves what a guide links to: another guide becomes that guide's page, a
/// local file (an image, a policy file) is copied under `media/`. Only files
/// inside the guide's own knowledge-base folder are copied, whatever `..` or
/// symbolic links the target uses.
final class MediaCollector: Sendable {
    /// Files larger than this are linked, not copied.
    static let maxFileBytes = 32 * 1024 * 1024

    private let files = Mutex<[String: [UInt8]]>([:])
    private let pagesByRoute: [String: String]

    init(pages: [SitePage]) {
        var routes: [String: String] = [:]
        for page in pages {
            let folder = page.outputPath == "index.html" ? "" : String(page.outputPath.dropLast("/index.html".count))
            routes[folder] = page.outputPath
        }
        pagesByRoute = routes
    }

    func collected() -> [(String, [UInt8])] {
        files.withLock { all in all.keys.sorted().map { ($0, all[$0]!) } }
    }

    func diagnostics() -> [Diagnostic] { [] }

    /// A safe link's target as the page writes it.
    func link(_ destination: String, from page: SitePage, pages: [SitePage], byAbsolutePath: [String: Int]) -> String? {
        if destination.hasPrefix("#") || SafeURL.isRemote(destination) || destination.isEmpty { return destination }
        let (path, fragment) = Self.split(destination)
        if path.hasPrefix("/") {
            // A site route, as Docusaurus writes links between docs.
            let route = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if let target = pagesByRoute[route] { return SitePaths.link(from: page.outputPath, to: target) + fragment }
            return destination
        }
        let decoded = path.removingPercentEncoding ?? path
        let directory = (page.file.absolutePath as NSString).deletingLastPathComponent
        let absolute = ((directory as NSString).appendingPathComponent(decoded) as NSString).standardizingPath
        if let index = byAbsolutePath[absolute] {
            return SitePaths.link(from: page.outputPath, to: pages[index].outputPath) + fragment
        }
        if let copied = copy(absolute, root: page.file.rootFolder) {
            return SitePaths.link(from: page.outputPath, to: copied) + fragment
        }
        // A target that is not in the site would be a dead link; the checker
        // reports it, and the page keeps the text only.
        return nil
    }

    /// A local image's URL in the site, or nil when it cannot be shown.
    func image(_ source: String, from page: SitePage) -> String? {
        let (path, _) = Self.split(source)
        guard !path.isEmpty, !path.hasPrefix("/") else { return nil }
        let decoded = path.removingPercentEncoding ?? path
        let directory = (page.file.absolutePath as NSString).deletingLastPathComponent
        let absolute = ((directory as NSString).appendingPathComponent(decoded) as NSString).standardizingPath
        return copy(absolute, root: page.file.rootFolder).map { SitePaths.link(from: page.outputPath, to: $0) }
    }

    /// Copies a file that lies inside `root` to `media/<root name>/<path>`.
    private func copy(_ absolute: String, root: String) -> String? {
        let realRoot = (root as NSString).resolvingSymlinksInPath
        let real = (absolute as NSString).resolvingSymlinksInPath
        guard real.hasPrefix(realRoot + "/") else { return nil }
        let relative = String(real.dropFirst(realRoot.count + 1))
        guard SitePaths.isContained(relative), !relative.lowercased().hasSuffix(".md"),
            !relative.lowercased().hasSuffix(".mdx")
        else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue,
            let size = (try? FileManager.default.attributesOfItem(atPath: real))?[.size] as? Int,
            size <= Self.maxFileBytes
        else { return nil }
        let target = "media/" + (root as NSString).lastPathComponent + "/" + relative
        let known = files.withLock { $0[target] != nil }
        if !known {
            guard let data = FileManager.default.contents(atPath: real) else { return nil }
            files.withLock { $0[target] = Array(data) }
        }
        return target
    }

    /// A destination's path and its `#fragment` (with the `#`); a query is dropped.
    static func split(_ destination: String) -> (String, String) {
        var path = Substring(destination)
        var fragment = ""
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[hash...])
            path = path[..<hash]
        }
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        return (String(path), fragment)
    }
}
