/// Reads the lines of the model's data format (documented in
/// scripts/generate-cli-model): option lines, type expressions and one
/// top-level command's section.
enum CLIModelFormat {
    struct Failure: Error {
        /// 0-based line within the text handed to the parser.
        var line: Int
        var message: String
    }

    /// A section's or the header's enums, by number.
    typealias Enums = [Int: [String]]

    /// The option line fields after the record letter: name, type, flags, member.
    /// `pageType` stands in for `@` (the paging options' type).
    static func option(_ fields: [Substring], enums: Enums, pageType: CLIValueType? = nil) throws(Failure) -> CLIOption
    {
        guard fields.count >= 4 else { throw Failure(line: 0, message: "an option needs a name, a type and flags") }
        let typeText = fields[2]
        let type: CLIValueType
        if typeText == "@" {
            type = pageType ?? .integer
        } else {
            type = try Self.type(typeText, enums: enums)
        }
        var flags = fields[3].utf8[...]
        guard let first = flags.popFirst() else { throw Failure(line: 0, message: "an option needs an arity") }
        let arity: CLIArity
        switch first {
        case UInt8(ascii: "0"): arity = .none
        case UInt8(ascii: "1"): arity = .one
        case UInt8(ascii: "?"): arity = .optional
        case UInt8(ascii: "*"): arity = .zeroOrMore
        case UInt8(ascii: "+"): arity = .oneOrMore
        case UInt8(ascii: "2")...UInt8(ascii: "9"): arity = .exactly(Int(first - UInt8(ascii: "0")))
        default: throw Failure(line: 0, message: "unknown arity '\(Character(Unicode.Scalar(first)))'")
        }
        let letters = Set(flags)
        let name = String(fields[1])
        let negatable = letters.contains(UInt8(ascii: "n"))
        return CLIOption(
            name: name, type: type, arity: arity, isRequired: letters.contains(UInt8(ascii: "r")),
            isHidden: letters.contains(UInt8(ascii: "h")), isPositional: letters.contains(UInt8(ascii: "p")),
            negation: negatable ? "--no-" + name.dropFirst(2) : nil,
            member: fields.count > 4 && !fields[4].isEmpty ? String(fields[4]) : nil)
    }

    /// Parses a type expression such as `s`, `e3`, `[S12` or `{s[s`.
    static func type(_ text: Substring, enums: Enums) throws(Failure) -> CLIValueType {
        var reader = TypeReader(bytes: Array(text.utf8), enums: enums)
        let type = try reader.read(depth: 0)
        guard reader.index == reader.bytes.count else {
            throw Failure(line: 0, message: "unexpected text after the type '\(text)'")
        }
        return type
    }

    private struct TypeReader {
        let bytes: [UInt8]
        let enums: Enums
        var index = 0

        mutating func read(depth: Int) throws(Failure) -> CLIValueType {
            guard depth < 64, index < bytes.count else { throw Failure(line: 0, message: "incomplete type") }
            let letter = bytes[index]
            index += 1
            switch letter {
            case UInt8(ascii: "s"): return .string
            case UInt8(ascii: "i"): return .integer
            case UInt8(ascii: "l"): return .long
            case UInt8(ascii: "f"): return .float
            case UInt8(ascii: "d"): return .double
            case UInt8(ascii: "b"): return .boolean
            case UInt8(ascii: "B"): return .blob
            case UInt8(ascii: "t"): return .timestamp
            case UInt8(ascii: "j"): return .document
            case UInt8(ascii: "e"):
                let number = try readNumber()
                guard let values = enums[number] else { throw Failure(line: 0, message: "no enum \(number)") }
                return .enumeration(values)
            case UInt8(ascii: "S"): return .structure(id: try readNumber())
            case UInt8(ascii: "["): return .list(try read(depth: depth + 1))
            case UInt8(ascii: "{"):
                let key = try read(depth: depth + 1)
                return .map(key: key, value: try read(depth: depth + 1))
            default:
                throw Failure(line: 0, message: "unknown type letter '\(Character(Unicode.Scalar(letter)))'")
            }
        }

        mutating func readNumber() throws(Failure) -> Int {
            var value = 0
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"),
                index - start < 9
            {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            guard index > start else { throw Failure(line: 0, message: "a number was expected in a type") }
            return value
        }
    }

    /// The implicit options operations take by their flags: `J` lines for flag
    /// `j`, `P` lines for flag `p` (with `@` resolved per operation).
    struct ImplicitOptions: Sendable {
        var input: [CLIOption] = []
        /// Raw fields, resolved when an operation names its page type.
        var paging: [[String]] = []
        var headerEnums: Enums = [:]
    }

