import Foundation
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

/// What a JSON block of a guide is.
public enum BlockKind: Sendable, Hashable, CustomStringConvertible {
    case policy(PolicyKind)
    /// A lone statement (`{"Effect": …, "Action": …}`): a fragment of a policy.
    case statement
    /// An S3 default-encryption configuration (`{"Rules": [...]}`).
    case bucketEncryption
    case notPolicy

    public var description: String {
        switch self {
        case .policy(let kind): return kind.displayName
        case .statement: return "policy statement"
        case .bucketEncryption: return "bucket encryption configuration"
        case .notPolicy: return "not a policy"
        }
    }
}

/// A JSON block with its kind, the evidence that decided it, and the prose
/// around it.
public struct PolicyBlock: Sendable {
    public var code: CodeBlock
    public var value: JSONValue
    /// The parsed policy (for policies and, wrapped, for lone statements).
    public var document: PolicyDocument?
    public var kind: BlockKind
    /// In words: "kind=key-policy", "the paragraph before it says 'bucket policy'".
    public var evidence: String
    /// The kind the prose names, when it names one.
    public var proseKind: PolicyKind?
    public var heading: String?
    public var paragraph: String?

    public var policyKind: PolicyKind? {
        if case .policy(let kind) = kind { return kind }
        return nil
    }

    public var title: String? { code.attribute("title") }

    /// How to name the block in a message: its title, else its kind and line.
    public var name: String {
        if let title { return "`\(title)`" }
        return "the \(kind) at line \(code.range.start.line)"
    }
}

/// Finds and classifies a guide's JSON blocks.
public enum PolicyBlocks {
    public static func classify(_ guide: Guide) -> [PolicyBlock] {
        var found: [PolicyBlock] = []
        for (code, heading, paragraph) in contexts(guide.blocks, heading: nil) {
            guard isJSON(code), let value = JSONParser.parse(code.literal, options: options(code)).value else {
                continue
            }
            found.append(classify(code, value: value, heading: heading?.text, paragraph: paragraph?.text))
        }
        return found
    }

    static func classify(_ code: CodeBlock, value: JSONValue, heading: String?, paragraph: String?) -> PolicyBlock {
        var block = PolicyBlock(
            code: code, value: value, document: nil, kind: .notPolicy, evidence: "", heading: heading,
            paragraph: paragraph)
        block.proseKind = paragraph.flatMap(kind(inProse:)) ?? heading.flatMap(kind(inProse:))
        if value["Rules"]?.elements?.first?["ApplyServerSideEncryptionByDefault"] != nil {
            block.kind = .bucketEncryption
            block.evidence = "it has Rules with ApplyServerSideEncryptionByDefault"
            return block
        }
        let locate = code.locator
        if value["Statement"] == nil {
            guard value["Effect"] != nil, value["Action"] != nil || value["NotAction"] != nil else {
                block.evidence = "it has no Statement"
                return block
            }
            // A lone statement: parse it as a one-statement policy for the checks that follow.
            let wrapped = JSONValue(
                .object([
                    JSONMember(key: "Version", keyRange: 0..<0, value: JSONValue(.string("2012-10-17"), range: 0..<0)),
                    JSONMember(key: "Statement", keyRange: value.range, value: value),
                ]), range: value.range)
            block.document = PolicyParser.parse(wrapped, locate: locate).document
            block.kind = .statement
            block.evidence = "it is a single statement without a Statement array"
            return block
        }
        let document = PolicyParser.parse(value, locate: locate).document
        block.document = document
        let hasPrincipal = document.statements.contains { $0.principal != nil }
        if let attribute = code.attribute("kind"), let kind = PolicyKind(attribute: attribute) {
            block.kind = .policy(kind)
            block.evidence = "kind=\(attribute)"
        } else if let title = code.attribute("title"), let kind = PolicyKind(fileName: title) {
            block.kind = .policy(kind)
            block.evidence = "its title '\(title)'"
        } else if let prose = block.proseKind, prose.needsPrincipal == hasPrincipal {
            // The prose decides when the structure agrees with it.
            block.kind = .policy(prose)
            block.evidence =
                paragraph.flatMap(kind(inProse:)) != nil
                ? "the paragraph before it calls it \(Article.a(prose.displayName))"
                : "its heading calls it \(Article.a(prose.displayName))"
        } else {
            let (kind, evidence) = PolicyKind.infer(document)
            block.kind = .policy(kind)
            block.evidence = evidence
        }
        return block
    }

    /// The policy kind a sentence names: "the bucket policy", "KMS key policy",
    /// "an IAM policy in account B", "trust relationship".
    public static func kind(inProse text: String) -> PolicyKind? {
        let lowered = text.lowercased()
        let phrases: [(String, PolicyKind)] = [
            ("trust policy", .trust), ("trust relationship", .trust), ("assume role policy", .trust),
            ("assume-role policy", .trust), ("key policy", .key), ("kms policy", .key), ("kms key policy", .key),
            ("bucket policy", .bucket), ("bucket-policy", .bucket), ("service control polic", .scp), ("scp", .scp),
            ("resource control polic", .rcp), ("rcp", .rcp), ("identity policy", .identity),
            ("identity-based policy", .identity), ("iam policy", .identity), ("inline policy", .identity),
            ("role policy", .identity), ("user policy", .identity), ("permissions policy", .identity),
            ("permission policy", .identity),
        ]
        // The earliest phrase in the text wins: "attach this IAM policy … unlike the bucket policy".
        var best: (index: String.Index, kind: PolicyKind)?
        for (phrase, kind) in phrases {
            guard let found = lowered.range(of: phrase) else { continue }
            // Whole words only for short acronyms (scp, rcp).
            if phrase.count <= 3 {
                let before =
                    found.lowerBound == lowered.startIndex ? " " : lowered[lowered.index(before: found.lowerBound)]
                let after = found.upperBound == lowered.endIndex ? " " : lowered[found.upperBound]
                guard !before.isLetter, !after.isLetter else { continue }
            }
            if best == nil || found.lowerBound < best!.index { best = (found.lowerBound, kind) }
        }
        return best?.kind
    }

    /// Each code block with the nearest heading before it and the paragraph just
    /// before it (when nothing but the paragraph separates them).
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

    static func isJSON(_ code: CodeBlock) -> Bool {
        if let language = code.language { return ["json", "jsonc", "json5"].contains(language) }
        return code.literal.first(where: { !$0.isWhitespace }) == "{"
    }

    static func options(_ code: CodeBlock) -> JSONParser.Options {
        switch code.language {
        case "jsonc": return .jsonc
        case "json5": return .json5
        default: return .strict
        }
    }
}

/// "a bucket policy", "an identity policy".
enum Article {
    static func a(_ noun: String) -> String {
        ("aeiou".contains(noun.first?.lowercased() ?? "") ? "an " : "a ") + noun
    }
}
