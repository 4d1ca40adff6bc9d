import Foundation
import KBDiagnostics
import KBJSON
import Yams

extension Rule {
    /// A folder's `_category_.json` / `_category_.yml` cannot be read as Docusaurus reads it.
    public static let siteCategory = Rule(
        "site-category", .error,
        summary:
            "A folder's `_category_.json` or `_category_.yml` is not valid JSON or YAML, is not a mapping, or gives a field (`label`, `position`, `collapsed`, `collapsible`, `link`) a value of the wrong type.",
        why:
            "Docusaurus refuses to build the site; kbtool keeps building, with the folder's name as the category's label and the field ignored, so the sidebar no longer says what its authors meant.",
        fix:
            "Correct the file: `label` is a string, `position` a number, `collapsed` and `collapsible` booleans, `link` a mapping with `type: doc` and an `id`, or `type: generated-index`.",
        example: "'position' in _category_.json is a string; expected a number")

    /// Two items of one sidebar level share a position.
    public static let siteCategoryOrder = Rule(
        "site-category-order", .note,
        summary:
            "Two items of one sidebar level (categories or guides) have the same `position` or `sidebar_position`.",
        why:
            "Their order is then decided by their names on disk, which may not be what was meant; kbtool keeps that order stable.",
        fix: "Give each item of the level its own position.",
        example: "category 'Setup' has position 2, as 'Keys' has; they are ordered by folder name")
}

/// What a folder's `_category_.json` (or `.yml`) says about its sidebar category,
/// as Docusaurus reads it: label, position, whether it starts collapsed, and the
/// page its label links to.
struct CategoryMetadata: Sendable, Equatable {
    enum Link: Sendable, Equatable {
        /// `link: {type: doc, id: …}`: a doc id, relative to the docs root.
        case doc(String)
        /// `link: {type: generated-index}`: Docusaurus makes a page listing the category.
        case generatedIndex
        /// `link: null`: no link, even when the folder has an index doc.
        case none
    }

    var label: String?
    var position: Double?
    var collapsed: Bool?
    var collapsible: Bool?
    var link: Link?
    /// The file it came from, as shown in diagnostics.
    var path: String
    var positionRange: SourceRange?
}

/// Reads `_category_.json`, `_category_.yml` or `_category_.yaml` from a folder.
/// Bad input becomes a located `site-category` error and an empty category (the
/// folder's name stays the label); the file is never trusted to be well formed.
enum CategoryFile {
    static let names = ["_category_.json", "_category_.yml", "_category_.yaml"]
    /// Larger files are not category files; they are not read.
    static let maxBytes = 64 * 1024

