import Foundation
import KBChecks
import KBDiagnostics
import Synchronization

/// Resolves what a guide links to: another guide becomes that guide's page, a
/// local file (an image, a policy file) is copied under `media/`. Only files
/// inside the guide's own knowledge-base folder are copied, whatever `..` or
/// symbolic links the path takes, and only passive types: nothing a browser
/// would run (HTML, SVG opened as a page, scripts).
final class MediaCollector: Sendable {
    /// Files larger than this are linked, not copied.
    static let maxFileBytes = 32 * 1024 * 1024
    /// Types copied for links and images: images, text, data, archives.
    static let copiedTypes: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "txt", "json", "yaml", "yml", "csv", "tsv",
        "log", "pdf", "zip", "gz", "tgz", "tar",
    ]

    private let files = Mutex<[String: [UInt8]]>([:])
    private let pagesByRoute: [String: String]
    /// Each knowledge-base folder's place under `media/`, unique even when two
    /// folders share a name.
    private let mediaFolders: [String: String]

    init(pages: [SitePage]) {
        var routes: [String: String] = [:]
        for page in pages {
            let folder = page.outputPath == "index.html" ? "" : String(page.outputPath.dropLast("/index.html".count))
            routes[folder] = page.outputPath
        }
        pagesByRoute = routes
        var folders: [String: String] = [:]
        var used: Set<String> = []
        for root in Set(pages.map(\.file.rootFolder)).sorted() {
            let name = (root as NSString).lastPathComponent
            var candidate = name
            var number = 2
            while used.contains(candidate) {
                candidate = "\(name)-\(number)"
                number += 1
            }
            used.insert(candidate)
            folders[root] = candidate
        }
        mediaFolders = folders
    }

    func collected() -> [(String, [UInt8])] {
        files.withLock { all in all.keys.sorted().map { ($0, all[$0]!) } }
    }

    /// A safe link's target as the page writes it, or nil when it leads nowhere
    /// in the site (the checker reports a missing file; the page keeps the text).
    func link(
        _ destination: String, from page: SitePage, pages: [SitePage], byAbsolutePath: [String: Int],
        trace: MediaTrace? = nil
    ) -> String? {
        if destination.hasPrefix("#") || SafeURL.isRemote(destination) || destination.isEmpty { return destination }
        let (path, fragment) = Self.split(destination)
        if path.hasPrefix("/") {
            // A site route, as Docusaurus writes links between docs.
            let route = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if let target = pagesByRoute[route] { return SitePaths.link(from: page.outputPath, to: target) + fragment }
            // Else a file of the Docusaurus site's static/ folder, served at the root.
            return staticFile(path, root: page.file.rootFolder, trace: trace).flatMap {
                $0.hasPrefix("data:") ? nil : SitePaths.link(from: page.outputPath, to: $0) + fragment
            }
        }
        let decoded = path.removingPercentEncoding ?? path
        let directory = (page.file.absolutePath as NSString).deletingLastPathComponent
        let absolute = ((directory as NSString).appendingPathComponent(decoded) as NSString).standardizingPath
        // The same candidates the link check accepts: the path, then `.md` and
        // `.mdx` after an extensionless one, then a folder's index or README.
        var candidates = [absolute]
        if (decoded as NSString).pathExtension.isEmpty { candidates += [absolute + ".md", absolute + ".mdx"] }
        for name in ["index.md", "index.mdx", "README.md", "readme.md"] {
            candidates.append((absolute as NSString).appendingPathComponent(name))
        }
        for candidate in candidates {
            if let index = byAbsolutePath[candidate] {
                return SitePaths.link(from: page.outputPath, to: pages[index].outputPath) + fragment
            }
        }
        if let copied = copy(absolute, root: page.file.rootFolder, trace: trace) {
            return SitePaths.link(from: page.outputPath, to: copied) + fragment
        }
        return nil
    }

    /// A claim's demonstration (`guide.md#anchor`, relative to the knowledge
    /// base's folder, where claims.yml lives) as a link from this page.
    func demonstration(_ target: String, from page: SitePage, pages: [SitePage], byAbsolutePath: [String: Int])
        -> String?
    {
        let (path, fragment) = Self.split(target)
        let absolute = ((page.file.rootFolder as NSString).appendingPathComponent(path) as NSString).standardizingPath
        return byAbsolutePath[absolute].map {
            SitePaths.link(from: page.outputPath, to: pages[$0].outputPath) + fragment
        }
    }

    /// A local image's URL in the site, or nil when it cannot be shown. An SVG
    /// becomes a `data:` URL: inside `<img>` its scripts never run, and no file
    /// of the site can be opened to run them.
    func image(_ source: String, from page: SitePage, trace: MediaTrace? = nil) -> String? {
        let (path, _) = Self.split(source)
        guard !path.isEmpty else { return nil }
        if path.hasPrefix("/") {
            return staticFile(path, root: page.file.rootFolder, trace: trace).map {
                $0.hasPrefix("data:") ? $0 : SitePaths.link(from: page.outputPath, to: $0)
            }
        }
        let decoded = path.removingPercentEncoding ?? path
        let directory = (page.file.absolutePath as NSString).deletingLastPathComponent
        let absolute = ((directory as NSString).appendingPathComponent(decoded) as NSString).standardizingPath
        if (absolute as NSString).pathExtension.lowercased() == "svg" {
            guard let real = inside(absolute, root: page.file.rootFolder),
                let data = FileManager.default.contents(atPath: real), data.count <= 2 * 1024 * 1024
            else { return nil }
            trace?.add(source: real, target: nil)
            return "data:image/svg+xml;base64," + data.base64EncodedString()
        }
        return copy(absolute, root: page.file.rootFolder, trace: trace).map {
            SitePaths.link(from: page.outputPath, to: $0)
        }
    }

    /// `/img/x.png`: a file of the `static/` folder beside the Docusaurus site's
    /// `docusaurus.config.js` (found within three folders above the content
    /// folder), copied like any other; SVG is embedded as for local images.
    private func staticFile(_ path: String, root: String, trace: MediaTrace?) -> String? {
        guard let folder = Self.staticFolder(above: root) else { return nil }
        let decoded = path.removingPercentEncoding ?? path
        let absolute = ((folder + "/" + decoded) as NSString).standardizingPath
        if (absolute as NSString).pathExtension.lowercased() == "svg" {
            guard let real = inside(absolute, root: folder), let data = FileManager.default.contents(atPath: real),
                data.count <= 2 * 1024 * 1024
            else { return nil }
            trace?.add(source: real, target: nil)
            return "data:image/svg+xml;base64," + data.base64EncodedString()
        }
        return copy(absolute, root: folder, trace: trace)
    }

    static func staticFolder(above root: String) -> String? {
        var folder = root
        for _ in 0..<4 {
            for config in ["docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs"] {
                let candidate = (folder as NSString).appendingPathComponent("static")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(config)),
                    FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue
                {
                    return candidate
                }
            }
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder { break }
            folder = parent
        }
        return nil
    }

    /// The real path of a regular file inside `root`, links resolved.
    private func inside(_ absolute: String, root: String) -> String? {
        guard let real = RealPath.resolve(absolute), let realRoot = RealPath.resolve(root),
            real.hasPrefix(realRoot + "/")
        else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        return real
    }

    /// Copies a passive file that lies inside `root` to `media/<folder>/<path>`.
    private func copy(_ absolute: String, root: String, trace: MediaTrace?) -> String? {
        guard let real = inside(absolute, root: root), let realRoot = RealPath.resolve(root) else { return nil }
        let relative = String(real.dropFirst(realRoot.count + 1))
        guard SitePaths.isContained(relative),
            Self.copiedTypes.contains((relative as NSString).pathExtension.lowercased()),
            !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
            let size = (try? FileManager.default.attributesOfItem(atPath: real))?[.size] as? Int,
            size <= Self.maxFileBytes
        else { return nil }
        let target = "media/" + (mediaFolders[root] ?? (root as NSString).lastPathComponent) + "/" + relative
        guard recopy(target: target, source: real) else { return nil }
        trace?.add(source: real, target: target)
        return target
    }

    /// Copies a file a kept article names (it was checked when the article
    /// was rendered); false when it cannot be read.
    @discardableResult
    func recopy(target: String, source: String) -> Bool {
        let known = files.withLock { $0[target] != nil }
        if !known {
            guard let data = FileManager.default.contents(atPath: source) else { return false }
            files.withLock { $0[target] = Array(data) }
        }
        return true
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

/// The local files one page copied or embedded, for the article cache.
final class MediaTrace {
    private(set) var files: [ArticleCache.MediaFile] = []

    func add(source: String, target: String?) {
        let (size, modified) = ArticleCache.stat(source)
        let file = ArticleCache.MediaFile(source: source, target: target, size: size, modified: modified)
        if !files.contains(file) { files.append(file) }
    }
}
