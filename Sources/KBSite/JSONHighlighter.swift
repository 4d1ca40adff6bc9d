/// Colours JSON at build time, line by line, so a page needs no script to show
/// it. Works on broken JSON too (a missing comma, an unterminated string): it
/// only classifies tokens and never fails.
public enum JSONHighlighter {
    /// One piece of a line: its CSS class (nil for whitespace) and its text.
    public struct Token: Sendable, Hashable {
        public var kind: String?
        public var text: String
    }

    /// The text's lines, each as tokens; joining a line's texts gives the line back.
    public static func lines(_ text: String) -> [[Token]] {
        let bytes = Array(text.utf8)
        var lines: [[Token]] = [[]]
        func emit(_ kind: String?, _ range: Range<Int>) {
            // Split at newlines so each token stays on its line.
            var start = range.lowerBound
            for index in range where bytes[index] == 0x0A {
                if index > start {
                    lines[lines.count - 1].append(Token(kind: kind, text: string(bytes[start..<index])))
                }
                lines.append([])
                start = index + 1
            }
            if range.upperBound > start {
                lines[lines.count - 1].append(Token(kind: kind, text: string(bytes[start..<range.upperBound])))
            }
        }
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0A:
                var j = i
                while j < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[j]) { j += 1 }
                emit(nil, i..<j)
                i = j
            case UInt8(ascii: "/")
            where i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "/") || bytes[i + 1] == UInt8(ascii: "*")):
                // Comments, as JSONC and JSON5 blocks have them.
                var j = i + 2
                if bytes[i + 1] == UInt8(ascii: "/") {
                    while j < bytes.count, bytes[j] != 0x0A { j += 1 }
                } else {
                    while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "*") && bytes[j + 1] == UInt8(ascii: "/")) {
                        j += 1
                    }
                    j = min(j + 2, bytes.count)
                }
                emit("tok-comment", i..<j)
                i = j
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "\""), bytes[j] != 0x0A {
                    j += bytes[j] == UInt8(ascii: "\\") && j + 1 < bytes.count && bytes[j + 1] != 0x0A ? 2 : 1
                }
                let closed = j < bytes.count && bytes[j] == UInt8(ascii: "\"")
                let end = closed ? j + 1 : j
                var k = end
                while k < bytes.count, [0x20, 0x09].contains(bytes[k]) { k += 1 }
                let isKey = k < bytes.count && bytes[k] == UInt8(ascii: ":")
                let content = string(bytes[(i + 1)..<(closed ? j : end)])
                emit(isKey ? "tok-key" : stringKind(content), i..<end)
                i = end
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < bytes.count, isNumberByte(bytes[j]) { j += 1 }
                emit("tok-number", i..<j)
                i = j
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
                UInt8(ascii: ":"):
                emit("tok-punct", i..<(i + 1))
                i += 1
            default:
                var j = i
                while j < bytes.count, isWordByte(bytes[j]) { j += 1 }
                if j == i { j = i + 1 }
                // Keep a multi-byte character whole.
                while j < bytes.count, bytes[j] & 0xC0 == 0x80 { j += 1 }
                let word = string(bytes[i..<j])
                emit(["true", "false", "null"].contains(word) ? "tok-literal" : "tok-invalid", i..<j)
                i = j
            }
        }
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    /// Strings that name an action, an ARN or a placeholder get their own colour.
    static func stringKind(_ content: String) -> String {
        if content.hasPrefix("arn:") { return "tok-arn" }
        if isPlaceholder(content) { return "tok-placeholder" }
        if isAction(content) { return "tok-action" }
        return "tok-string"
    }

    static func isAction(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return parts[0].utf8.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2A
        }
            && parts[1].utf8.allSatisfy {
                (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2A
                    || $0 == 0x3F
            }
    }

    static func isPlaceholder(_ text: String) -> Bool {
        (text.hasPrefix("<") && text.hasSuffix(">")) || (text.hasPrefix("${") && text.hasSuffix("}"))
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
            || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(
                byte)
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        !(byte < 0x21 || "{}[],:\"".utf8.contains(byte))
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A line's tokens as HTML spans.
    public static func html(_ tokens: [Token]) -> String {
        tokens.map { token in
            guard let kind = token.kind else { return HTML.escape(token.text) }
            return "<span class=\"\(kind)\">\(HTML.escape(token.text))</span>"
        }.joined()
    }
}
