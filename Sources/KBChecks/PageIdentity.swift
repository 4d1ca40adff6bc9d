import KBDiagnostics
import KBGuide

/// The doc id and route Docusaurus gives a guide, with where each comes from, so
/// two guides that would collide in a Docusaurus build can be reported.
public struct PageIdentity: Sendable, Codable {
    /// The docs folder the guide belongs to: ids and routes clash only within one.
    public var root: String
    public var id: String
    public var idRange: SourceRange
    public var route: String
    public var routeRange: SourceRange
    public var range: SourceRange

    /// The fields as kept (by the verification cache).
    public init(
        root: String, id: String, idRange: SourceRange, route: String, routeRange: SourceRange, range: SourceRange
    ) {
        self.root = root
        self.id = id
        self.idRange = idRange
        self.route = route
        self.routeRange = routeRange
        self.range = range
    }

    /// `relativePath` is the guide's path inside `root`, e.g. `kms/setup.md`.
    public init(guide: Guide, root: String, relativePath: String) {
        self.root = root
        let parsePrefixes = guide.frontMatter?["parse_number_prefixes"]?.kind != .bool(false)
        let components = relativePath.split(separator: "/").map {
            parsePrefixes ? Self.strippingNumberPrefix(String($0)) : String($0)
        }
        let directory = components.dropLast().joined(separator: "/")
        let fileName = components.last ?? relativePath
        let baseName = fileName.split(separator: ".").dropLast().joined(separator: ".")
        let top = SourceRange(file: guide.path, at: SourcePosition(line: 1, column: 1))
        let frontMatter = guide.frontMatter
        let localID = frontMatter?.id ?? (baseName.isEmpty ? fileName : baseName)
        id = directory.isEmpty ? localID : directory + "/" + localID
        idRange = frontMatter?["id"]?.range ?? top
        routeRange = frontMatter?["slug"]?.range ?? idRange
        range = frontMatter?.range ?? top
        let routeDirectory = directory.isEmpty ? "" : "/" + directory
        if let slug = frontMatter?.slug {
            route = slug.hasPrefix("/") ? slug : routeDirectory + "/" + slug
        } else if localID.lowercased() == "index" || localID.lowercased() == "readme"
            || localID == components.dropLast().last
        {
            route = routeDirectory.isEmpty ? "/" : routeDirectory
        } else {
            route = routeDirectory + "/" + localID
        }
        while route.count > 1, route.hasSuffix("/") { route.removeLast() }
    }

    /// Docusaurus drops number prefixes used for ordering (`01-intro.md` is the
    /// doc `intro`), but not ones that look like dates or versions (`2021-06-01`, `1.2`).
    static func strippingNumberPrefix(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        var index = 0
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        guard index > 0, index < scalars.count else { return name }
        var separatorEnd = index
        while separatorEnd < scalars.count, " -_.".unicodeScalars.contains(scalars[separatorEnd]) { separatorEnd += 1 }
        guard separatorEnd > index, separatorEnd < scalars.count else { return name }
        // A date or version: digits right after the separator.
        if ("0"..."9").contains(scalars[separatorEnd]) { return name }
        let rest = String(String.UnicodeScalarView(scalars[separatorEnd...]))
        // `01.md` keeps its name: only the extension would remain.
        if rest.lowercased() == "md" || rest.lowercased() == "mdx" { return name }
        return rest
    }
}
