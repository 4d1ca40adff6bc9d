import Foundation
import KBDiagnostics
import KBJSON

/// How one option of an operation takes its value, as the AWS CLI parses it.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A string; `file://` loads text.
        case string
        case integer
        /// `--flag` / `--no-flag`.
        case boolean
        /// Base64 text (CLI v2's default `cli_binary_format`), or `fileb://` bytes.
        case blob
        /// A local file path whose contents are sent (`put-object --body`).
        case inputFile
        /// Bytes given as text, or loaded with `fileb://` / `file://` (SSE-C keys).
        case rawBytes
        /// A JSON object or shorthand `k=v,k2=v2` (maps and structures).
        case structure
        /// One or more words (`--grant-tokens a b`).
        case list
        /// A string that may be left out: `aws s3 cp --sse` means `--sse AES256`.
        case optionalString(default: String)
    }

    /// The option's name without `--` (`key-id`).
    public var name: String
    public var kind: Kind
    public var required = false

    public init(_ name: String, _ kind: Kind, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
    }
}

/// A parsed option value.
public enum OptionValue: Sendable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case bytes([UInt8])
    case json(JSONValue)
    case list([String])
}

/// A command line that the AWS CLI itself would refuse (exit status 252): an
/// unknown option, a missing required one, a value it cannot parse.
public struct UsageError: Error, Sendable {
    public var message: String
    /// The argument at fault, to locate the diagnostic.
    public var argument: String?
    /// A close match for a misspelt option.
    public var suggestion: String?
    /// argparse errors print the usage banner and exit 252; errors found while
    /// reading a value (bad base64, a bad --query) print the message, exit 255.
    public var showsUsage = true

    public init(message: String, argument: String? = nil, suggestion: String? = nil, showsUsage: Bool = true) {
        self.message = message
        self.argument = argument
        self.suggestion = suggestion
        self.showsUsage = showsUsage
    }
}

/// Reads `file://` and `fileb://` parameter values.
public protocol ParamFileReader {
    func readFile(_ path: String) -> [UInt8]?
}

