import Foundation
import KBEmbedded

/// Why the site could not be built; the previous site is left as it was.
public struct SiteError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The page template and the assets copied as they are: kbtool's own theme
/// (compiled in from `site/theme/`), with a project's folder overriding it file
/// by file, as Docusaurus's swizzling and mdBook's theme folder do.
public struct Theme: Sendable {
    public var template: PageTemplate
    /// Asset files by path under `assets/`, sorted, with their bytes.
    public var assets: [(path: String, bytes: [UInt8])]
    /// The files read from the override folder (absolute paths), for a build's
    /// timestamp and `serve`'s watcher.
    public var overrides: [String] = []

    /// The name of the built-in theme's folder among kbtool's embedded files.
    static let embeddedFolder = "theme"

    /// kbtool's own theme, as compiled in.
    public static func builtIn() throws(SiteError) -> Theme {
        try load(overridingWith: nil)
    }

    /// The built-in theme, with `folder`'s `page.html` and `assets/` files
    /// replacing or adding to it. A folder that does not exist is an error;
    /// symbolic links and files outside the folder are not followed.
    public static func load(overridingWith folder: String?) throws(SiteError) -> Theme {
        var template: (text: String, path: String)?
        var assets: [String: [UInt8]] = [:]
        for file in Embedded.files(under: embeddedFolder) {
            let relative = String(file.name.dropFirst(embeddedFolder.count + 1))
            if relative == "page.html" {
                template = (file.text, "page.html (built in)")
            } else if relative.hasPrefix("assets/") {
                assets[relative] = file.bytes
            }
        }
        var overrides: [String] = []
        if let folder {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw SiteError("no theme folder at \(folder) (it overrides the built-in theme file by file)")
            }
            let templatePath = (folder as NSString).appendingPathComponent("page.html")
            if let data = FileManager.default.contents(atPath: templatePath) {
                template = (String(decoding: data, as: UTF8.self), templatePath)
                overrides.append(templatePath)
            }
            for (relative, full) in try files(in: (folder as NSString).appendingPathComponent("assets")) {
                guard let bytes = FileManager.default.contents(atPath: full) else {
                    throw SiteError("cannot read the theme file \(full)")
                }
                assets["assets/" + relative] = Array(bytes)
                overrides.append(full)
            }
        }
        guard let template else { throw SiteError("kbtool was built without its theme; run scripts/embed") }
        return Theme(
            template: try PageTemplate.parse(template.text, path: template.path),
            assets: assets.keys.sorted().map { ($0, assets[$0]!) }, overrides: overrides.sorted())
    }

    /// Regular files under a folder (relative path, full path), leaving out
    /// hidden ones and anything a symbolic link leads to.
    private static func files(in folder: String) throws(SiteError) -> [(String, String)] {
        var found: [(String, String)] = []
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: folder) else { return [] }
        while let relative = enumerator.nextObject() as? String {
            let full = (folder as NSString).appendingPathComponent(relative)
            guard let attributes = try? manager.attributesOfItem(atPath: full),
                attributes[.type] as? FileAttributeType == .typeRegular,
                SitePaths.isContained(relative),
                !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            else { continue }
            found.append((relative, full))
        }
        return found
    }
}

/// `page.html` cut at its `{{slot}}`s once, then filled per page.
public struct PageTemplate: Sendable {
    public static let slots: Set<String> = [
        "title", "site_title", "description", "root", "sidebar", "breadcrumbs", "content", "toc", "pager",
        "provenance", "version", "live_reload",
    ]

    enum Piece: Sendable {
        case text(String)
        case slot(String)
    }

    private var pieces: [Piece]

    /// The slots a page cannot work without, and the tag each belongs in (where a
    /// missing one is reported): the page's text, its title, the links to the
    /// theme's assets and search index, and `kbtool serve`'s reload script.
    public static let requiredSlots: [(slot: String, near: String)] = [
        ("title", "<title"), ("root", "<head"), ("content", "<main"), ("live_reload", "</body"),
    ]

    /// Cuts `text` at its slots. An unclosed `{{`, an unknown slot or a missing
    /// required one is an error located in the file (`path:line:column:`).
    public static func parse(_ text: String, path: String) throws(SiteError) -> PageTemplate {
        var pieces: [Piece] = []
        var rest = Substring(text)
        func located(_ index: String.Index, _ message: String) -> SiteError {
            // Scalars, not Characters: "\r\n" is one Character but ends a line.
            let before = text.unicodeScalars[..<index]
            let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let lineStart = before.lastIndex(of: "\n").map { text.unicodeScalars.index(after: $0) } ?? text.startIndex
            let column = text.unicodeScalars[lineStart..<index].count + 1
            return SiteError("\(path):\(line):\(column): \(message)")
        }
        while let open = rest.range(of: "{{") {
            pieces.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw located(open.lowerBound, "'{{' is never closed")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard slots.contains(name) else {
                throw located(
                    open.lowerBound, "unknown slot '{{\(name)}}' (known: \(slots.sorted().joined(separator: ", ")))")
            }
            pieces.append(.slot(name))
            rest = rest[close.upperBound...]
        }
        pieces.append(.text(String(rest)))
        let used = Set(pieces.compactMap { piece -> String? in if case .slot(let name) = piece { name } else { nil } })
        for (slot, near) in requiredSlots where !used.contains(slot) {
            let at = text.range(of: near, options: .caseInsensitive)?.lowerBound ?? text.startIndex
            throw located(at, "the template has no '{{\(slot)}}' slot, which kbtool needs (see site/README.md)")
        }
        return PageTemplate(pieces: pieces)
    }

    /// The page with each slot's value; values are HTML already.
    public func fill(_ values: [String: String]) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): return text
            case .slot(let name): return values[name] ?? ""
            }
        }.joined()
    }
}
