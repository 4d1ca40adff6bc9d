import Foundation
import KBDiagnostics
import KBGuide

extension Rule {
    public static let frontMatterType = Rule(
        "front-matter-type", .error,
        summary:
            "A known Docusaurus field has a value Docusaurus rejects, the front matter is not a mapping, or `id` contains `/`.",
        why:
            "Docusaurus validates these fields and refuses to build the site. YAML typing causes most cases: `title: true` is a boolean, `title: [a, b]` a list, `sidebar_position: first` a string.",
        fix:
            "Give the field the type the message names; quote scalars YAML would read as another type (`title: \"true\"`). For an id, drop the `/` and set `slug` to change the URL.",
        example: "front matter field 'sidebar_position' must be a number, found a string")

    public static let frontMatterUnknownKey = Rule(
        "front-matter-unknown-key", .warning,
        summary: "A front matter field is not a known Docusaurus field but is within a few edits of one.",
        why:
            "Docusaurus ignores unknown fields, so a misspelt `sidebar_label` or `slug` has no effect and the page gets the wrong label or URL without any error.",
        fix:
            "Rename the field to the suggested one (the finding carries the fix). Fields far from every known name are not reported; kbtool's own settings belong under `kbtool:`.",
        example: "unknown front matter field 'sidbar_label'; did you mean 'sidebar_label'?")

    public static let frontMatterSlug = Rule(
        "front-matter-slug", .error,
        summary:
            "A `slug` is empty, has a `.` or `..` segment, contains `\\`, `?`, `#`, `%` or a control character, or is a URL.",
        why:
            "Such a slug puts the page outside its docs folder or yields a route that cannot be served, so links and the sidebar lead somewhere other than the guide.",
        fix:
            "Use a plain path: `/cross-account/kms-bucket` (from the site root) or `kms-bucket` (relative to the folder). Link to external pages from the body instead.",
        example: "slug '../../outside' has a '.' or '..' segment, which would place the page outside its folder")

    public static let frontMatterDuplicateID = Rule(
        "front-matter-duplicate-id", .error,
        summary: "Two guides in one docs folder have the same doc id.",
        why:
            "Docusaurus refuses to build with duplicate doc ids, and sidebars and `pagination_next` references to the id become ambiguous.",
        fix:
            "Give one guide its own `id`, or rename its file. Number prefixes are dropped, so `01-intro.md` and `intro.md` are both the doc `intro`.",
        example: "doc id 'np/intro' is already used by duplicates/np/01-intro.md")

    public static let frontMatterDuplicateSlug = Rule(
        "front-matter-duplicate-slug", .error,
        summary:
            "Two guides in one docs folder resolve to the same route, whether from `slug` or from their path and id.",
        why:
            "Only one page can be served at a route: Docusaurus warns (or fails, with `onDuplicateRoutes: 'throw'`) and links to the other guide land on the wrong page.",
        fix: "Change the `slug` of one guide; where neither has a slug, rename a file or set a distinct `id`.",
        example: "route '/same-route' is already used by duplicates/a.md")
}

/// Checks front matter fields against what Docusaurus accepts, so a guide that
/// kbtool passes also builds with Docusaurus.
public enum FrontMatterCheck {
    /// The shapes a known field may take.
    enum FieldType {
        case string, number, bool, mapping, stringList, tags
        case optionalString
        case headingLevel

        var expectation: String {
            switch self {
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "true or false"
            case .mapping: return "a mapping"
            case .stringList: return "a list of strings"
            case .tags: return "a list of tags (strings, or mappings with 'label' and 'permalink')"
            case .optionalString: return "a string or null"
            case .headingLevel: return "a heading level from 2 to 6"
            }
        }
    }

    /// Docusaurus docs front matter (plugin-content-docs), plus kbtool's own key.
    static let knownFields: [String: FieldType] = [
        "id": .string, "title": .string, "description": .string, "slug": .string, "image": .string,
        "sidebar_label": .string, "sidebar_position": .number, "sidebar_class_name": .string,
        "sidebar_custom_props": .mapping, "displayed_sidebar": .optionalString, "hide_title": .bool,
        "hide_table_of_contents": .bool, "pagination_label": .string, "pagination_next": .optionalString,
        "pagination_prev": .optionalString, "parse_number_prefixes": .bool, "custom_edit_url": .optionalString,
        "keywords": .stringList, "tags": .tags, "draft": .bool, "unlisted": .bool, "last_update": .mapping,
        "toc_min_heading_level": .headingLevel, "toc_max_heading_level": .headingLevel, "kbtool": .mapping,
    ]

