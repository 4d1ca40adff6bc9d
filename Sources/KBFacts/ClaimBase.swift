import Foundation
import KBDiagnostics
import Yams

extension Rule {
    /// `claims.yml` or `prose-rules.yml` is malformed.
    public static let factsFile = Rule(
        "facts-file", .error,
        summary:
            "`claims.yml` or `prose-rules.yml` is malformed: YAML errors, missing fields, an unknown status, a duplicate id.",
        why: "Claims that cannot be read check nothing, so facts pass or fail for the wrong reason.",
        fix:
            "Each claim needs id, statement and status (holds, outdated or false; outdated and false need since); terms need term and use."
    )
}

/// A claim the knowledge base keeps: what is true (or no longer is) about S3
/// and KMS, since when, where it is documented and where it is shown.
public struct Claim: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case holds, outdated, `false`
    }

    public var id: String
    public var statement: String
    public var status: Status
    /// When it became true, or stopped being true (`2021-06-16`).
    public var since: String?
    public var source: String?
    /// A guide anchor or transcript that demonstrates it (`guide.md#heading`).
    public var demonstration: String?
    /// Words and phrases a fact about this claim would use.
    public var keywords: [String]
    /// Phrases that state the claim, searched anywhere in guides' text when the
    /// claim is outdated or false.
    public var phrases: [String]
    /// What is true now, for an outdated or false claim.
    public var now: String?
    /// The proposition's contradiction in one plain sentence: a fact closer to
    /// it than to the statement denies the claim.
    public var negation: String?
    /// Backed by a probe, or by its source alone.
    public var proof: Proof = .documented
    /// The scenario whose passing proves the claim (for a false claim, its
    /// negation; for an outdated one, what holds now).
    public var probe: ClaimProbe?
    /// Where its `id` is written (in the built-in base, the embedded file).
    public var range: SourceRange
    /// Built into kbtool, or from a project's claims.yml.
    public var origin: ClaimOrigin = .project
    /// A project claim that replaces the built-in claim with its id.
    public var overridesBuiltIn = false
    /// Whether the claims file says `proof:` or `probe:` (a replacement that
    /// says neither keeps the built-in probe).
    var proofStated = false
}

/// Where a claim or a term comes from.
public enum ClaimOrigin: Sendable, Hashable {
    /// kbtool's own knowledge base, compiled in.
    case builtIn
    /// A project's claims.yml or prose-rules.yml (the claim's range names it).
    case project
}

extension Claim {
    /// "built into kbtool", or "content/claims.yml:12": for `kbtool explain` and
    /// the site's claims page.
    public var originDescription: String {
        switch origin {
        case .builtIn: return "built into kbtool"
        case .project:
            let place = "\(range.file):\(range.start.line)"
            return overridesBuiltIn ? "\(place) (replacing the built-in claim)" : place
        }
    }
}

/// A term guides should no longer use, and its replacement.
public struct DeprecatedTerm: Sendable, Hashable {
    public var term: String
    /// Other spellings: plurals, abbreviations (`CMK`).
    public var forms: [String]
    public var use: String
    public var since: String?
    public var source: String?
    public var origin: ClaimOrigin = .project
}

/// The knowledge base's claims and prose rules: kbtool's built-in ones (see
/// BuiltInKnowledge.swift), extended by `claims.yml` and `prose-rules.yml` at
/// the knowledge base's root.
public struct ClaimBase: Sendable {
    public var claims: [Claim] = []
    public var terms: [DeprecatedTerm] = []
    /// Extra synonyms: each list's words count as one when matching facts.
    public var synonyms: [[String]] = []
    public var sources: [String: SourceText] = [:]
    /// `disable:` in claims.yml: built-in claims this project drops, with where
    /// each is named.
    public var disabledClaims: [(id: String, range: SourceRange)] = []
    /// `disable:` in prose-rules.yml: built-in terms this project drops.
    public var disabledTerms: [(term: String, range: SourceRange)] = []

