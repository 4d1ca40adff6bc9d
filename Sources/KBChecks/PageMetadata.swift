import Crypto
import Foundation
import KBDiagnostics
import KBGuide

/// What a site needs of a guide to place it (title, sidebar label and
/// position, description, edit link, section headings, a digest of its
/// bytes), taken while the guide is parsed for checking and kept in the cache,
/// so that a build can lay out the site without parsing unchanged guides, and
/// without holding every parsed guide in memory.
public struct PageMetadata: Sendable, Codable, Hashable {
    /// A section heading, by the id a link reaches it with.
    public struct Section: Sendable, Codable, Hashable {
        public var id: String
        public var text: String
    }

    /// Front matter `title`.
    public var title: String?
    /// A level-1 heading that opens the guide.
    public var firstHeading: String?
    public var sidebarLabel: String?
    public var sidebarPosition: Double?
    public var description: String?
    /// `draft: true`: left out of the site, as Docusaurus's production builds do.
    public var draft: Bool
    /// Front matter `custom_edit_url` was given (a URL, or null for no link).
    public var hasCustomEditURL: Bool
    public var customEditURL: String?
    public var headings: [Section]
    /// The SHA-256 of the guide's bytes, hex.
    public var sha256: String

    public init(_ guide: Guide) {
        let frontMatter = guide.frontMatter
        title = frontMatter?.title
        firstHeading = guide.blocks.first.flatMap { block -> String? in
            if case .heading(let heading) = block, heading.level == 1 { return heading.text }
            return nil
        }
        sidebarLabel = frontMatter?.sidebarLabel
        sidebarPosition = frontMatter?["sidebar_position"].flatMap { value -> Double? in
            if case .int(let number) = value.kind { return Double(number) }
            if case .float(let number) = value.kind { return number }
            return value.scalarText.flatMap(Double.init)
        }
        description = frontMatter?["description"]?.scalarText
        if case .bool(true) = frontMatter?["draft"]?.kind { draft = true } else { draft = false }
        let custom = frontMatter?["custom_edit_url"]
        hasCustomEditURL = custom != nil
        customEditURL = custom?.scalarText
        headings = guide.headings.map { Section(id: $0.customID ?? $0.anchor, text: $0.text) }
        sha256 = SHA256.hash(data: guide.source.bytes).map { String(format: "%02x", $0) }.joined()
    }
}
