import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

/// The stage between parsing and the checks: decides what each code block of a
/// guide is, and reads it once.
///
/// - A `console`, `shell-session` or `sh-session` fence is a transcript;
///   `bash`, `sh`, `shell`, `zsh` are shell commands.
/// - A `json`, `jsonc` or `json5` fence, or a fence without a language whose
///   text starts with `{` or `[`, is JSON text: a policy (kind from `kind=`,
///   else a title that names one, else the prose when the structure agrees,
///   else the structure), a lone statement, an S3 encryption configuration, or
///   other JSON data.
/// - Anything else is other code.
public enum BlockClassifier {
    public static let transcriptLanguages: Set<String> = ["console", "shell-session", "sh-session"]
    public static let shellLanguages: Set<String> = ["bash", "sh", "shell", "zsh"]

    public static func classify(_ guide: Guide) -> ClassifiedGuide {
        let blocks = BlockContext.contexts(guide.blocks, heading: nil).map { code, heading, paragraph in
            classify(code, heading: heading?.text, paragraph: paragraph?.text)
        }
        return ClassifiedGuide(guide: guide, blocks: blocks)
    }

    /// One block, given the nearest heading before it and the paragraph just before it.
    public static func classify(_ code: CodeBlock, heading: String?, paragraph: String?) -> ClassifiedBlock {
        var block = ClassifiedBlock(
            code: code, kind: .other, evidence: "", heading: heading, paragraph: paragraph)
        if let language = code.language, transcriptLanguages.contains(language) {
            block.kind = .transcript
            block.evidence = "its language is \(language)"
            return block
        }
        if let language = code.language, shellLanguages.contains(language) {
            block.kind = .shellCommands
            block.evidence = "its language is \(language)"
            return block
        }
        guard let dialect = dialect(of: code) else {
            block.evidence = code.language.map { "its language is \($0)" } ?? "it has no language and is not JSON"
            return block
        }
        block.dialect = dialect
        let json = JSONParser.parse(code.literal, options: dialect)
        block.json = json
        block.proseKind = paragraph.flatMap(PolicyProse.kind(in:)) ?? heading.flatMap(PolicyProse.kind(in:))
        guard let value = json.value else {
            block.kind = .jsonData
            block.evidence = "its JSON does not parse"
            return block
        }
        classifyJSON(value, into: &block)
        return block
    }

    /// A block is JSON text when its language says so, or when it has no language
    /// and its text starts with `{` or `[` (bare fences holding policies are common).
    public static func dialect(of code: CodeBlock) -> JSONParser.Options? {
        switch code.language {
        case "json": return .strict
        case "jsonc": return .jsonc
        case "json5": return .json5
        case nil:
            let first = code.literal.unicodeScalars.first { !$0.properties.isWhitespace }
            return first == "{" || first == "[" ? .strict : nil
        default:
            return nil
        }
    }

    /// Policy, statement, configuration or data, with the evidence; parses the
    /// policy once for the checks (as written) and for the analysis.
    static func classifyJSON(_ value: JSONValue, into block: inout ClassifiedBlock) {
        let code = block.code
        let locate = code.locator
        let kindAttribute = code.attribute("kind")
        // The checks read a policy as written when it has a Statement or is labelled.
        if kindAttribute != nil || value["Statement"] != nil {
            block.policy = PolicyParser.parse(value, locate: locate)
        }
        block.kind = .jsonData
        if value["Rules"]?.elements?.first?["ApplyServerSideEncryptionByDefault"] != nil {
            block.kind = .configuration(.bucketEncryption)
            block.evidence = "it has Rules with ApplyServerSideEncryptionByDefault"
            return
        }
        guard value["Statement"] != nil, let parsed = block.policy else {
            guard value["Effect"] != nil, value["Action"] != nil || value["NotAction"] != nil else {
                block.evidence = "it has no Statement"
                return
            }
            // A lone statement: parse it as a one-statement policy for the analysis.
            let wrapped = JSONValue(
                .object([
                    JSONMember(key: "Version", keyRange: 0..<0, value: JSONValue(.string("2012-10-17"), range: 0..<0)),
                    JSONMember(key: "Statement", keyRange: value.range, value: value),
                ]), range: value.range)
            block.document = PolicyParser.parse(wrapped, locate: locate).document
            block.kind = .statement
            block.evidence = "it is a single statement without a Statement array"
            return
        }
        let document = parsed.document
        block.document = document
        let hasPrincipal = document.statements.contains { $0.principal != nil }
        if let attribute = kindAttribute, let kind = PolicyKind(attribute: attribute) {
            block.kind = .policy(kind)
            block.evidence = "kind=\(attribute)"
        } else if let title = code.attribute("title"), let kind = PolicyKind(fileName: title) {
            block.kind = .policy(kind)
            block.evidence = "its title '\(title)'"
        } else if let prose = block.proseKind, prose.needsPrincipal == hasPrincipal {
            // The prose decides when the structure agrees with it.
            block.kind = .policy(prose)
            block.evidence =
                block.paragraph.flatMap(PolicyProse.kind(in:)) != nil
                ? "the paragraph before it calls it \(Article.a(prose.displayName))"
                : "its heading calls it \(Article.a(prose.displayName))"
        } else {
            let (kind, evidence) = PolicyKind.infer(document)
            block.kind = .policy(kind)
            block.evidence = evidence
        }
    }
}

/// Each code block with the nearest heading before it and the paragraph just
/// before it (when nothing but the paragraph separates them).
enum BlockContext {
    static func contexts(_ blocks: [Block], heading: Heading?) -> [(CodeBlock, Heading?, Paragraph?)] {
        var result: [(CodeBlock, Heading?, Paragraph?)] = []
        var heading = heading
        var paragraph: Paragraph?
        for block in blocks {
            switch block {
            case .heading(let found):
                heading = found
                paragraph = nil
            case .paragraph(let found):
                paragraph = found
            case .code(let code):
                result.append((code, heading, paragraph))
            case .list, .blockQuote:
                // A block inside a list item sees the item's own paragraph first.
                result += contexts(block.children, heading: heading).map { ($0.0, $0.1, $0.2 ?? paragraph) }
                paragraph = nil
            default:
                break
            }
        }
        return result
    }
}

/// "a bucket policy", "an identity policy".
public enum Article {
    public static func a(_ noun: String) -> String {
        ("aeiou".contains(noun.first?.lowercased() ?? "") ? "an " : "a ") + noun
    }
}
