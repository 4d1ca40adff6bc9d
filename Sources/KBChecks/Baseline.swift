import Crypto
import Foundation
import KBDiagnostics

extension Rule {
    /// A baseline entry that matches no finding any more.
    public static let baselineStale = Rule(
        "baseline-stale", .note, summary: "A line of the `--baseline` file matches no finding any more.",
        why:
            "The finding it accepted was fixed or its text changed; a stale line would silently accept a new finding of the same rule and text later.",
        fix: "Delete the line, or write the baseline again with `kbtool verify --write-baseline FILE`.",
        example: "baseline entry matches no finding any more (policy-wildcard-action in docs/a.md)")
}

/// The findings a project has accepted, so that adopting kbtool on existing
/// docs fails only on new ones (`kbtool verify --write-baseline FILE`, then
/// `--baseline FILE`).
///
/// A finding is keyed by its rule, its file and a fingerprint of the text it
/// points at, never by its line: editing elsewhere in a guide moves findings
/// but does not change their keys. The same key may be listed more than once
/// (two identical wildcards in one guide); each line accepts one finding.
///
/// The file is text, one finding a line, tab-separated, so it reviews well:
///
/// ```
/// # kbtool baseline 1
/// policy-wildcard-action	docs/guide.md	5d41402abc4b2a76	# the statement allows every action
/// ```
///
/// Paths are relative to the baseline file's folder, so it holds wherever
/// kbtool runs from. What follows `#` is for people and is ignored.
public struct Baseline: Sendable {
    public struct Key: Hashable, Sendable {
        public var rule: String
        /// Relative to the baseline file's folder.
        public var file: String
        public var fingerprint: String
    }

    public struct Entry: Sendable {
        public var key: Key
        /// Its line in the baseline file, for stale entries.
        public var line: Int
    }

    public static let header = "# kbtool baseline 1"

    /// The baseline file as read, for quoting stale entries.
    public var source: SourceText
    /// The folder paths in it are relative to (absolute).
    public var folder: String
    public var entries: [Entry]

    // MARK: - Reading and writing

    /// Reads a baseline file. A line that is not a finding is unusable input,
    /// reported with its line (exit 2), never silently skipped.
    public static func read(path: String, workingDirectory: String) throws(InputError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: absolute(path, in: workingDirectory)) else {
            throw InputError(description: "cannot read the baseline \(path): no such file, or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(description: "\(path): the baseline is not UTF-8 text")
        }
        return try parse(text, path: path, folder: folder(of: path, in: workingDirectory))
    }

    public static func parse(_ text: String, path: String, folder: String) throws(InputError) -> Baseline {
        let source = SourceText(path: path, text: text)
        var entries: [Entry] = []
        for number in 1...source.lineCount {
            let line = source.line(number)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let problem: String?
            if fields.count < 3 {
                problem = "expected RULE, FILE and FINGERPRINT separated by tabs"
            } else if !fields[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) || fields[0].isEmpty {
                problem = "'\(fields[0])' is not a rule id"
            } else if fields[1].isEmpty {
                problem = "the file is empty"
            } else if fields[2].count != 16 || !fields[2].allSatisfy(\.isHexDigit) {
                problem = "'\(fields[2])' is not a fingerprint (16 hexadecimal digits)"
            } else if fields.count > 3, !fields[3].hasPrefix("#") {
                problem = "text after the fingerprint must be a comment starting with '#'"
            } else {
                problem = nil
            }
            if let problem {
                let shown = line.count > 60 ? String(line.prefix(57)) + "..." : line
                throw InputError(description: "\(path):\(number): not a baseline entry: \(problem) (found '\(shown)')")
            }
            entries.append(Entry(key: Key(rule: fields[0], file: fields[1], fingerprint: fields[2]), line: number))
        }
        return Baseline(source: source, folder: folder, entries: entries)
    }

