import Foundation
import KBDiagnostics
import KBGuide

extension Rule {
    public static let linkBrokenAnchor = Rule(
        "link-anchor", .error,
        summary: "A link's `#fragment` matches no heading id or HTML anchor on the target page.",
        why:
            "A broken anchor fails silently: the reader lands at the top of the page instead of the policy or step the text points to. Anchors are case-sensitive, and a heading's id changes when the heading is reworded. Bold pseudo-headings (`**Example 1**`) have no id, in Docusaurus as anywhere: links to them are dead too.",
        fix:
            "Link to the id kbtool suggests, or pin the heading's id with `{#custom-id}` so rewording it breaks no links. `#` and `#top` always mean the top of the page.",
        example: "link to '#key-policy' on sub/guide-b.md matches no heading or anchor")

    public static let linkBrokenFile = Rule(
        "link-file", .error,
        summary: "A relative link or image points to a file that does not exist.",
        why:
            "The published page shows a dead link or a missing image, often the policy file or diagram a step depends on.",
        fix:
            "Correct the path relative to the guide (kbtool suggests a close sibling) or add the file; `./other` may omit `.md`/`.mdx`. A link without an extension may also be a Docusaurus URL, resolved against the page's route (its slug or id, `index.md`, number prefixes, `routeBasePath` and `trailingSlash` from `docusaurus.config.js`) to a guide of the run. External URLs and site-absolute paths are not checked.",
        example: "link target 'sub/guide-c.md' does not exist")
}

/// Checks that same-page anchors (`#x`) and relative links (`other.md#x`,
/// `img/diagram.png`) resolve, with the same anchor rules as the site. Anchors are
/// case-sensitive, as in browsers. External URLs and site-absolute paths are not
/// fetched or resolved.
public struct LinkCheck {
    /// Returns the anchors of the markdown file at an absolute path, or nil when
    /// it cannot be read as a guide.
    public typealias AnchorLookup = (String) -> [String: SourceRange]?

    let fileExists: (String) -> (exists: Bool, isDirectory: Bool)
    let anchorsOf: AnchorLookup
    /// The guide a link without extension reaches as a Docusaurus URL, from the
    /// linking guide's absolute path; nil when it reaches none.
    let routeTarget: (_ link: String, _ from: String) -> String?
    /// Paths already resolved and looked up: a thousand guides link to the same
    /// few files, and resolving `..` costs a symbolic-link walk each time.
    private let memo = Memo()

    final class Memo {
        var resolved: [String: String] = [:]
        var exists: [String: (Bool, Bool)] = [:]
    }

    public init(anchorsOf: @escaping AnchorLookup) {
        self.init(anchorsOf: anchorsOf, routeTarget: { _, _ in nil })
    }

    init(anchorsOf: @escaping AnchorLookup, routeTarget: @escaping (String, String) -> String?) {
        self.anchorsOf = anchorsOf
        self.routeTarget = routeTarget
        let memo = self.memo
        self.fileExists = { path in
            if let known = memo.exists[path] { return known }
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            memo.exists[path] = (exists, isDirectory.boolValue)
            return (exists, isDirectory.boolValue)
        }
    }

