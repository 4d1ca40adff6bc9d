import KBDiagnostics
import Yams

extension Rule {
    public static let frontMatterYAML = Rule(
        "front-matter-yaml", .error,
        summary: "The front matter is not valid YAML, or repeats a key.",
        why:
            "Docusaurus fails to build the page, and kbtool reads none of its fields: the guide's id, slug and `kbtool:` settings (profiles, Region, variables) are all ignored.",
        fix:
            "Correct the YAML at the reported position: quote values containing `: ` or ` #` or starting with `[`, `{`, `*`, `&` or `@`, and keep each key once.",
        example: "invalid YAML in front matter: did not find expected ',' or ']'")

    public static let frontMatterUnclosed = Rule(
        "front-matter-unclosed", .error,
        summary: "Line 1 opens front matter with `---`, but no later line closes it.",
        why:
            "The fields are not read as front matter: the page loses its id, title and slug, and kbtool checks the file as plain markdown without its `kbtool:` settings.",
        fix:
            "Add a line holding only `---` after the last field, or remove the opening `---` if the file has no front matter.",
        example: "front matter opened with '---' is never closed")

    public static let frontMatterLimit = Rule(
        "front-matter-limit", .error,
        summary: "The front matter is nested deeper than 64 levels or holds more than 20,000 values; it is not read.",
        why:
            "Front matter that size is generated or hostile input; kbtool stops reading it to stay bounded, so none of its fields, `kbtool:` settings included, take effect.",
        fix:
            "Keep front matter to the Docusaurus fields and the `kbtool:` settings; move bulky data into the guide or a separate file.",
        example: "front matter is nested deeper than 64 levels or has more than 20000 values")
}

/// The YAML between `---` lines at the top of a guide, in Docusaurus style.
public struct FrontMatter: Sendable {
    /// The parsed mapping; nil when the YAML is broken or empty.
    public var value: YAMLValue?
    /// From the opening `---` to the closing one, inclusive.
    public var range: SourceRange
    /// The last line of front matter (the closing `---`).
    public var closingLine: Int

    public subscript(key: String) -> YAMLValue? { value?[key] }

    public var id: String? { self["id"]?.scalarText }
    public var title: String? { self["title"]?.scalarText }
    public var slug: String? { self["slug"]?.scalarText }
    public var sidebarLabel: String? { self["sidebar_label"]?.scalarText }
    /// kbtool's own settings live under one key so Docusaurus ignores them.
    public var kbtool: YAMLValue? { self["kbtool"] }
}

/// Finds and parses front matter with Yams, mapping every YAML position back to the file.
enum FrontMatterReader {
    /// Hostile YAML (deep nesting, alias bombs) is cut off at these sizes.
    static let maxDepth = 64
    static let maxNodes = 20_000