    /// Parses one top-level command's section.
    static func section(_ text: Substring, implicit: ImplicitOptions) throws(Failure) -> CLIService {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var enums: Enums = [:]
        var structureLines: [(Int, [Substring], Int)] = []
        // Enums and structures follow the commands that use them: read them first.
        for (number, line) in lines.enumerated()
        where line.hasPrefix("E\t") || line.hasPrefix("T\t") || line.hasPrefix("U\t") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2, let id = Int(fields[1]) else {
                throw Failure(line: number, message: "a numbered record needs its number")
            }
            if line.hasPrefix("E\t") {
                enums[id] = fields.dropFirst(2).map(String.init)
            } else {
                structureLines.append((id, fields, number))
            }
        }
        guard let first = lines.first, first.hasPrefix("S\t") else {
            throw Failure(line: 0, message: "a section starts with its S line")
        }
        let header = first.split(separator: "\t", omittingEmptySubsequences: false)
        guard header.count >= 4 else { throw Failure(line: 0, message: "the S line needs a name, a service and flags") }
        var service = CLIService(
            name: String(header[1]), botocoreName: header[2] == "-" ? nil : String(header[2]),
            isCustomisation: header[3].contains("c"), isHidden: header[3].contains("h"),
            isV2Only: header[3].contains("2"), operations: [:], structures: [])
        service.structures = try structures(structureLines, enums: enums)
        var current: CLIOperation?
        for (number, line) in lines.enumerated().dropFirst() {
            guard let kind = line.first else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            do throws(Failure) {
                switch kind {
                case "O":
                    if let done = current { service.operations[done.name] = done }
                    current = try operation(fields, implicit: implicit)
                case "A":
                    guard current != nil else { throw Failure(line: 0, message: "an option before any command") }
                    current?.options.append(try option(fields, enums: enums))
                case "X":
                    guard fields.count == 4, current != nil else {
                        throw Failure(line: 0, message: "an equivalent needs an option, a command and its option")
                    }
                    current?.equivalents.append(
                        CLIEquivalent(
                            option: String(fields[1]), otherCommand: String(fields[2]), otherOption: String(fields[3])))
                case "E", "T", "U":
                    continue
                default:
                    throw Failure(line: 0, message: "unknown record '\(kind)'")
                }
            } catch {
                throw Failure(line: number, message: error.message)
            }
        }
        if let done = current { service.operations[done.name] = done }
        return service
    }

    private static func operation(_ fields: [Substring], implicit: ImplicitOptions) throws(Failure) -> CLIOperation {
        guard fields.count >= 4 else {
            throw Failure(line: 0, message: "a command needs a path, an API name and flags")
        }
        let flags = Array(fields[3].utf8)
        var operation = CLIOperation(
            path: fields[1].split(separator: " ").map(String.init), apiName: fields[2] == "-" ? nil : String(fields[2]),
            isCustomisation: flags.contains(UInt8(ascii: "c")), hasSubcommands: flags.contains(UInt8(ascii: "g")),
            isHidden: flags.contains(UInt8(ascii: "h")), isV2Only: flags.contains(UInt8(ascii: "2")),
            paginates: false, hasOutfile: flags.contains(UInt8(ascii: "o")), options: [], equivalents: [])
        if flags.contains(UInt8(ascii: "j")) { operation.options += implicit.input }
        if let p = flags.firstIndex(of: UInt8(ascii: "p")) {
            operation.paginates = true
            let pageLetter = p + 1 < flags.count ? flags[p + 1] : UInt8(ascii: "-")
            let hasPageSize = pageLetter != UInt8(ascii: "-")
            let pageType: CLIValueType =
                hasPageSize ? try type(Substring(String(Unicode.Scalar(pageLetter))), enums: [:]) : .integer
            for raw in implicit.paging where hasPageSize || raw[1] != "--page-size" {
                operation.options.append(
                    try option(raw.map { Substring($0) }, enums: implicit.headerEnums, pageType: pageType))
            }
        }
        return operation
    }

    private static func structures(_ lines: [(Int, [Substring], Int)], enums: Enums) throws(Failure) -> [CLIStructure] {
        var result = [CLIStructure?](repeating: nil, count: lines.count)
        for (id, fields, number) in lines {
            guard id < lines.count, result[id] == nil else {
                throw Failure(line: number, message: "structure \(id) is out of order or repeated")
            }
            var members: [CLIStructure.Member] = []
            for entry in fields.dropFirst(2) {
                guard let colon = entry.firstIndex(of: ":") else {
                    throw Failure(line: number, message: "a member is Name:type")
                }
                let required = entry.hasPrefix("*")
                let name = entry[(required ? entry.index(after: entry.startIndex) : entry.startIndex)..<colon]
                let memberType: CLIValueType
                do throws(Failure) {
                    memberType = try type(entry[entry.index(after: colon)...], enums: enums)
                } catch {
                    throw Failure(line: number, message: error.message)
                }
                members.append(.init(name: String(name), type: memberType, isRequired: required))
            }
            result[id] = CLIStructure(members: members, isUnion: fields[0] == "U")
        }
        return result.compactMap { $0 }
    }
}
