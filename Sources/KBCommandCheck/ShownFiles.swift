import Foundation
import KBCLIModel

/// The files a guide shows, for `file://` values outside transcripts: a block
/// titled with the file's name, a name the guide's text mentions ("save it as
/// `policy.json`"), a file one of its commands writes, or a file beside the
/// guide. A placeholder path (`file://<policy-file>`) shows itself.
public struct ShownFiles: Sendable {
    let names: Set<String>
    /// The guide's text without its `file://` and `fileb://` values, where a
    /// mention of a name counts.
    let text: String
    let directory: String?

    public init(titles: [String], written: [String], guideText: String, directory: String?) {
        self.names = Set((titles + written).map(Self.normalize))
        self.text = Self.withoutFileValues(guideText)
        self.directory = directory
    }

    public func shows(_ path: String) -> Bool {
        let normalized = Self.normalize(path)
        let base = Self.baseName(normalized)
        if normalized.isEmpty || CommandChecker.isPlaceholder(path) || names.contains(normalized)
            || names.contains(base)
        {
            return true
        }
        if base.count >= 3, text.contains(base) { return true }
        // `file://C:\policies\trust.json`: a reader's own Windows file (in a
        // `$` block the shell has eaten its backslashes), not one to show.
        if Self.hasDriveLetter(normalized) { return true }
        guard let directory, !normalized.hasPrefix("/"), !normalized.split(separator: "/").contains("..") else {
            return false
        }
        return FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(normalized))
    }

    /// `C:` at the start of a path.
    static func hasDriveLetter(_ path: String) -> Bool {
        let scalars = Array(path.unicodeScalars.prefix(2))
        return scalars.count == 2 && scalars[1] == ":" && scalars[0].isASCII && scalars[0].properties.isAlphabetic
    }

    static func normalize(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }

    static func baseName(_ path: String) -> String {
        String(path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(path))
    }

    /// The text with every `file://…`/`fileb://…` value removed, so that a
    /// command naming a file does not count as showing it.
    static func withoutFileValues(_ text: String) -> String {
        guard text.contains("file://") || text.contains("fileb://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let range = [rest.range(of: "file://"), rest.range(of: "fileb://")].compactMap({ $0 })
            .min(by: { $0.lowerBound < $1.lowerBound })
        {
            result += rest[..<range.lowerBound]
            var end = range.upperBound
            while end < rest.endIndex, !" \t\n'\"`)".contains(rest[end]) { end = rest.index(after: end) }
            rest = rest[end...]
        }
        return result + rest
    }
}