    public init() {}

    public static let claimsFile = "claims.yml"
    public static let proseRulesFile = "prose-rules.yml"

    /// The built-in base extended by the files of the first folder that has
    /// either (see ``extend(with:)``).
    public static func load(folders: [String], display: (String) -> String) -> (ClaimBase, [Diagnostic]) {
        let (project, found) = loadProject(folders: folders, display: display)
        var (base, diagnostics) = builtIn
        diagnostics += found
        diagnostics += base.extend(with: project)
        return (base, diagnostics)
    }

    /// Reads a project's two files from the first folder that has either.
    public static func loadProject(folders: [String], display: (String) -> String) -> (ClaimBase, [Diagnostic]) {
        var base = ClaimBase()
        var diagnostics: [Diagnostic] = []
        for folder in folders {
            let claimsPath = (folder as NSString).appendingPathComponent(claimsFile)
            let rulesPath = (folder as NSString).appendingPathComponent(proseRulesFile)
            let claims = FileManager.default.contents(atPath: claimsPath)
            let rules = FileManager.default.contents(atPath: rulesPath)
            guard claims != nil || rules != nil else { continue }
            if let claims {
                let source = SourceText(path: display(claimsPath), text: String(decoding: claims, as: UTF8.self))
                base.sources[source.path] = source
                diagnostics += base.readClaims(source)
            }
            if let rules {
                let source = SourceText(path: display(rulesPath), text: String(decoding: rules, as: UTF8.self))
                base.sources[source.path] = source
                diagnostics += base.readRules(source)
            }
            break
        }
        return (base, diagnostics)
    }

    // MARK: - Reading

    mutating func readClaims(_ source: SourceText) -> [Diagnostic] {
        var reader = YAMLReader(source: source)
        guard let root = reader.root() else { return reader.diagnostics }
        guard let mapping = root.mapping else { return reader.diagnostics }
        for (key, value) in mapping {
            switch key.string {
            case "claims":
                for node in value.sequence.map(Array.init) ?? [] {
                    if let claim = reader.claim(node) { claims.append(claim) }
                }
            case "disable":
                for node in reader.names(value, what: "claim ids") {
                    disabledClaims.append((node.string ?? "", reader.range(node)))
                }
            case "synonyms":
                for node in value.sequence.map(Array.init) ?? [] {
                    let words = node.sequence?.compactMap { $0.string } ?? []
                    if words.count > 1 {
                        synonyms.append(words)
                    } else {
                        reader.complain("a synonym list needs two or more words", node)
                    }
                }
            default:
                reader.complain(
                    "unknown key '\(key.string ?? "")' in \(source.path); use 'claims', 'synonyms' or 'disable'", key)
            }
        }
        var seen: Set<String> = []
        for claim in claims where !seen.insert(claim.id).inserted {
            reader.diagnostics.append(
                Diagnostic(.error, .factsFile, "claim id '\(claim.id)' is used twice", at: claim.range))
        }
        return reader.diagnostics
    }

    mutating func readRules(_ source: SourceText) -> [Diagnostic] {
        var reader = YAMLReader(source: source)
        guard let root = reader.root() else { return reader.diagnostics }
        guard let mapping = root.mapping else { return reader.diagnostics }
        for (key, value) in mapping {
            switch key.string {
            case "terms":
                for node in value.sequence.map(Array.init) ?? [] {
                    guard let term = node["term"]?.string, let use = node["use"]?.string, !term.isEmpty, !use.isEmpty,
                        (node["forms"]?.sequence.map(Array.init) ?? []).allSatisfy({ !($0.string ?? "").isEmpty })
                    else {
                        reader.complain("a deprecated term needs a non-empty 'term', 'use' and forms", node)
                        continue
                    }
                    terms.append(
                        DeprecatedTerm(
                            term: term, forms: node["forms"]?.sequence?.compactMap { $0.string } ?? [], use: use,
                            since: node["since"]?.string, source: node["source"]?.string))
                }
            case "disable":
                for node in reader.names(value, what: "terms") {
                    disabledTerms.append((node.string ?? "", reader.range(node)))
                }
            default:
                reader.complain("unknown key '\(key.string ?? "")' in \(source.path); use 'terms' or 'disable'", key)
            }
        }
        return reader.diagnostics
    }
}

