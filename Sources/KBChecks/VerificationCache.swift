import Crypto
import Foundation
import KBDiagnostics
import KBFacts
import KBGuide
import KBTranscript

/// Results of unchanged guides kept between runs in `.kbtool-cache/`, so that
/// re-verifying after a one-guide change checks that guide alone (links and
/// ids across guides are checked again from the kept anchors and links).
///
/// Two layers, so that the common case stays cheap:
/// - `index.tsv`, one text file read on every run: per guide, its stamp, what it
///   depends on, its item counts, and what the checks across guides need
///   (identity, anchors, links). Tab-separated, parsed by hand: JSON decoding of
///   a thousand guides' results would cost more than checking one guide.
/// - `guides/<sha256>.json`, a guide's full result (items, findings, examples,
///   facts), read only when the guide has findings or the output needs them.
///
/// An entry holds when the guide's size and modification time are unchanged
/// (or else its SHA-256 is), its knowledge base's claims are the same, and every
/// file its transcripts read is the same; the whole cache holds only for the
/// same kbtool binary, catalogue and strictness. Anything unreadable or
/// inconsistent is ignored and rebuilt: the cache is never trusted over the files.
public final class VerificationCache: Sendable {
    static let formatVersion = "kbtool-verify-cache 5"

    /// How a guide file looked when it was checked.
    public struct Stamp: Sendable, Hashable {
        var size: Int
        var modified: Double
        var sha256: String
    }

    /// One guide's entry: the index line's fields, and its full result when loaded.
    public struct Entry: Sendable {
        var stamp: Stamp
        /// The fingerprint of the knowledge base's claims.yml and prose-rules.yml.
        var claims: String
        /// Fingerprints of the files the transcripts read, by path (empty: missing).
        var reads: [String: String]
        var items: Int
        var hasFindings: Bool
        var identity: PageIdentity
        var anchors: [String: SourceRange]
        var links: [Link]
        var flowSummary: String?
        /// Set when the entry was just computed, or loaded from its file.
        var result: GuideResult?
        /// Computed in this run: its result file is (re)written.
        var isFresh = false
    }

    let folder: String
    let key: String
    /// When the index was written: a file modified within two seconds of it is
    /// hashed rather than trusted by its timestamp (a write in the same tick).
    private let written: Double
    private let entries: [String: Entry]

    /// Reads the index; any problem (missing, corrupt, another kbtool) means empty.
    init(folder: String, key: String) {
        self.folder = folder
        self.key = key
        let path = (folder as NSString).appendingPathComponent("index.tsv")
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        written = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        // An empty file is not read: Foundation's reader leaks its buffer on one.
        guard (attributes?[.size] as? NSNumber)?.intValue ?? 0 > 0,
            let data = FileManager.default.contents(atPath: path)
        else {
            entries = [:]
            return
        }
        entries = IndexFormat.read(data, key: key) ?? [:]
    }

    /// The stamp of a guide file, hashing its bytes only when needed: when the
    /// cache has no entry with the same size and time, or the time is too close
    /// to the cache's own.
    func stamp(_ path: String, attributes: [FileAttributeKey: Any], read: () -> Data?) -> (Stamp, Data?) {
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if let known = entries[path]?.stamp, known.size == size, known.modified == modified, modified < written - 2 {
            return (known, nil)
        }
        let data = read()
        return (Stamp(size: size, modified: modified, sha256: data.map(Self.fingerprint) ?? ""), data)
    }

