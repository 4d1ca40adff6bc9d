import Foundation

/// Where a link without `.md` lands in a Docusaurus site. Docusaurus rewrites
/// only links to files (`other.md`); any other relative link is a URL the browser
/// resolves against the page's own URL, not the file's folder: from the page
/// `/account` (trailingSlash false) `my-org/team` is `/my-org/team`, from
/// `/account/` it is `/account/my-org/team`. The page's URL is its route (slug,
/// id, `index.md`/`README.md`, number prefixes: ``PageIdentity``) under the
/// docs plugin's `routeBasePath`.
struct DocusaurusRoutes {
    /// The site settings that decide a page's URL, read from `docusaurus.config.js`
    /// (or `.ts`, `.mjs`) in the docs folder or up to two folders above it.
    struct Settings: Equatable {
        /// `routeBasePath` without trailing `/`: "" for `"/"`, "/docs" by default.
        var basePath = "/docs"
        /// `trailingSlash: true` serves `/a/b/`; false or unset serves `/a/b`.
        var trailingSlash = false
    }

    /// Page URLs of each docs folder, to the page's file.
    private var pages: [String: [String: String]] = [:]
    /// Each page's URL and docs folder, by its absolute path.
    private var urls: [String: (root: String, url: String)] = [:]
    private var settings: [String: Settings] = [:]

    init(_ pages: [(root: String, rootFolder: String, route: String, absolutePath: String)]) {
        for page in pages {
            if settings[page.root] == nil { settings[page.root] = Self.settings(near: page.rootFolder) }
            let base = settings[page.root]!
            let url = base.basePath + (page.route == "/" && !base.basePath.isEmpty ? "" : page.route)
            let path = url.isEmpty ? "/" : url
            self.pages[page.root, default: [:]][path] = self.pages[page.root]?[path] ?? page.absolutePath
            urls[page.absolutePath] = (page.root, path)
        }
    }

    /// The file of the page a relative link without extension reaches from the
    /// page at `from`, when one is in the run.
    func target(of link: String, from: String) -> String? {
        guard let page = urls[from], let settings = settings[page.root] else { return nil }
        // The browser resolves against the URL's folder: all of it with a trailing slash.
        var parts = page.url.split(separator: "/").map(String.init)
        if !settings.trailingSlash { _ = parts.popLast() }
        for part in link.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(String(part)) }
        }
        let url = "/" + parts.joined(separator: "/")
        return pages[page.root]?[url]
    }

    static func settings(near folder: String) -> Settings {
        var directory = folder
        for _ in 0..<3 {
            for name in ["docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs"] {
                if let data = FileManager.default.contents(atPath: directory + "/" + name) {
                    return parse(String(decoding: data, as: UTF8.self))
                }
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return Settings()
    }

    /// The two settings, as written in the config's source (`routeBasePath: "/"`,
    /// `trailingSlash: false`); a config that computes them keeps the defaults.
    static func parse(_ source: String) -> Settings {
        var settings = Settings()
        if let value = firstMatch(#"routeBasePath\s*:\s*["']([^"']*)["']"#, in: source) {
            var base = value.hasPrefix("/") ? value : "/" + value
            while base.hasSuffix("/") { base.removeLast() }
            settings.basePath = base
        }
        if let value = firstMatch(#"trailingSlash\s*:\s*(true|false)"#, in: source) {
            settings.trailingSlash = value == "true"
        }
        return settings
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}