    /// The target's absolute path, `.` and `..` removed lexically, as a browser
    /// resolves a relative URL (a symbolic link in between does not change it).
    private func resolve(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        if let known = memo.resolved[joined] { return known }
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
            } else {
                parts.append(part)
            }
        }
        let standard = "/" + parts.joined(separator: "/")
        memo.resolved[joined] = standard
        return standard
    }

    /// `absolutePath` is where the guide lives, to resolve relative links against.
    public func check(_ guide: Guide, absolutePath: String) -> [Diagnostic] {
        // The lookup caches every checked guide's anchors; no second walk of this one.
        check(links: guide.links, ownAnchors: anchorsOf(absolutePath) ?? guide.anchors, absolutePath: absolutePath)
    }

    /// The same check from a guide's links and anchors alone (as the cache keeps them).
    public func check(links: [Link], ownAnchors: [String: SourceRange], absolutePath: String) -> [Diagnostic] {
        let directory = (absolutePath as NSString).deletingLastPathComponent
        var diagnostics: [Diagnostic] = []
        for link in links {
            guard let target = LinkTarget(link.destination) else { continue }
            if target.path.isEmpty {
                // `#` and `#top` scroll to the top of the page in every browser.
                if let fragment = target.fragment, !fragment.isEmpty, fragment != "top", ownAnchors[fragment] == nil {
                    diagnostics.append(missingAnchor(fragment, in: ownAnchors, link: link, page: "this page"))
                }
                continue
            }
            var resolved = resolve(target.path, in: directory)
            var status = fileExists(resolved)
            if !status.exists, (target.path as NSString).pathExtension.isEmpty {
                // Docusaurus also resolves `./other` to the doc `other.md` next to this one.
                for candidate in [resolved + ".md", resolved + ".mdx"] where fileExists(candidate).exists {
                    resolved = candidate
                    status = fileExists(candidate)
                    break
                }
                // Else it is a URL, resolved against the page's own URL (DocusaurusRoutes).
                if !status.exists, let page = routeTarget(target.path, absolutePath) {
                    resolved = page
                    status = (true, false)
                }
            }
            guard status.exists else {
                diagnostics.append(missingFile(target.path, resolvedPath: resolved, link: link))
                continue
            }
            guard let fragment = target.fragment, !status.isDirectory, Self.isMarkdown(resolved) else { continue }
            guard let anchors = anchorsOf(resolved) else { continue }
            if anchors[fragment] == nil {
                diagnostics.append(missingAnchor(fragment, in: anchors, link: link, page: target.path))
            }
        }
        return diagnostics
    }

    static func isMarkdown(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".md") || lowered.hasSuffix(".mdx")
    }

    private func missingAnchor(_ fragment: String, in anchors: [String: SourceRange], link: Link, page: String)
        -> Diagnostic
    {
        var notes: [String] = []
        var fix: FixIt?
        var related: [RelatedLocation] = []
        let caseMatch = anchors.keys.sorted().first { $0.lowercased() == fragment.lowercased() }
        if let suggestion = caseMatch
            ?? Suggestion.closest(to: fragment, in: anchors.keys.sorted(), caseSensitive: true)
        {
            notes.append(
                caseMatch != nil
                    ? "anchors are case-sensitive: the heading's id is '\(suggestion)'"
                    : "did you mean '#\(suggestion)'?")
            if let range = anchors[suggestion] {
                related.append(RelatedLocation(range: range, message: "'#\(suggestion)' is defined here"))
            }
            fix = fragmentFix(link, fragment: fragment, replacement: suggestion)
            // Only a difference of case has one meaning; a close spelling is a guess.
            fix?.isUnambiguous = caseMatch != nil
        }
        return Diagnostic(
            .error, .linkBrokenAnchor, "link to '#\(fragment)' on \(page) matches no heading or anchor", at: link.range,
            related: related, fix: fix, notes: notes)
    }

    /// Replaces the fragment inside the link's destination, when the destination
    /// text sits on one line exactly as cmark reported it.
    private func fragmentFix(_ link: Link, fragment: String, replacement: String) -> FixIt? {
        let range = link.range
        let length = link.destination.unicodeScalars.count
        guard range.start.line == range.end.line, range.end.column - range.start.column == length,
            let hash = link.destination.unicodeScalars.firstIndex(of: "#")
        else { return nil }
        let offset = link.destination.unicodeScalars.distance(
            from: link.destination.unicodeScalars.startIndex, to: hash)
        let start = SourcePosition(line: range.start.line, column: range.start.column + offset + 1)
        return FixIt(
            range: SourceRange(file: range.file, start: start, end: range.end), replacement: replacement,
            message: "link to '#\(replacement)'")
    }

    private func missingFile(_ path: String, resolvedPath: String, link: Link) -> Diagnostic {
        let kind = link.isImage ? "image" : "link"
        var notes: [String] = []
        let directory = (resolvedPath as NSString).deletingLastPathComponent
        let name = (resolvedPath as NSString).lastPathComponent
        if let siblings = try? FileManager.default.contentsOfDirectory(atPath: directory),
            let suggestion = Suggestion.closest(to: name, in: siblings.sorted())
        {
            notes.append("did you mean '\(suggestion)'?")
        }
        return Diagnostic(
            .error, .linkBrokenFile, "\(kind) target '\(path)' does not exist", at: link.range, notes: notes)
    }
}

/// A link destination split into a local path and a fragment; nil for external URLs
/// and site-absolute paths, which are not checked.
struct LinkTarget {
    var path: String
    var fragment: String?

    init?(_ destination: String) {
        guard !destination.isEmpty, !destination.hasPrefix("/"), !Self.hasScheme(destination) else { return nil }
        var rest = Substring(destination)
        if let hash = rest.firstIndex(of: "#") {
            let raw = String(rest[rest.index(after: hash)...])
            fragment = raw.contains("%") ? (raw.removingPercentEncoding ?? raw) : raw
            rest = rest[..<hash]
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        path = rest.contains("%") ? (String(rest).removingPercentEncoding ?? String(rest)) : String(rest)
    }

    /// `https:`, `mailto:`, `data:` ... (RFC 3986 scheme followed by ':').
    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
    }
}
