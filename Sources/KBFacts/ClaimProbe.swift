import Foundation
import KBDiagnostics
import Yams

/// How a claim is backed: by a probe the engine runs, or by its source alone
/// (prices, quotas, history: what no probe can express).
public enum Proof: String, Sendable, Hashable, CaseIterable {
    case probe, documented
}

/// What this run established about a claim: its probe passed (`proved`), it
/// has none and rests on its source (`documented`), or its probe failed.
public enum ProofState: String, Sendable, Hashable, Codable {
    case proved, documented, failed
}

/// A claim's probe: a guide without the prose. The `kbtool:` setup of a
/// guide's front matter, the files its profiles and `file://` arguments name,
/// and one console transcript (KnowledgeBase/README.md, "A probe").
public struct ClaimProbe: Sendable, Hashable {
    /// Engine features the probe was written for (documentation only now that
    /// every feature exists).
    public var needs: [String]
    /// The `kbtool:` mapping, as YAML text.
    public var setup: String
    /// Titled blocks, in file order.
    public var files: [File]
    public var transcript: String
    /// The claims file's line holding the transcript's first line, so a failing
    /// command is reported where it is written.
    public var transcriptLine: Int
    /// Where `probe:` is written.
    public var range: SourceRange

    public struct File: Sendable, Hashable {
        public var name: String
        public var text: String
    }

    /// Everything the probe's outcome depends on (with the claim's id, its seed).
    public func fingerprintText(claim: String) -> String {
        ([claim, setup, transcript] + files.flatMap { [$0.name, $0.text] }).joined(separator: "\u{0}")
    }

    /// The probe as a guide: front matter with the setup (seeded with the
    /// claim's id unless it names a seed), each file a titled block, then the
    /// transcript. Returns the guide's text and the guide line of the
    /// transcript's first line.
    public func guideText(claim: String) -> (text: String, transcriptLine: Int) {
        let quoted = "\"" + claim.filter { $0 != "\"" && $0 != "\\" && !$0.isNewline } + "\""
        var lines = ["---", "id: \(quoted)", "kbtool:"]
        let setupLines = setup.split(separator: "\n", omittingEmptySubsequences: true).map { "  " + $0 }
        lines += setupLines
        if !setupLines.contains(where: { $0.hasPrefix("  seed:") }) { lines.append("  seed: \(quoted)") }
        lines += ["---", "", "# \(claim)", ""]
        for file in files {
            let language = file.name.hasSuffix(".json") ? "json" : "text"
            lines.append("```\(language) title=\"\(file.name)\"")
            lines += file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            lines += ["```", ""]
        }
        lines.append("```console")
        let start = lines.count + 1
        lines += transcript.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        lines += ["```", ""]
        return (lines.joined(separator: "\n"), start)
    }
}

extension YAMLReader {
    /// A claim's `probe:` mapping; nil (with a located complaint) when malformed.
    mutating func probe(_ node: Node, claim id: String) -> ClaimProbe? {
        guard node.mapping != nil else {
            complain("claim '\(id)': 'probe' must be a mapping with setup, files and transcript", node)
            return nil
        }
        let known: Set<String> = ["needs", "setup", "files", "transcript"]
        for (key, _) in node.mapping ?? [:] where !known.contains(key.string ?? "") {
            complain(
                "claim '\(id)': unknown probe field '\(key.string ?? "")'; use needs, setup, files, transcript", key)
        }
        guard let transcriptNode = node["transcript"], let transcript = transcriptNode.string,
            transcript.trimmingCharacters(in: .whitespaces).hasPrefix("$ ")
        else {
            complain("claim '\(id)': a probe needs a 'transcript' that starts with a `$ ` command", node)
            return nil
        }
        var setup = ""
        if let setupNode = node["setup"] {
            guard setupNode.mapping != nil else {
                complain(
                    "claim '\(id)': the probe's 'setup' must be a mapping (a guide's kbtool: front matter)", setupNode)
                return nil
            }
            setup = Self.yaml(setupNode, indent: 0)
        }
        var files: [ClaimProbe.File] = []
        if let filesNode = node["files"] {
            guard let mapping = filesNode.mapping else {
                complain("claim '\(id)': the probe's 'files' must map names to text", filesNode)
                return nil
            }
            for (name, text) in mapping {
                guard let name = name.string, !name.isEmpty, let text = text.string else {
                    complain("claim '\(id)': a probe file needs a name and text", text)
                    return nil
                }
                files.append(.init(name: name, text: text))
            }
        }
        let mark = transcriptNode.mark?.line ?? 1
        let style = transcriptNode.scalar?.style
        let firstLine = style == .literal || style == .folded ? mark + 1 : mark
        return ClaimProbe(
            needs: node["needs"]?.sequence?.compactMap(\.string) ?? [], setup: setup, files: files,
            transcript: transcript, transcriptLine: firstLine, range: range(node))
    }

    /// A node as block YAML, each scalar written as it was (plain stays plain,
    /// so `false` stays a boolean; anything else is double-quoted).
    static func yaml(_ node: Node, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch node {
        case .mapping(let mapping):
            return mapping.map { key, value in
                let name = scalarText(key)
                switch value {
                case .mapping, .sequence:
                    return "\(pad)\(name):\n" + yaml(value, indent: indent + 2)
                default:
                    return "\(pad)\(name): \(scalarText(value))\n"
                }
            }.joined()
        case .sequence(let sequence):
            return sequence.map { value in
                switch value {
                case .mapping, .sequence:
                    let inner = yaml(value, indent: indent + 2)
                    return "\(pad)-\n" + inner
                default:
                    return "\(pad)- \(scalarText(value))\n"
                }
            }.joined()
        default:
            return pad + scalarText(node) + "\n"
        }
    }

    static func scalarText(_ node: Node) -> String {
        guard case .scalar(let scalar) = node else { return "\"\"" }
        if scalar.style == .plain, !scalar.string.contains("\n") { return scalar.string }
        var quoted = "\""
        for character in scalar.string.unicodeScalars {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.unicodeScalars.append(character)
            }
        }
        return quoted + "\""
    }
}