    /// The kept entry for a guide, when everything it depends on is unchanged.
    /// Its full result is loaded when `full` or when the guide had findings.
    func lookup(_ path: String, stamp: Stamp, claims: String, full: Bool) -> Entry? {
        guard var entry = entries[path], entry.stamp.sha256 == stamp.sha256, entry.claims == claims else { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        for (read, fingerprint) in entry.reads where Self.fingerprint(ofFile: read, in: directory) != fingerprint {
            return nil
        }
        entry.stamp = stamp
        if full || entry.hasFindings {
            guard let result = loadResult(stamp) else { return nil }
            entry.result = result
        }
        return entry
    }

    func entry(stamp: Stamp, result: GuideResult, claims: String, directory: String) -> Entry {
        var reads: [String: String] = [:]
        for read in result.filesRead { reads[read] = Self.fingerprint(ofFile: read, in: directory) }
        var kept = result
        kept.exampleFindings = result.examples.map(\.findings)
        return Entry(
            stamp: stamp, claims: claims, reads: reads, items: result.items.count,
            // A guide with unknown components keeps its full result too: the
            // note naming each component once per run needs them.
            hasFindings: result.hasFindings || !result.components.isEmpty,
            identity: result.identity, anchors: result.anchors, links: result.links,
            flowSummary: result.flowSummary, result: kept, isFresh: true)
    }

    /// Writes the index, and the full results of entries computed in this run.
    /// Nothing is written when nothing changed. Failures are ignored: the next
    /// run checks those guides again.
    func save(_ updated: [String: Entry], changed: Bool) {
        guard changed || Set(updated.keys) != Set(entries.keys) else { return }
        let guides = (folder as NSString).appendingPathComponent("guides")
        try? FileManager.default.createDirectory(atPath: guides, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        for entry in updated.values {
            // A fresh result replaces any file of the same name, which may be damaged.
            guard entry.isFresh, let result = entry.result, let data = try? encoder.encode(result) else { continue }
            try? data.write(to: URL(fileURLWithPath: resultPath(entry.stamp)), options: .atomic)
        }
        let index = IndexFormat.write(updated, key: key)
        try? Data(index.utf8).write(
            to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("index.tsv")), options: .atomic)
        // Results no entry names any more (guides changed or gone) are removed.
        let kept = Set(updated.values.map { resultPath($0.stamp) })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: guides)) ?? [] {
            let path = (guides as NSString).appendingPathComponent(name)
            if !kept.contains(path) { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    private func resultPath(_ stamp: Stamp) -> String {
        (folder as NSString).appendingPathComponent("guides/\(stamp.sha256).json")
    }

    private func loadResult(_ stamp: Stamp) -> GuideResult? {
        guard let data = FileManager.default.contents(atPath: resultPath(stamp)),
            var result = try? JSONDecoder().decode(GuideResult.self, from: data)
        else { return nil }
        for index in result.examples.indices where index < result.exampleFindings.count {
            result.examples[index].findings = result.exampleFindings[index]
        }
        return result
    }

    static func fingerprint(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func fingerprint(_ text: String) -> String { fingerprint(Data(text.utf8)) }

    static func fingerprint(ofFile path: String, in directory: String) -> String {
        FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(path)).map(fingerprint)
            ?? ""
    }
}

/// The index's text form: a header line, then per guide a `G` line followed by
/// its `R` (read), `I` (identity), `A` (anchor), `L` (link) and `F` (flow) lines.
/// Fields are tab-separated, with `\`, tab and newline escaped.
enum IndexFormat {
    static func write(_ entries: [String: VerificationCache.Entry], key: String) -> String {
        var lines = [VerificationCache.formatVersion + "\t" + escape(key)]
        lines.reserveCapacity(entries.count * 40)
        for path in entries.keys.sorted() {
            let entry = entries[path]!
            let stamp = entry.stamp
            lines.append(
                fields([
                    "G", path, String(stamp.size), String(stamp.modified), stamp.sha256, entry.claims,
                    String(entry.items), entry.hasFindings ? "1" : "0",
                ]))
            for (read, fingerprint) in entry.reads.sorted(by: { $0.key < $1.key }) {
                lines.append(fields(["R", read, fingerprint]))
            }
            let identity = entry.identity
            lines.append(
                fields([
                    "I", identity.root, identity.id, identity.route, range(identity.idRange),
                    range(identity.routeRange), range(identity.range),
                ]))
            for (anchor, at) in entry.anchors.sorted(by: { $0.key < $1.key }) {
                lines.append(fields(["A", anchor, range(at)]))
            }
            for link in entry.links {
                lines.append(
                    fields(["L", link.destination, link.title, link.text, link.isImage ? "1" : "0", range(link.range)]))
            }
            if let flow = entry.flowSummary { lines.append(fields(["F", flow])) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Nil when the text is not an index of this format and key. Read as bytes:
    /// this runs on every verify, over a line per anchor and link of every guide.
    static func read(_ data: Data, key: String) -> [String: VerificationCache.Entry]? {
        let bytes = [UInt8](data)
        var entries: [String: VerificationCache.Entry] = [:]
        var current: (String, VerificationCache.Entry)?
        func flush() {
            if let (path, entry) = current { entries[path] = entry }
            current = nil
        }
        var lineStart = 0
        var first = true
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            // Fields, unescaped only when they hold a backslash.
            var parts: [String] = []
            var fieldStart = lineStart
            for index in lineStart...lineEnd where index == lineEnd || bytes[index] == 0x09 {
                let slice = bytes[fieldStart..<index]
                parts.append(
                    slice.contains(0x5C)
                        ? unescape(Substring(String(decoding: slice, as: UTF8.self)))
                        : String(decoding: slice, as: UTF8.self))
                fieldStart = index + 1
            }
            if first {
                guard parts == [VerificationCache.formatVersion, key] else { return nil }
                first = false
                continue
            }
            switch parts.first {
            case "G":
                guard parts.count == 8, let size = Int(parts[2]), let modified = Double(parts[3]),
                    let items = Int(parts[6])
                else { return nil }
                flush()
                let empty = SourceRange(file: parts[1], at: .init(line: 1, column: 1))
                current = (
                    parts[1],
                    VerificationCache.Entry(
                        stamp: .init(size: size, modified: modified, sha256: parts[4]), claims: parts[5], reads: [:],
                        items: items, hasFindings: parts[7] == "1",
                        identity: PageIdentity(
                            root: "", id: "", idRange: empty, route: "", routeRange: empty, range: empty),
                        anchors: [:], links: [], flowSummary: nil, result: nil)
                )
            case "R":
                guard parts.count == 3, current != nil else { return nil }
                current!.1.reads[parts[1]] = parts[2]
            case "I":
                guard parts.count == 7, current != nil, let idRange = range(parts[4]), let routeRange = range(parts[5]),
                    let whole = range(parts[6])
                else { return nil }
                current!.1.identity = PageIdentity(
                    root: parts[1], id: parts[2], idRange: idRange, route: parts[3], routeRange: routeRange,
                    range: whole)
            case "A":
                guard parts.count == 3, current != nil, let at = range(parts[2]) else { return nil }
                current!.1.anchors[parts[1]] = at
            case "L":
                guard parts.count == 6, current != nil, let at = range(parts[5]) else { return nil }
                current!.1.links.append(
                    Link(destination: parts[1], title: parts[2], text: parts[3], isImage: parts[4] == "1", range: at))
            case "F":
                guard parts.count == 2, current != nil else { return nil }
                current!.1.flowSummary = parts[1]
            default:
                return nil
            }
        }
        guard !first else { return nil }
        flush()
        return entries
    }

    static func fields(_ values: [String]) -> String { values.map(escape).joined(separator: "\t") }

    static func range(_ range: SourceRange) -> String {
        "\(range.file)\u{1F}\(range.start.line)\u{1F}\(range.start.column)\u{1F}\(range.end.line)\u{1F}\(range.end.column)"
    }

    static func range(_ text: String) -> SourceRange? {
        // file, then four numbers, separated by U+001F; parsed from the end.
        var numbers: [Int] = []
        var utf8 = text.utf8[...]
        for _ in 0..<4 {
            guard let separator = utf8.lastIndex(of: 0x1F) else { return nil }
            var value = 0
            for byte in utf8[utf8.index(after: separator)...] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            numbers.append(value)
            utf8 = utf8[..<separator]
        }
        return SourceRange(
            file: String(Substring(utf8)), start: .init(line: numbers[3], column: numbers[2]),
            end: .init(line: numbers[1], column: numbers[0]))
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.append(character)
            }
        }
        return result
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                case "r": result.append("\r")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
