import Foundation

/// Why the site could not be built; the previous site is left as it was.
public struct SiteError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The theme folder: the page template and the assets copied as they are.
public struct Theme: Sendable {
    public var template: PageTemplate
    /// Asset files by path under `assets/`, sorted, with their bytes.
    public var assets: [(path: String, bytes: [UInt8])]

    /// Reads `page.html` and everything under `assets/`; symbolic links and
    /// files outside the folder are not followed.
    public static func load(from folder: String) throws(SiteError) -> Theme {
        let templatePath = (folder as NSString).appendingPathComponent("page.html")
        guard let data = FileManager.default.contents(atPath: templatePath) else {
            throw SiteError("no theme at \(folder): \(templatePath) is missing (use --theme to name the folder)")
        }
        let template = try PageTemplate.parse(String(decoding: data, as: UTF8.self), path: templatePath)
        let assetsFolder = (folder as NSString).appendingPathComponent("assets")
        var assets: [(String, [UInt8])] = []
        let manager = FileManager.default
        if let enumerator = manager.enumerator(atPath: assetsFolder) {
            while let relative = enumerator.nextObject() as? String {
                let full = (assetsFolder as NSString).appendingPathComponent(relative)
                guard let attributes = try? manager.attributesOfItem(atPath: full),
                    attributes[.type] as? FileAttributeType == .typeRegular,
                    SitePaths.isContained(relative),
                    !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") })
                else { continue }
                guard let bytes = manager.contents(atPath: full) else {
                    throw SiteError("cannot read the theme file \(full)")
                }
                assets.append(("assets/" + relative, Array(bytes)))
            }
        }
        return Theme(template: template, assets: assets.sorted { $0.0 < $1.0 })
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

    public static func parse(_ text: String, path: String) throws(SiteError) -> PageTemplate {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            pieces.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw SiteError("\(path): '{{' is never closed")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard slots.contains(name) else {
                throw SiteError(
                    "\(path): unknown slot '{{\(name)}}' (known: \(slots.sorted().joined(separator: ", ")))")
            }
            pieces.append(.slot(name))
            rest = rest[close.upperBound...]
        }
        pieces.append(.text(String(rest)))
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