    /// The baseline file for a report's findings (notes aside: they fail nothing).
    public static func render(
        _ report: VerificationReport, path: String, workingDirectory: String
    ) -> (text: String, count: Int) {
        let folder = folder(of: path, in: workingDirectory)
        var lines = [
            header,
            "# Findings accepted by `kbtool verify --write-baseline`; `kbtool verify --baseline` fails only on others.",
            "# RULE<TAB>FILE<TAB>FINGERPRINT of the text it points at<TAB># message. Delete a line once it is fixed.",
        ]
        var count = 0
        for diagnostic in Diagnostic.sortedForOutput(report.diagnostics) where diagnostic.severity != .note {
            let key = key(of: diagnostic, sources: report.sources, folder: folder, workingDirectory: workingDirectory)
            let message = diagnostic.message.replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "\t", with: " ")
            lines.append("\(key.rule)\t\(key.file)\t\(key.fingerprint)\t# \(message)")
            count += 1
        }
        return (lines.joined(separator: "\n") + "\n", count)
    }

    // MARK: - Applying

    /// The report without the findings the baseline accepts (and the items they
    /// decided passing again), plus a `baseline-stale` note at each entry that
    /// matched nothing, reported with the project's own files. Each line accepts
    /// one finding, in report order. Also returns how many findings were accepted.
    public func apply(to report: VerificationReport, workingDirectory: String) -> (VerificationReport, accepted: Int) {
        var remaining: [Key: [Int]] = [:]
        for entry in entries { remaining[entry.key, default: []].append(entry.line) }
        var count = 0
        func accepts(_ diagnostic: Diagnostic) -> Bool {
            guard diagnostic.severity != .note else { return false }
            let key = Self.key(
                of: diagnostic, sources: report.sources, folder: folder, workingDirectory: workingDirectory)
            guard var lines = remaining[key], !lines.isEmpty else { return false }
            lines.removeFirst()
            remaining[key] = lines
            count += 1
            return true
        }
        // In report order: files that are not guides, the knowledge base, the guides, the configuration.
        var settled = report
        settled.otherFiles = report.otherFiles.map { item in
            CheckedItem(
                kind: item.kind, range: item.range, name: item.name, findings: item.findings.filter { !accepts($0) })
        }
        settled.knowledgeBase = report.knowledgeBase.filter { !accepts($0) }
        for index in settled.guides.indices { settled.guides[index].settle { accepts($0) ? nil : $0 } }
        settled.configuration = report.configuration.filter { !accepts($0) }
        for (key, lines) in remaining.sorted(by: { ($0.value.first ?? 0) < ($1.value.first ?? 0) }) {
            for line in lines {
                let text = source.line(line)
                settled.configuration.append(
                    Diagnostic(
                        .note, .baselineStale,
                        "baseline entry matches no finding any more (\(key.rule) in \(key.file))",
                        at: SourceRange(
                            file: source.path, start: .init(line: line, column: 1),
                            end: .init(line: line, column: text.unicodeScalars.count + 1)),
                        notes: ["the finding was fixed or its text changed; delete the line"]))
            }
        }
        settled.sources[source.path] = source
        return (settled, count)
    }

    // MARK: - Keys

    /// A finding's key: its rule, its file relative to `folder`, and the first
    /// 16 hex digits of the SHA-256 of the text it points at, whitespace
    /// collapsed (the whole line when it points between characters; the
    /// message when the file cannot be read).
    static func key(
        of diagnostic: Diagnostic, sources: [String: SourceText], folder: String, workingDirectory: String
    ) -> Key {
        let file = diagnostic.range.file
        let path = absolute(file, in: workingDirectory)
        let source =
            sources[file]
            ?? FileManager.default.contents(atPath: path).map {
                SourceText(path: file, text: String(decoding: $0, as: UTF8.self))
            }
        var text = ""
        if let source {
            let start = source.byteOffset(of: diagnostic.range.start)
            let end = max(start, source.byteOffset(of: diagnostic.range.end))
            text = String(
                decoding: source.bytes[min(start, source.bytes.count)..<min(end, source.bytes.count)], as: UTF8.self)
            if collapse(text).isEmpty { text = source.line(diagnostic.range.start.line) }
        }
        if collapse(text).isEmpty { text = diagnostic.message }
        let digest = SHA256.hash(data: Data(collapse(text).utf8)).map { String(format: "%02x", $0) }.joined()
        return Key(
            rule: diagnostic.rule.rawValue, file: relative(path, to: folder), fingerprint: String(digest.prefix(16)))
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func absolute(_ path: String, in workingDirectory: String) -> String {
        ((path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)) as NSString)
            .standardizingPath
    }

    static func folder(of path: String, in workingDirectory: String) -> String {
        (absolute(path, in: workingDirectory) as NSString).deletingLastPathComponent
    }

    /// `path` relative to `folder` (`../docs/a.md` when it is beside it).
    static func relative(_ path: String, to folder: String) -> String {
        let target = path.split(separator: "/").map(String.init)
        let base = folder.split(separator: "/").map(String.init)
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