    /// Checks one guide's front matter on its own.
    public static func check(_ guide: Guide) -> [Diagnostic] {
        guard let entries = guide.frontMatter?.value.flatMap({ $0.entries }) else {
            if let value = guide.frontMatter?.value {
                return [
                    Diagnostic(
                        .error, .frontMatterType, "front matter must be a mapping of fields, found \(value.typeName)",
                        at: value.range)
                ]
            }
            return []
        }
        var diagnostics: [Diagnostic] = []
        for entry in entries {
            guard let type = knownFields[entry.key] else {
                if let suggestion = Suggestion.closest(to: entry.key, in: knownFields.keys) {
                    diagnostics.append(
                        Diagnostic(
                            .warning, .frontMatterUnknownKey,
                            "unknown front matter field '\(entry.key)'; did you mean '\(suggestion)'?",
                            at: entry.keyRange,
                            fix: FixIt(
                                range: entry.keyRange, replacement: suggestion, message: "rename it to '\(suggestion)'")
                        ))
                }
                continue
            }
            if !matches(entry.value, type) {
                // Point at the offending list element rather than the whole list.
                let culprit = entry.value.sequence?.first { !matchesElement($0, type) } ?? entry.value
                var found = culprit.typeName
                if case .int(let level) = culprit.kind, type == .headingLevel { found = String(level) }
                diagnostics.append(
                    Diagnostic(
                        .error, .frontMatterType,
                        "front matter field '\(entry.key)' must be \(type.expectation), found \(found)",
                        at: culprit.range, notes: quoteHint(entry.value, type, in: guide)))
            }
        }
        if let id = guide.frontMatter?["id"], let text = id.string, text.contains("/") || text.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .error, .frontMatterType, "doc id '\(text)' must be a non-empty name without '/'", at: id.range,
                    notes: ["Docusaurus takes the folder from the file's location; use 'slug' to change the URL"]))
        }
        if let slug = guide.frontMatter?["slug"], let text = slug.string, let problem = slugProblem(text) {
            diagnostics.append(Diagnostic(.error, .frontMatterSlug, "slug '\(text)' \(problem)", at: slug.range))
        }
        return diagnostics
    }

    /// Whether a value has a shape Docusaurus accepts for the field. Its validator
    /// converts as Joi does: numbers and dates become text, "3" a number, "true" a boolean.
    static func matches(_ value: YAMLValue, _ type: FieldType) -> Bool {
        switch (type, value.kind) {
        case (.string, .string), (.string, .int), (.string, .float), (.string, .timestamp),
            (.optionalString, .string), (.optionalString, .int), (.optionalString, .float),
            (.optionalString, .timestamp), (.optionalString, .null),
            (.number, .int), (.number, .float), (.bool, .bool), (.mapping, .mapping):
            return true
        case (.number, .string(let text)):
            return Double(text.trimmingCharacters(in: .whitespaces)) != nil
        case (.bool, .string(let text)):
            return ["true", "false"].contains(text.lowercased())
        case (.stringList, .sequence(let items)), (.tags, .sequence(let items)):
            return items.allSatisfy { matchesElement($0, type) }
        case (.headingLevel, .int(let level)):
            return (2...6).contains(level)
        case (.headingLevel, .string(let text)):
            return Int(text).map { (2...6).contains($0) } ?? false
        default:
            return false
        }
    }

    /// Whether one element of a list field has the right shape.
    static func matchesElement(_ value: YAMLValue, _ type: FieldType) -> Bool {
        let scalar = value.string != nil || value.kind.isNumber
        switch type {
        case .stringList: return scalar
        case .tags: return scalar || value["label"]?.string != nil
        default: return true
        }
    }

    /// `title: true` is YAML for a boolean; say how to keep it as text, quoting
    /// the value exactly as written.
    static func quoteHint(_ value: YAMLValue, _ type: FieldType, in guide: Guide) -> [String] {
        guard type == .string || type == .optionalString, case .bool = value.kind else { return [] }
        let line = Array(guide.source.line(value.range.start.line).unicodeScalars)
        let start = min(value.range.start.column - 1, line.count)
        let end = min(max(value.range.end.column - 1, start), line.count)
        let written = String(String.UnicodeScalarView(line[start..<end]))
        return ["YAML reads this value as \(value.typeName); write it in quotes to keep it as text: \"\(written)\""]
    }

    /// Why a slug cannot be a route inside the site, or nil when it can.
    static func slugProblem(_ slug: String) -> String? {
        if slug.isEmpty { return "is empty" }
        let segments = slug.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." || $0 == "." }) {
            return "has a '.' or '..' segment, which would place the page outside its folder"
        }
        if let bad = slug.unicodeScalars.first(where: {
            $0 == "\\" || $0 == "?" || $0 == "#" || $0 == "%" || $0.value < 0x20
        }) {
            return "contains '\(bad.escaped(asASCII: true))', which cannot appear in a route"
        }
        if slug.contains("://") { return "is a URL, not a path" }
        return nil
    }

    /// Reports pages that claim the same doc id or the same route, as Docusaurus
    /// refuses to build them.
    public static func checkAcrossGuides(_ pages: [PageIdentity]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (key, label, rule) in [
            (\PageIdentity.id, "doc id", Rule.frontMatterDuplicateID),
            (\PageIdentity.route, "route", Rule.frontMatterDuplicateSlug),
        ] as [(KeyPath<PageIdentity, String>, String, Rule)] {
            var first: [String: PageIdentity] = [:]
            for page in pages {
                let value = page[keyPath: key]
                // Ids and routes only clash within one docs folder.
                if let earlier = first[page.root + "\u{0}" + value] {
                    diagnostics.append(
                        Diagnostic(
                            .error, rule, "\(label) '\(value)' is already used by \(earlier.range.file)",
                            at: key == \PageIdentity.id ? page.idRange : page.routeRange,
                            related: [
                                RelatedLocation(
                                    range: key == \PageIdentity.id ? earlier.idRange : earlier.routeRange,
                                    message: "\(label) '\(value)' first defined here")
                            ]))
                } else {
                    first[page.root + "\u{0}" + value] = page
                }
            }
        }
        return diagnostics
    }
}