/// Parses an operation's options against its specs.
package struct OptionParser {
    var specs: [OptionSpec]
    var positionals: [String] = []
    var reader: any ParamFileReader
    /// `--cli-binary-format raw-in-base64-out`: blobs are given as raw text.
    var rawBinary = false

    package func parse(_ arguments: [String]) throws(UsageError) -> (
        values: [String: OptionValue], positionals: [String]
    ) {
        var values: [String: OptionValue] = [:]
        var positional: [String] = []
        var index = 0
        while index < arguments.count {
            var argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                inline = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            let name = String(argument.dropFirst(2))
            if let spec = specs.first(where: { $0.kind == .boolean && "no-" + $0.name == name }) {
                values[spec.name] = .boolean(false)
                continue
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                let known = specs.map(\.name) + specs.filter { $0.kind == .boolean }.map { "no-" + $0.name }
                // `aws s3` spellings used with `aws s3api`, a common slip.
                let renamed = ["sse": "server-side-encryption", "sse-kms-key-id": "ssekms-key-id"][name]
                let suggestion = renamed.flatMap { known.contains($0) ? $0 : nil } ?? Self.closest(name, in: known)
                throw UsageError(
                    message: "Unknown options: \(argument)", argument: argument,
                    suggestion: suggestion.map { "--" + $0 })
            }
            if spec.kind == .boolean {
                values[spec.name] = .boolean(true)
                continue
            }
            if case .optionalString(let fallback) = spec.kind {
                if let inline {
                    values[spec.name] = .string(inline)
                } else if index < arguments.count, !arguments[index].hasPrefix("-"),
                    !arguments[index].hasPrefix("s3://")
                {
                    values[spec.name] = .string(arguments[index])
                    index += 1
                } else {
                    values[spec.name] = .string(fallback)
                }
                continue
            }
            if spec.kind == .list {
                var words: [String] = inline.map { [$0] } ?? []
                while index < arguments.count, !arguments[index].hasPrefix("--") {
                    words.append(arguments[index])
                    index += 1
                }
                guard !words.isEmpty else {
                    throw UsageError(
                        message: "argument \(argument): expected at least one argument", argument: argument)
                }
                values[spec.name] = .list(words)
                continue
            }
            let raw: String
            if let inline {
                raw = inline
            } else {
                guard index < arguments.count else {
                    throw UsageError(message: "argument \(argument): expected one argument", argument: argument)
                }
                raw = arguments[index]
                index += 1
            }
            values[spec.name] = try convert(raw, spec)
        }
        for spec in specs where spec.required && values[spec.name] == nil {
            throw UsageError(message: "the following arguments are required: --\(spec.name)", argument: nil)
        }
        // A name ending in `?` may be left out (`aws s3 ls [PATH]`).
        let missing = positionals.dropFirst(positional.count).filter { !$0.hasSuffix("?") }
        if let first = missing.first {
            throw UsageError(message: "the following arguments are required: \(first)", argument: nil)
        }
        if positional.count > positionals.count {
            throw UsageError(
                message: "Unknown options: \(positional[positionals.count...].joined(separator: ", "))",
                argument: positional[positionals.count])
        }
        return (values, positional)
    }

    private func convert(_ raw: String, _ spec: OptionSpec) throws(UsageError) -> OptionValue {
        let option = "--" + spec.name
        if spec.kind == .blob {
            // fileb:// is raw bytes. Anything else is text: with the default
            // cli_binary_format it is base64 (decoded leniently, as Python's
            // b64decode does); with raw-in-base64-out it is the bytes themselves.
            if raw.hasPrefix("fileb://") { return .bytes(try load(raw, prefix: "fileb://", option)) }
            let text =
                raw.hasPrefix("file://")
                ? String(decoding: try load(raw, prefix: "file://", option), as: UTF8.self) : raw
            if rawBinary { return .bytes(Array(text.utf8)) }
            guard let decoded = Self.base64(text) else {
                throw UsageError(
                    message: "Invalid base64: \"\(text.prefix(60))\"",
                    argument: raw.hasPrefix("file://") ? raw : option,
                    showsUsage: false)
            }
            return .bytes(decoded)
        }
        if spec.kind == .rawBytes {
            if raw.hasPrefix("fileb://") { return .bytes(try load(raw, prefix: "fileb://", option)) }
            if raw.hasPrefix("file://") { return .bytes(try load(raw, prefix: "file://", option)) }
            return .bytes(Array(raw.utf8))
        }
        if spec.kind == .inputFile {
            // Streaming bodies are plain paths: the CLI opens the file itself.
            guard let bytes = reader.readFile(raw) else {
                throw UsageError(
                    message: "Error parsing parameter '\(option)': Blob values must be a path to a file.",
                    argument: raw)
            }
            return .bytes(bytes)
        }
        var text = raw
        if raw.hasPrefix("file://") {
            text = String(decoding: try load(raw, prefix: "file://", option), as: UTF8.self)
        } else if raw.hasPrefix("fileb://") {
            text = String(decoding: try load(raw, prefix: "fileb://", option), as: UTF8.self)
        }
        switch spec.kind {
        case .integer:
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw UsageError(message: "invalid literal for int() with base 10: '\(text)'", argument: option)
            }
            return .integer(value)
        case .structure:
            return .json(try Shorthand.structure(text, option: option))
        default:
            return .string(text)
        }
    }

    private func load(_ raw: String, prefix: String, _ option: String) throws(UsageError) -> [UInt8] {
        let path = String(raw.dropFirst(prefix.count))
        guard let bytes = reader.readFile(path) else {
            throw UsageError(
                message:
                    "Error parsing parameter '\(option)': Unable to load paramfile \(raw): [Errno 2] No such file or directory: '\(path)'",
                argument: raw)
        }
        return bytes
    }

    /// Base64 as Python's `b64decode` reads it: characters outside the alphabet
    /// are skipped; bad padding is an error.
    package static func base64(_ text: String) -> [UInt8]? {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
        let kept = String(decoding: text.utf8.filter { alphabet.contains($0) }, as: UTF8.self)
        return Data(base64Encoded: kept).map(Array.init)
    }

    /// The known name closest to a misspelt one.
    package static func closest(_ name: String, in names: [String]) -> String? {
        Suggestion.closest(to: name, in: names, caseSensitive: true)
    }
}