    /// Returns nil when the file has no front matter. An opening `---` with no
    /// closing line is reported, and the file is then read as plain markdown.
    static func read(_ source: SourceText) -> (FrontMatter?, [Diagnostic]) {
        guard source.lineCount >= 1, isFence(source.line(1)) else { return (nil, []) }
        guard
            let closing = (2...max(source.lineCount, 2)).first(where: {
                $0 <= source.lineCount && isFence(source.line($0))
            })
        else {
            let diagnostic = Diagnostic(
                .error, .frontMatterUnclosed, "front matter opened with '---' is never closed",
                at: source.range(fromByte: 0, toByte: source.lineEnds[0]),
                notes: ["add a line '---' after the last front matter field"])
            return (nil, [diagnostic])
        }
        let range = SourceRange(
            file: source.path, start: SourcePosition(line: 1, column: 1),
            end: SourcePosition(line: closing, column: 4))
        let yaml = (2..<closing).map { source.line($0) }.joined(separator: "\n")
        var frontMatter = FrontMatter(value: nil, range: range, closingLine: closing)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            return (frontMatter, [yamlDiagnostic(error, source: source, yaml: yaml)])
        }
        guard let node else { return (frontMatter, []) }
        var budget = Budget()
        let value = convert(node, source: source, depth: 0, budget: &budget)
        if budget.exceeded {
            return (
                frontMatter,
                [
                    Diagnostic(
                        .error, .frontMatterLimit,
                        "front matter is nested deeper than \(maxDepth) levels or has more than \(maxNodes) values",
                        at: range)
                ]
            )
        }
        frontMatter.value = value
        return (frontMatter, [])
    }

    static func isFence(_ line: String) -> Bool {
        line.trimmingTrailingWhitespace() == "---"
    }

    struct Budget {
        var nodes = 0
        var exceeded = false
    }

    static func convert(_ node: Node, source: SourceText, depth: Int, budget: inout Budget) -> YAMLValue {
        let range = valueRange(node, source: source)
        budget.nodes += 1
        guard depth < maxDepth, budget.nodes <= maxNodes else {
            budget.exceeded = true
            return YAMLValue(.null, range: range)
        }
        switch node {
        case .scalar(let scalar):
            return YAMLValue(scalarKind(scalar, node: node), range: range)
        case .sequence(let sequence):
            return YAMLValue(
                .sequence(sequence.map { convert($0, source: source, depth: depth + 1, budget: &budget) }), range: range
            )
        case .mapping(let mapping):
            var entries: [YAMLEntry] = []
            for (key, value) in mapping {
                if budget.exceeded { break }
                entries.append(
                    YAMLEntry(
                        key: key.string ?? "", keyRange: valueRange(key, source: source, isKey: true),
                        value: convert(value, source: source, depth: depth + 1, budget: &budget)))
            }
            return YAMLValue(.mapping(entries), range: range)
        case .alias:
            return YAMLValue(.null, range: range)
        }
    }

    static func scalarKind(_ scalar: Node.Scalar, node: Node) -> YAMLValue.Kind {
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case Tag.Name.bool:
            // YAML 1.1 (Yams) reads yes/no/on/off as booleans; Docusaurus reads front
            // matter as YAML 1.2 (js-yaml), where only true and false are.
            guard ["true", "false"].contains(scalar.string.lowercased()) else { return .string(scalar.string) }
            return node.bool.map { .bool($0) } ?? .string(scalar.string)
        case Tag.Name.int: return node.int.map { .int($0) } ?? .string(scalar.string)
        case Tag.Name.float: return node.float.map { .float($0) } ?? .string(scalar.string)
        case Tag.Name.null: return .null
        case Tag.Name.timestamp: return .timestamp(scalar.string)
        default: return .string(scalar.string)
        }
    }

    /// A node's range in the file: from its mark to the end of its text on that
    /// line (a quoted scalar to its closing quote, a key to its colon).
    static func valueRange(_ node: Node, source: SourceText, isKey: Bool = false) -> SourceRange {
        guard let mark = node.mark else {
            return SourceRange(file: source.path, at: SourcePosition(line: 2, column: 1))
        }
        let line = mark.line + 1
        let scalars = Array(source.line(line).unicodeScalars)
        let start = min(max(mark.column - 1, 0), scalars.count)
        var end = start
        if start < scalars.count, scalars[start] == "\"" || scalars[start] == "'" {
            let quote = scalars[start]
            var index = start + 1
            while index < scalars.count, scalars[index] != quote {
                index += scalars[index] == "\\" && quote == "\"" ? 2 : 1
            }
            end = min(index + 1, scalars.count)
        } else if case .scalar = node {
            end = scalars.count
            for index in start..<scalars.count {
                let next = index + 1 < scalars.count ? scalars[index + 1] : " "
                if isKey, scalars[index] == ":", next == " " || next == "\t" {
                    end = index
                    break
                }
                if scalars[index] == "#", index > start, scalars[index - 1] == " " {
                    end = index
                    break
                }
            }
            while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        }
        return SourceRange(
            file: source.path, start: SourcePosition(line: line, column: start + 1),
            end: SourcePosition(line: line, column: end + 1))
    }

    static func yamlDiagnostic(_ error: any Error, source: SourceText, yaml: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceRange {
            SourceRange(file: source.path, at: SourcePosition(line: mark.line + 1, column: mark.column))
        }
        let whole = SourceRange(file: source.path, at: SourcePosition(line: 2, column: 1))
        guard let yamlError = error as? YamlError else {
            return Diagnostic(.error, .frontMatterYAML, "front matter is not valid YAML: \(error)", at: whole)
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var related: [RelatedLocation] = []
            if let context, context.mark.line != mark.line || context.mark.column != mark.column {
                related.append(RelatedLocation(range: at(context.mark), message: context.text))
            }
            return Diagnostic(
                .error, .frontMatterYAML, "invalid YAML in front matter: \(problem)", at: at(mark), related: related)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(
                .error, .frontMatterYAML,
                "front matter repeats the key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", "))",
                at: at(context.mark))
        case .reader(let problem, let offset, _, _):
            var range = whole
            if let offset, offset <= yaml.unicodeScalars.count {
                let prefix = yaml.unicodeScalars.prefix(offset)
                let line = prefix.filter { $0 == "\n" }.count
                let column =
                    prefix.count
                    - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0)
                range = SourceRange(file: source.path, at: SourcePosition(line: line + 2, column: column + 1))
            }
            return Diagnostic(.error, .frontMatterYAML, "front matter cannot be read as YAML: \(problem)", at: range)
        default:
            return Diagnostic(.error, .frontMatterYAML, "front matter is not valid YAML: \(yamlError)", at: whole)
        }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
