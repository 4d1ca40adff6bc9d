import KBJSON

/// How a block's JSON text reads once the conventions of documentation are set
/// aside: guides show *excerpts* (statements one after another, an object's
/// members alone, `...` for what is left out, a label line before printed output,
/// callout images after a line) that are not defects of the JSON they stand for.
///
/// What is set aside is replaced by spaces, so every offset still points into the
/// block's own text, and what remains is parsed as it is written: a missing
/// comma inside a statement is still a missing comma.
public struct JSONReading: Sendable {
    /// A convention the reading set aside.
    public enum Liberty: String, Sendable, Hashable {
        /// Values shown one after another (`{…},\n{…}`), read as a list.
        case sequence
        /// An object's members shown without the object (`"Condition": {…}`).
        case fragment
        /// `...` or `…` where content is left out.
        case elision
        /// A line naming printed output before it (`AC_BUILD_STATUS:`).
        case label
        /// A callout image after a line (`![1](images/callouts/1.png)`).
        case callout
        /// Comments standing for left-out content, in an excerpt.
        case comment

        public var description: String {
            switch self {
            case .sequence: return "values shown one after another"
            case .fragment: return "members shown without their object"
            case .elision: return "'...' for left-out content"
            case .label: return "a label line before printed output"
            case .callout: return "callout images"
            case .comment: return "comments in an excerpt"
            }
        }
    }

    public var result: JSONParseResult
    public var liberties: [Liberty]

    public var isExcerpt: Bool { liberties.contains { $0 != .callout } }