/// The AWS CLI's shorthand syntax: `Key=Value,Other=[a,b],Nested={K=V}`, used by
/// guides for small structures (`--versioning-configuration Status=Enabled`,
/// `--encryption-context purpose=test`). JSON values are parsed as JSON.
package enum Shorthand {
    package static func structure(_ text: String, option: String) throws(UsageError) -> JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            let parsed = JSONParser.parse(trimmed)
            guard let value = parsed.value, !parsed.issues.contains(where: \.isError) else {
                let issue = parsed.issues.first { $0.isError }
                throw UsageError(
                    message:
                        "Error parsing parameter '\(option)': Invalid JSON: \(issue?.message ?? "not JSON")\nJSON received: \(trimmed)",
                    argument: option)
            }
            return Response.strippingRanges(value)
        }
        var parser = ShorthandParser(characters: Array(trimmed), option: option)
        return try parser.parseTop()
    }
}

private struct ShorthandParser {
    var characters: [Character]
    var option: String
    var index = 0
    /// Nesting deeper than this is refused rather than recursed into.
    static let maxDepth = 32
    var depth = 0

    mutating func parseTop() throws(UsageError) -> JSONValue {
        let value = try parseMembers(closing: nil)
        guard index == characters.count else { throw error("unexpected '\(characters[index])'") }
        return value
    }

    /// `key=value(,key=value)*` up to `closing`.
    mutating func parseMembers(closing: Character?) throws(UsageError) -> JSONValue {
        var members: [(String, JSONValue?)] = []
        while index < characters.count, characters[index] != closing {
            skipSpaces()
            var key = ""
            while index < characters.count, characters[index] != "=" {
                guard characters[index] != "," else { throw error("expected '=' after '\(key)'") }
                key.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw error("expected '=' after '\(key)'") }
            index += 1
            let value = try parseValue(closing: closing, allowBareList: true)
            members.append((key.trimmingCharacters(in: .whitespaces), value))
            skipSpaces()
            if index < characters.count, characters[index] == "," { index += 1 }
        }
        return Response.object(members)
    }

    /// A scalar, `[list]` or `{structure}`. A bare scalar followed by `,word`
    /// without `=` continues as a list, as the CLI reads `Key=a,b`.
    mutating func parseValue(closing: Character?, allowBareList: Bool) throws(UsageError) -> JSONValue {
        skipSpaces()
        guard index < characters.count else { return Response.string("") }
        let opens = characters[index] == "[" || characters[index] == "{"
        if opens {
            depth += 1
            guard depth <= Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        }
        defer { if opens { depth -= 1 } }
        switch characters[index] {
        case "[":
            index += 1
            var elements: [JSONValue] = []
            while true {
                skipSpaces()
                guard index < characters.count else { throw error("'[' is not closed") }
                if characters[index] == "]" {
                    index += 1
                    break
                }
                elements.append(try parseValue(closing: "]", allowBareList: false))
                skipSpaces()
                if index < characters.count, characters[index] == "," { index += 1 }
            }
            return Response.array(elements)
        case "{":
            index += 1
            let value = try parseMembers(closing: "}")
            guard index < characters.count, characters[index] == "}" else { throw error("'{' is not closed") }
            index += 1
            return value
        default:
            let first = try parseScalar(closing: closing)
            guard allowBareList else { return Response.string(first) }
            var list = [first]
            while index < characters.count, characters[index] == ",", !nextIsKey() {
                index += 1
                list.append(try parseScalar(closing: closing))
            }
            return list.count == 1 ? Response.string(first) : Response.array(list.map(Response.string))
        }
    }

    mutating func parseScalar(closing: Character?) throws(UsageError) -> String {
        var text = ""
        if index < characters.count, characters[index] == "\"" || characters[index] == "'" {
            let quote = characters[index]
            index += 1
            while index < characters.count, characters[index] != quote {
                if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                text.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw error("the quote is not closed") }
            index += 1
            return text
        }
        while index < characters.count, characters[index] != ",", characters[index] != closing,
            characters[index] != "]"
        {
            if characters[index] == "\\", index + 1 < characters.count { index += 1 }
            text.append(characters[index])
            index += 1
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Whether the text after the comma at `index` is `key=`.
    func nextIsKey() -> Bool {
        var probe = index + 1
        while probe < characters.count, characters[probe] != ",", characters[probe] != "[", characters[probe] != "{" {
            if characters[probe] == "=" { return true }
            probe += 1
        }
        return false
    }

    mutating func skipSpaces() {
        while index < characters.count, characters[index] == " " { index += 1 }
    }

    func error(_ message: String) -> UsageError {
        UsageError(
            message: "Error parsing parameter '\(option)': \(message), in the shorthand value: \(String(characters))",
            argument: option)
    }
}