/// Yams nodes with located complaints.
struct YAMLReader {
    let source: SourceText
    var diagnostics: [Diagnostic] = []

    mutating func root() -> Node? {
        do {
            // Every field is read as a string, so scalars need no type resolution
            // (the default resolver's regular expressions were most of the parse).
            guard let node = try Yams.compose(yaml: source.text, .basic) else { return nil }
            guard node.mapping != nil else {
                complain("\(source.path) must be a mapping", node)
                return nil
            }
            return node
        } catch {
            diagnostics.append(
                Diagnostic(
                    .error, .factsFile, "\(source.path) is not valid YAML: \(error)",
                    at: SourceRange(file: source.path, at: .init(line: 1, column: 1))))
            return nil
        }
    }

    func range(_ node: Node?) -> SourceRange {
        guard let mark = node?.mark else { return SourceRange(file: source.path, at: .init(line: 1, column: 1)) }
        return SourceRange(
            file: source.path, start: .init(line: mark.line, column: mark.column),
            end: .init(line: mark.line, column: mark.column + max(node?.string?.unicodeScalars.count ?? 1, 1)))
    }

    mutating func complain(_ message: String, _ node: Node?) {
        diagnostics.append(Diagnostic(.error, .factsFile, message, at: range(node)))
    }

    /// A `disable:` list: non-empty strings, each located.
    mutating func names(_ value: Node, what: String) -> [Node] {
        guard let items = value.sequence.map(Array.init), items.allSatisfy({ !($0.string ?? "").isEmpty }) else {
            complain("'disable' must be a list of \(what)", value)
            return []
        }
        return items
    }

    mutating func claim(_ node: Node) -> Claim? {
        guard let id = node["id"]?.string, let statement = node["statement"]?.string else {
            complain("a claim needs an 'id' and a 'statement'", node)
            return nil
        }
        let statusText = node["status"]?.string ?? "holds"
        guard let status = Claim.Status(rawValue: statusText) else {
            complain("claim '\(id)': status must be holds, outdated or false", node["status"])
            return nil
        }
        if (node["phrases"]?.sequence.map(Array.init) ?? []).contains(where: { ($0.string ?? "").isEmpty }) {
            complain("claim '\(id)': a phrase is empty and would match everywhere", node["phrases"])
            return nil
        }
        if status != .holds && node["since"] == nil {
            complain("claim '\(id)' is \(status.rawValue): say since when, with 'since'", node)
        }
        var probe: ClaimProbe?
        if let probeNode = node["probe"] {
            guard let read = self.probe(probeNode, claim: id) else { return nil }
            probe = read
        }
        let proofText = node["proof"]?.string ?? (probe == nil ? "documented" : "probe")
        guard let proof = Proof(rawValue: proofText), (proof == .probe) == (probe != nil) else {
            complain(
                "claim '\(id)': proof must be 'probe' (with a probe) or 'documented' (without one)",
                node["proof"] ?? node)
            return nil
        }
        var claim = Claim(
            id: id, statement: statement, status: status, since: node["since"]?.string,
            source: node["source"]?.string, demonstration: node["demonstration"]?.string,
            keywords: node["keywords"]?.sequence?.compactMap { $0.string } ?? [],
            phrases: node["phrases"]?.sequence?.compactMap { $0.string } ?? [], now: node["now"]?.string,
            range: range(node["id"]))
        claim.negation = node["negation"]?.string
        claim.proof = proof
        claim.proofStated = node["proof"] != nil || probe != nil
        claim.probe = probe
        return claim
    }
}