    /// Reads `text` as written when it parses cleanly; otherwise tries the
    /// excerpt conventions and keeps the reading that leaves the fewest issues,
    /// when it leaves fewer than the text as written.
    public static func read(_ text: String, options: JSONParser.Options) -> JSONReading {
        let strict = JSONParser.parse(text, options: options)
        if strict.isClean { return JSONReading(result: strict, liberties: []) }
        var bytes = Array(text.utf8)
        var liberties: [Liberty] = []
        if maskCallouts(&bytes) { liberties.append(.callout) }
        if maskLabel(&bytes) { liberties.append(.label) }
        let elided = maskElisions(&bytes)
        if !elided.isEmpty { liberties.append(.elision) }
        let masked = String(decoding: bytes, as: UTF8.self)
        var candidates: [JSONReading] = []
        func consider(_ result: JSONParseResult, _ extra: [Liberty]) {
            var result = result
            var extra = extra
            // A list of one value is that value; it is an excerpt only when a ',' follows it.
            if extra == [.sequence], let only = result.value?.elements, only.count == 1 {
                result.value = only[0]
                var next = only[0].range.upperBound
                while next < bytes.count, isSpace(bytes[next]) { next += 1 }
                if next >= bytes.count || bytes[next] != UInt8(ascii: ",") { extra = [] }
            }
            var reading = JSONReading(result: result, liberties: liberties + extra)
            reading.forgive(elided: elided, in: bytes)
            candidates.append(reading)
        }
        if !liberties.isEmpty { consider(JSONParser.parse(masked, options: options), []) }
        let first = bytes.first { !isSpace($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            consider(wrapped(masked, open: "[", close: "]", options: options), [.sequence])
        } else if first == UInt8(ascii: "\"") {
            consider(wrapped(masked, open: "{", close: "}", options: options), [.fragment])
        }
        let best = candidates.filter { $0.result.value != nil }.min { $0.cost < $1.cost }
        guard let best, strict.value == nil || best.cost < JSONReading(result: strict, liberties: []).cost else {
            return JSONReading(result: strict, liberties: [])
        }
        return best
    }

    /// Issues weigh by whether the parser could go on: one it could not is worth many.
    var cost: Int {
        result.issues.reduce(result.value == nil ? 1000 : 0) { $0 + ($1.recovered ? 1 : 100) } + liberties.count
    }

    /// Drops what the excerpt explains: a comma left dangling by an elision, the
    /// wrapper's own trailing comma, and comments once the block is an excerpt.
    mutating func forgive(elided: [Range<Int>], in bytes: [UInt8]) {
        let excerpt = isExcerpt
        let count = bytes.count
        var forgaveComment = false
        result.issues.removeAll { issue in
            if issue.message.hasPrefix("trailing comma") {
                // Only spaces (set-aside bytes are spaces now) between the comma and
                // the text's end, or an elision among them: the comma leads to what was left out.
                var next = issue.range.upperBound
                var commented = false
                while next < count {
                    if Self.isSpace(bytes[next]) {
                        next += 1
                    } else if excerpt, next + 1 < count, bytes[next] == UInt8(ascii: "/"),
                        bytes[next + 1] == UInt8(ascii: "/")
                    {
                        // A comment in an excerpt standing for what was left out ("// other dependencies").
                        commented = true
                        while next < count, bytes[next] != 0x0A { next += 1 }
                    } else {
                        break
                    }
                }
                let gap = issue.range.upperBound..<max(next, issue.range.upperBound)
                if next >= count || commented || elided.contains(where: { gap.overlaps($0) }) { return true }
            }
            if excerpt, issue.message.hasPrefix("comments are not allowed") {
                forgaveComment = true
                return true
            }
            return false
        }
        if forgaveComment { liberties.append(.comment) }
    }

    /// Parses `open` + text + `close` and moves the result back to the text's offsets.
    static func wrapped(_ text: String, open: String, close: String, options: JSONParser.Options) -> JSONParseResult {
        let limit = text.utf8.count
        var result = JSONParser.parse(open + text + "\n" + close, options: options)
        result.value = result.value.map { $0.shifted(by: -1, limit: limit) }
        result.issues = result.issues.map { $0.shifted(by: -1, limit: limit) }
        return result
    }

    // MARK: - Setting aside

    /// `![alt](target)` outside strings, as AWS's markdown export leaves callout images in code.
    static func maskCallouts(_ bytes: inout [UInt8]) -> Bool {
        var found = false
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "\"") {
                index = TextShape.skipString(bytes, from: index)
                continue
            }
            if bytes[index] == UInt8(ascii: "!"), bytes[index + 1] == UInt8(ascii: "["),
                let close = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: ")") || $0 == 0x0A }),
                bytes[close] == UInt8(ascii: ")"), bytes[index..<close].contains(UInt8(ascii: "("))
            {
                for position in index...close { bytes[position] = 0x20 }
                found = true
                index = close + 1
                continue
            }
            index += 1
        }
        return found
    }

    /// Leading lines that name printed output (`AC_BUILD_STEPS_STATUS:`, `AC_BUILD_STATUS: Success`)
    /// before the JSON: a word, a colon, and no quotes or brackets.
    static func maskLabel(_ bytes: inout [UInt8]) -> Bool {
        var start = 0
        var masked: [Range<Int>] = []
        while true {
            while start < bytes.count, isSpace(bytes[start]) { start += 1 }
            guard start < bytes.count, TextShape.isWordByte(bytes[start]) else { break }
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[start..<end]
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                bytes[start..<colon].allSatisfy({ TextShape.isWordByte($0) || $0 == 0x20 }),
                !line.contains(where: { "\"{}[]".utf8.contains($0) })
            else { break }
            masked.append(start..<end)
            start = end
        }
        // Labels only when JSON follows them.
        guard !masked.isEmpty, start < bytes.count,
            bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[")
        else { return false }
        for range in masked { for position in range { bytes[position] = 0x20 } }
        return true
    }

    /// `...` and `…` outside strings, with a comma right after them; returns where each was.
    static func maskElisions(_ bytes: inout [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\"") {
                index = TextShape.skipString(bytes, from: index)
                continue
            }
            var length = 0
            if bytes[index] == UInt8(ascii: "."), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "."),
                bytes[index + 2] == UInt8(ascii: ".")
            {
                length = 3
                while index + length < bytes.count, bytes[index + length] == UInt8(ascii: ".") { length += 1 }
            } else if index + 2 < bytes.count, bytes[index] == 0xE2, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA6
            {
                length = 3
            }
            guard length > 0 else {
                index += 1
                continue
            }
            var end = index + length
            var after = end
            while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
            if after < bytes.count, bytes[after] == UInt8(ascii: ",") { end = after + 1 }
            for position in index..<end { bytes[position] = 0x20 }
            found.append(index..<end)
            index = end
        }
        return found
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