    /// `folder` is read from disk; `displayFolder` is how diagnostics name it.
    static func read(folder: String, displayFolder: String) -> (CategoryMetadata?, [Diagnostic]) {
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let display = displayFolder.isEmpty ? name : (displayFolder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), data.count <= maxBytes else {
                let source = SourceText(path: display, text: "")
                return (
                    nil,
                    [
                        Diagnostic(
                            .error, .siteCategory, "\(name) cannot be read or is larger than 64 KB; it is ignored",
                            at: source.range(fromByte: 0, toByte: 0))
                    ]
                )
            }
            let source = SourceText(path: display, text: String(decoding: data, as: UTF8.self))
            return name.hasSuffix(".json") ? parseJSON(source) : parseYAML(source)
        }
        return (nil, [])
    }

    /// A field's value, independent of the format it was written in.
    enum Field {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case mapping([(String, Field, SourceRange)])
        case other(String)

        var typeName: String {
            switch self {
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            case .mapping: return "a mapping"
            case .other(let name): return name
            }
        }
    }

    static func parseJSON(_ source: SourceText) -> (CategoryMetadata?, [Diagnostic]) {
        let result = JSONParser.parse(source.text)
        if let issue = result.issues.first(where: { $0.isError }) ?? (result.value == nil ? result.issues.first : nil) {
            return (
                nil,
                [
                    Diagnostic(
                        .error, .siteCategory, "\(fileName(source)) is not valid JSON: \(issue.message)",
                        at: source.range(fromByte: issue.range.lowerBound, toByte: issue.range.upperBound))
                ]
            )
        }
        guard let value = result.value else { return (nil, []) }
        func field(_ value: JSONValue) -> Field {
            switch value.kind {
            case .string(let text): return .string(text)
            case .number(let number): return number.double.map(Field.number) ?? .other("a number out of range")
            case .bool(let flag): return .bool(flag)
            case .null: return .null
            case .object(let members):
                return .mapping(
                    members.map {
                        (
                            $0.key, field($0.value),
                            source.range(fromByte: $0.keyRange.lowerBound, toByte: $0.keyRange.upperBound)
                        )
                    })
            case .array: return .other("a list")
            }
        }
        let range = source.range(fromByte: value.range.lowerBound, toByte: value.range.upperBound)
        return interpret(field(value), range: range, source: source)
    }

    static func parseYAML(_ source: SourceText) -> (CategoryMetadata?, [Diagnostic]) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: source.text)
        } catch {
            var range = SourceRange(file: source.path, at: SourcePosition(line: 1, column: 1))
            if let yamlError = error as? YamlError, case .parser(_, _, let mark, _) = yamlError {
                range = SourceRange(file: source.path, at: SourcePosition(line: mark.line + 1, column: mark.column))
            }
            return (
                nil,
                [Diagnostic(.error, .siteCategory, "\(fileName(source)) is not valid YAML", at: range)]
            )
        }
        guard let node else { return (CategoryMetadata(path: source.path), []) }
        func at(_ node: Node) -> SourceRange {
            guard let mark = node.mark else {
                return SourceRange(file: source.path, at: SourcePosition(line: 1, column: 1))
            }
            return SourceRange(file: source.path, at: SourcePosition(line: mark.line + 1, column: mark.column + 1))
        }
        func field(_ node: Node, depth: Int) -> Field {
            switch node {
            case .scalar(let scalar):
                if scalar.style == .plain {
                    if node.null != nil { return .null }
                    if let flag = node.bool, ["true", "false"].contains(scalar.string.lowercased()) {
                        return .bool(flag)
                    }
                    if let number = node.float, node.int != nil || Double(scalar.string) != nil {
                        return .number(number)
                    }
                }
                return .string(scalar.string)
            case .mapping(let mapping) where depth < 4:
                return .mapping(mapping.map { ($0.key.string ?? "", field($0.value, depth: depth + 1), at($0.key)) })
            case .mapping: return .other("a nested mapping")
            case .sequence: return .other("a list")
            case .alias: return .other("an alias")
            }
        }
        return interpret(field(node, depth: 0), range: at(node), source: source)
    }

    static func fileName(_ source: SourceText) -> String { (source.path as NSString).lastPathComponent }

    /// The fields Docusaurus reads, each checked for its type.
    static func interpret(_ root: Field, range: SourceRange, source: SourceText) -> (CategoryMetadata?, [Diagnostic]) {
        let name = fileName(source)
        guard case .mapping(let fields) = root else {
            return (
                nil,
                [
                    Diagnostic(
                        .error, .siteCategory, "\(name) holds \(root.typeName), not a mapping; it is ignored", at: range
                    )
                ]
            )
        }
        var metadata = CategoryMetadata(path: source.path)
        var diagnostics: [Diagnostic] = []
        func wrongType(_ key: String, _ value: Field, expected: String, at range: SourceRange) {
            diagnostics.append(
                Diagnostic(
                    .error, .siteCategory, "'\(key)' in \(name) is \(value.typeName); expected \(expected)", at: range))
        }
        for (key, value, keyRange) in fields {
            switch (key, value) {
            case ("label", .string(let label)): metadata.label = label
            case ("label", _): wrongType(key, value, expected: "a string", at: keyRange)
            case ("position", .number(let position)):
                metadata.position = position
                metadata.positionRange = keyRange
            case ("position", _): wrongType(key, value, expected: "a number", at: keyRange)
            case ("collapsed", .bool(let flag)): metadata.collapsed = flag
            case ("collapsible", .bool(let flag)): metadata.collapsible = flag
            case ("collapsed", _), ("collapsible", _): wrongType(key, value, expected: "a boolean", at: keyRange)
            case ("link", .null): metadata.link = CategoryMetadata.Link.none
            case ("link", .mapping(let link)):
                let type = link.first { $0.0 == "type" }?.1
                let id = link.first { $0.0 == "id" }?.1
                switch (type, id) {
                case (.string("doc")?, .string(let id)?): metadata.link = .doc(id)
                case (.string("generated-index")?, _): metadata.link = .generatedIndex
                default:
                    diagnostics.append(
                        Diagnostic(
                            .error, .siteCategory,
                            "'link' in \(name) needs 'type: doc' with a string 'id', or 'type: generated-index'",
                            at: keyRange))
                }
            case ("link", _): wrongType(key, value, expected: "a mapping", at: keyRange)
            default: break  // className, customProps, description: nothing kbtool shows.
            }
        }
        return (metadata, diagnostics)
    }
}
