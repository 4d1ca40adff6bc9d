import Foundation
import KBBlocks
import KBChecks
import KBDiagnostics
import KBGuide

/// A guide's place in the site: where its page goes and how the sidebar names it.
public struct SitePage: Sendable {
    public var file: InputFile
    /// What verification found, with the page's metadata, and the guide when
    /// verification kept it.
    public var result: GuideResult
    /// What the site needs of the guide besides its article.
    public var metadata: PageMetadata { result.page! }
    /// The page's file in the site, e.g. `kms/setup/index.html`.
    public var outputPath: String
    public var title: String
    public var sidebarLabel: String
    public var position: Double?
    /// Folders above the page as named on disk (`01-setup`), outermost first;
    /// with several content folders, the page's own (absolute) comes first.
    public var folders: [String]
    /// The Docusaurus doc id (`kms/setup`), which `_category_.json` links name.
    public var docID: String

    /// The parsed guide: the one verification kept, else parsed again from its
    /// file (a large site's build does not hold every parsed guide at once).
    func parsedGuide() -> Guide? {
        if let guide = result.guide?.guide ?? result.parsed { return guide }
        guard let data = FileManager.default.contents(atPath: file.absolutePath) else { return nil }
        return GuideParser.parse(path: file.displayPath, bytes: Array(data))
    }

    /// `../` repeated to reach the site's root from this page.
    public var root: String { SitePaths.root(of: outputPath) }
}

/// Why a route cannot be a folder of the site.
struct RouteProblem: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

enum SitePaths {
    static func root(of outputPath: String) -> String {
        String(repeating: "../", count: outputPath.split(separator: "/").count - 1)
    }

    /// The output folder for a route, or why the route cannot be one. A route is
    /// written under the site folder only: `..`, `.`, empty segments beyond
    /// slashes, backslashes and control characters are refused.
    static func outputPath(forRoute route: String) -> Result<String, RouteProblem> {
        let segments = route.split(separator: "/", omittingEmptySubsequences: true)
        if let first = segments.first, reservedFirstSegments.contains(first.lowercased()) {
            return .failure(RouteProblem(text: "is reserved for the site's own files ('\(first)')"))
        }
        for segment in segments {
            if segment == ".." || segment == "." { return .failure(RouteProblem(text: "has a '\(segment)' segment")) }
            if segment.hasPrefix(".") { return .failure(RouteProblem(text: "has a hidden segment '\(segment)'")) }
            if let bad = segment.unicodeScalars.first(where: {
                $0 == "\\" || $0.value < 0x20 || $0 == "\u{7F}" || $0 == ":"
            }) {
                return .failure(RouteProblem(text: "contains '\(bad.escaped(asASCII: true))'"))
            }
        }
        if segments.isEmpty { return .success("index.html") }
        return .success(segments.joined(separator: "/") + "/index.html")
    }

    /// Where the site keeps its own files: no page may take these names.
    static let reservedFirstSegments: Set<String> = [
        "index.html", "404.html", "assets", "media", "claims", SiteWriter.marker,
    ]

    /// A site path as an href: each segment percent-encoded, so `#`, `?`, `%`
    /// and spaces in a slug or file name stay part of the path.
    static func href(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? String(segment)
        }.joined(separator: "/")
    }

    /// RFC 3986 path characters minus the ones that end or escape a path.
    static let segmentCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        set.insert(charactersIn: "-._~!$&'()*+,;=:@")
        return set
    }()

    /// Whether a relative path stays inside the folder it is relative to.
    static func isContained(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/") else { return false }
        return !relative.split(separator: "/", omittingEmptySubsequences: false).contains {
            $0.isEmpty || $0 == ".." || $0 == "."
        }
    }

    /// A link from one site file to another.
    static func link(from page: String, to target: String) -> String {
        root(of: page) + href(target)
    }
}
