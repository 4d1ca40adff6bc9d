import KBJSON

/// Each option's values by the type the model gives it.
extension CommandCheckRun {
    static let fileSchemes = ["file://", "fileb://"]

    /// The path of a `file://` or `fileb://` value.
    static func paramFile(_ text: String) -> String? {
        for scheme in fileSchemes where text.hasPrefix(scheme) { return String(text.dropFirst(scheme.count)) }
        return nil
    }

    mutating func checkValues(_ given: GivenOption, operation: CLIOperation, service: CLIService) {
        let option = given.option
        guard !option.isPositional else { return }
        var values: [(index: Int, argument: CommandArgument)] = []
        for value in given.values {
            let argument = text(of: value)
            if let path = Self.paramFile(argument.text) {
                // Read from a file the caller looks for; its content is not checked here.
                result.files.append(FileReference(argument: value.index, path: path, option: option.name))
                continue
            }
            values.append((value.index, argument))
        }
        guard !values.isEmpty else { return }
        if option.name == "--cli-input-json" {
            return checkInputJSON(values[0].argument, at: values[0].index, operation: operation, service: service)
        }
        switch option.type {
        case .structure, .map, .document:
            checkComplex(values[0].argument, as: option.type, option: option.name, at: values[0].index, in: service)
        case .list(let element):
            let first = values[0].argument
            if values.count == 1, first.standIn.trimmingSpaces.hasPrefix("[") {
                checkComplex(first, as: option.type, option: option.name, at: values[0].index, in: service)
            } else if element.isComplex {
                for value in values {
                    checkComplex(value.argument, as: element, option: option.name, at: value.index, in: service)
                }
            } else {
                for value in values where !value.argument.isDynamic {
                    if let message = CLIScalar.problem(value.argument.text, element, option: option.name) {
                        problem(.badValue, message, at: value.index)
                    }
                }
            }
        case .blob:
            checkBlob(values[0].argument, option: option, operation: operation, at: values[0].index)
        default:
            let value = values[0]
            guard !value.argument.isDynamic,
                let message = CLIScalar.problem(value.argument.text, option.type, option: option.name)
            else { return }
            problem(.badValue, message, at: value.index)
        }
    }

    /// A structure, map, document or list given as JSON or shorthand.
    mutating func checkComplex(
        _ argument: CommandArgument, as type: CLIValueType, option: String, at index: Int, in service: CLIService
    ) {
        let text = argument.standIn.trimmingSpaces
        // An excerpt (`{"Rules": [...]}`) is an illustration, not a value.
        guard !text.contains("..."), !text.contains("…") else { return }
        // `"$MANIFEST"`: the whole value comes from the shell.
        if argument.isDynamic, !text.hasPrefix("{"), !text.hasPrefix("["), !argument.text.contains("=") { return }
        if text.hasPrefix("{") || text.hasPrefix("[") || type == .document {
            let parsed = JSONParser.parse(text)
            if let issue = parsed.issues.first(where: { $0.kind == .syntax || $0.kind == .limit }) {
                return problem(.badValue, "\(option) is not valid JSON: \(issue.message)", at: index)
            }
            guard let value = parsed.value else { return }
            var shape = ValueShapeCheck(service: service, fromShorthand: false, lenientScalars: argument.isDynamic)
            shape.check(value, as: type, at: option)
            for message in shape.problems { problem(.badValue, message, at: index) }
            return
        }
        guard type.supportsShorthand else {
            return problem(.badValue, "\(option) takes JSON, not '\(text.prefix(60))'", at: index)
        }
        // A structure whose one member is a string `Value` takes the bare value.
        if case .structure(let id) = type, let structure = service.structure(id), structure.members.count == 1,
            structure.members[0].name == "Value", !text.contains("=")
        {
            return
        }
        let value: JSONValue
        do {
            value = try ShorthandSyntax.parse(text)
        } catch {
            return problem(
                .badValue,
                "\(option) is not valid shorthand syntax: \(error.message) (at character \(error.offset + 1))",
                at: index, notes: ["shorthand is Key=Value,Key2=[a,b],Key3={K=V}; JSON starts with '{'"])
        }
        var shape = ValueShapeCheck(service: service, fromShorthand: true, lenientScalars: argument.isDynamic)
        shape.check(value, as: type, at: option)
        for message in shape.problems { problem(.badValue, message, at: index) }
    }

    /// CLI v2 reads blob values as base64, unless `--cli-binary-format
    /// raw-in-base64-out` is given; a streaming blob is a file's path.
    mutating func checkBlob(_ argument: CommandArgument, option: CLIOption, operation: CLIOperation, at index: Int) {
        guard !argument.isDynamic, !option.isStreaming, !operation.isCustomisation,
            !CLIScalar.isPlaceholder(argument.text)
        else { return }
        let raw = globals["--cli-binary-format"]?.values.first.map { text(of: $0).text } == "raw-in-base64-out"
        guard !raw, !Self.isBase64(argument.text) else { return }
        problem(
            .badValue, "\(option.name) takes base64 in AWS CLI v2, and '\(argument.text.prefix(40))' is not base64",
            at: index,
            notes: [
                "give the bytes with fileb://FILE, or add --cli-binary-format raw-in-base64-out to send the text as it is"
            ])
    }

    /// Whether Python's `b64decode` reads it: characters outside the alphabet
    /// are skipped; the rest must be whole groups of four, or padded.
    static func isBase64(_ text: String) -> Bool {
        var data = 0
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                data += 1
            case UInt8(ascii: "="): padding += 1
            default: continue
            }
        }
        switch data % 4 {
        case 0: return true
        case 2: return padding >= 2
        case 3: return padding >= 1
        default: return false
        }
    }

    /// `--cli-input-json '{"KeyId": …}'`: JSON whose keys are the API's members.
    mutating func checkInputJSON(
        _ argument: CommandArgument, at index: Int, operation: CLIOperation, service: CLIService
    ) {
        let text = argument.standIn.trimmingSpaces
        guard !text.contains("..."), !text.contains("…") else { return }
        let parsed = JSONParser.parse(text)
        if let issue = parsed.issues.first(where: { $0.kind == .syntax || $0.kind == .limit }) {
            return problem(.badValue, "--cli-input-json is not valid JSON: \(issue.message)", at: index)
        }
        guard let members = parsed.value?.members else { return }
        var byMember: [String: CLIOption] = [:]
        for option in operation.options { if let member = option.member { byMember[member] = option } }
        var shape = ValueShapeCheck(service: service, fromShorthand: false, lenientScalars: argument.isDynamic)
        for member in members {
            guard let option = byMember[member.key] else {
                let close = CLIModel.closest(to: member.key, in: Array(byMember.keys))
                problem(
                    .badValue, "--cli-input-json has no member '\(member.key)' for this command", at: index,
                    notes: close.map { ["did you mean '\($0)'?"] } ?? [])
                continue
            }
            shape.check(member.value, as: option.type, at: "--cli-input-json \(member.key)")
        }
        for message in shape.problems { problem(.badValue, message, at: index) }
    }
}

extension CLIValueType {
    /// Structures, maps and lists of them: what shorthand syntax can express.
    var isComplex: Bool {
        switch self {
        case .structure, .map, .list, .document: true
        default: false
        }
    }

    /// awscli offers shorthand for structures, maps and lists of them, but not
    /// for documents or containers of documents.
    var supportsShorthand: Bool {
        switch self {
        case .structure: true
        case .map(_, let value): value != .document
        case .list(let element): element.isComplex && element.supportsShorthand
        default: false
        }
    }
}
