import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

/// The stage between parsing and the checks: decides what each code block of a
/// guide is, how sure it is, and reads it once.
///
/// - A `console`, `shell-session` or `sh-session` fence is a transcript;
///   `bash`, `sh`, `shell`, `zsh` are shell commands (unless their lines are an
///   AWS CLI configuration file).
/// - A bare fence whose text starts with `[` may be log lines or a CLI
///   configuration file; one whose lines are each a JSON document is JSON Lines.
/// - A `json`, `jsonc` or `json5` fence, or a fence without a language whose
///   text starts with `{` or `[`, is JSON text, read with the conventions of
///   documentation set aside (``JSONReading``): a policy (kind from `kind=`, else
///   a title that names one, else another service's policy by its actions or
///   prose, else the prose when the structure agrees, else the structure), a
///   statement or statements shown as an excerpt, an S3 encryption
///   configuration, an illustration that is not meant to parse, or other JSON data.
/// - Anything else is other code.
public enum BlockClassifier {
    public static let transcriptLanguages: Set<String> = ["console", "shell-session", "sh-session"]
    public static let shellLanguages: Set<String> = ["bash", "sh", "shell", "zsh"]

    public static func classify(_ guide: Guide) -> ClassifiedGuide {
        let blocks = BlockContext.contexts(guide.blocks).map { context in
            var block = classify(context.code, heading: context.heading?.text, paragraph: context.paragraph?.text)
            block.section = context.section
            block.steps = context.steps
            return block
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
            block.confidence = .stated
            return block
        }
        if let language = code.language, shellLanguages.contains(language) {
            if TextShape.isINI(code.literal) {
                block.kind = .cliConfig
                block.evidence = "its lines are [section] headers and key = value settings"
                block.confidence = .inferred
                return block
            }
            block.kind = .shellCommands
            block.evidence = "its language is \(language)"
            block.confidence = .stated
            return block
        }
        guard let dialect = dialect(of: code) else {
            block.evidence = code.language.map { "its language is \($0)" } ?? "it has no language and is not JSON"
            block.confidence = code.language == nil ? .guessed : .stated
            return block
        }
        if code.language == nil, let kind = textKind(code.literal) {
            block.kind = kind.kind
            block.evidence = kind.evidence
            block.confidence = .inferred
            return block
        }
        block.dialect = dialect
        block.confidence = block.isTaggedJSON ? .stated : .inferred
        let reading = JSONReading.read(code.literal, options: dialect)
        block.json = reading.result
        block.liberties = reading.liberties
        block.proseKind = paragraph.flatMap(PolicyProse.kind(in:)) ?? heading.flatMap(PolicyProse.kind(in:))
        if reading.result.issues.contains(where: \.isError), let marker = TextShape.illustrationMarker(code.literal) {
            block.kind = .illustration
            block.evidence = "it has \(marker)"
            return block
        }
        guard let value = reading.result.value else {
            block.kind = .jsonData
            block.evidence = "its JSON does not parse"
            if !block.isTaggedJSON { block.confidence = .guessed }
            return block
        }
        classifyJSON(value, into: &block)
        if block.isExcerpt {
            block.evidence += " (an excerpt: " + reading.liberties.map(\.description).joined(separator: ", ") + ")"
        }
        return block
    }

    /// Bare-fence text that starts like JSON but is something else.
    static func textKind(_ text: String) -> (kind: BlockKind, evidence: String)? {
        if TextShape.isBracketedPrompt(text) {
            return (.shellCommands, "its first line is a shell prompt in brackets ([user@host dir]$)")
        }
        if TextShape.isLog(text) { return (.logLines, "its first line opens with a bracketed timestamp") }
        if TextShape.isINI(text) { return (.cliConfig, "its lines are [section] headers and key = value settings") }
        if TextShape.isJSONLines(text) { return (.jsonLines, "each of its lines is a JSON document") }
        return nil
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

    /// Whether a JSON value is a policy statement.
    static func isStatement(_ value: JSONValue) -> Bool {
        value["Effect"] != nil && (value["Action"] != nil || value["NotAction"] != nil)
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
            // A lone statement, or statements one after another: an excerpt of a policy,
            // parsed as a policy of those statements for the analysis.
            let statements = value.elements.map { $0.filter(isStatement) } ?? (isStatement(value) ? [value] : [])
            guard !statements.isEmpty else {
                block.evidence = "it has no Statement"
                return
            }
            let list = value.elements == nil ? value : JSONValue(.array(statements), range: value.range)
            let wrapped = JSONValue(
                .object([
                    JSONMember(key: "Version", keyRange: 0..<0, value: JSONValue(.string("2012-10-17"), range: 0..<0)),
                    JSONMember(key: "Statement", keyRange: value.range, value: list),
                ]), range: value.range)
            block.document = PolicyParser.parse(wrapped, locate: locate).document
            block.kind = .statement
            block.evidence =
                value.elements == nil
                ? "it is a single statement without a Statement array"
                : "it is \(statements.count) statements without a Statement array"
            return
        }
        let document = parsed.document
        block.document = document
        let hasPrincipal = document.statements.contains { $0.principal != nil }
        let serviceProse =
            hasPrincipal
            ? (block.paragraph.flatMap(PolicyProse.servicePolicy(in:))
                ?? block.heading.flatMap(PolicyProse.servicePolicy(in:))) : nil
        if let attribute = kindAttribute, let kind = PolicyKind(attribute: attribute) {
            block.kind = .policy(kind)
            block.evidence = "kind=\(attribute)"
            block.confidence = .stated
        } else if let title = code.attribute("title"), let kind = PolicyKind(fileName: title) {
            block.kind = .policy(kind)
            block.evidence = "its title '\(title)'"
            block.confidence = .stated
        } else if let name = ServicePolicy.name(of: document) {
            block.kind = .servicePolicy(name)
            block.evidence = "it has a Principal and only actions of a service whose policies kbtool does not model"
        } else if let name = serviceProse {
            block.kind = .servicePolicy(name)
            block.evidence = "the text around it calls it \(Article.a(name))"
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

/// "a bucket policy", "an identity policy".
public enum Article {
    public static func a(_ noun: String) -> String {
        ("aeiou".contains(noun.first?.lowercased() ?? "") ? "an " : "a ") + noun
    }
}
