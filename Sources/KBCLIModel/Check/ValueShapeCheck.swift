import KBJSON

/// Checks a JSON or shorthand value against the type the model gives its
/// option, as botocore validates parameters before sending them: unknown and
/// missing required members, a union with two members set, and scalars of the
/// wrong type. Shorthand scalars are text the CLI converts by the model, so for
/// them only what fails to convert is wrong (`Days=ten`).
struct ValueShapeCheck {
    let service: CLIService
    let fromShorthand: Bool
    /// The value holds shell expansions replaced by stand-ins: their scalars
    /// are unknown, so only names and structure are checked.
    let lenientScalars: Bool
    var problems: [String] = []
    /// At most this many problems are collected from one value.
    static let maxProblems = 3

    init(service: CLIService, fromShorthand: Bool, lenientScalars: Bool) {
        self.service = service
        self.fromShorthand = fromShorthand
        self.lenientScalars = lenientScalars
    }

    mutating func check(_ value: JSONValue, as type: CLIValueType, at path: String, depth: Int = 0) {
        guard problems.count < Self.maxProblems, depth < 200 else { return }
        switch type {
        case .structure(let id):
            guard let structure = service.structure(id) else { return }
            guard let members = value.members else { return mismatch(value, "an object", path) }
            checkStructure(members, structure, path: path, depth: depth)
        case .list(let elementType):
            // The CLI makes a list of a single shorthand value (`Values=a`).
            guard let elements = value.elements else {
                if fromShorthand { return check(value, as: elementType, at: path + "[0]", depth: depth + 1) }
                return mismatch(value, "a list", path)
            }
            for (index, element) in elements.enumerated() {
                check(element, as: elementType, at: "\(path)[\(index)]", depth: depth + 1)
            }
        case .map(_, let valueType):
            guard let members = value.members else { return mismatch(value, "an object", path) }
            for member in members {
                check(member.value, as: valueType, at: "\(path).\(member.key)", depth: depth + 1)
            }
        case .document:
            if fromShorthand {
                problems.append("\(path) is a document: shorthand syntax cannot set it; give the value as JSON")
            }
        default:
            checkScalar(value, type, path)
        }
    }

    private mutating func checkStructure(
        _ members: [JSONMember], _ structure: CLIStructure, path: String, depth: Int
    ) {
        let names = structure.members.map(\.name)
        for member in members {
            guard let model = structure.member(named: member.key) else {
                let close = CLIModel.closest(to: member.key, in: names)
                let hint = close.map { " (did you mean '\($0)'?)" } ?? " (it takes \(Self.list(names)))"
                problems.append("\(path) has no member '\(member.key)'\(hint)")
                continue
            }
            check(member.value, as: model.type, at: "\(path).\(member.key)", depth: depth + 1)
        }
        let given = Set(members.map(\.key))
        let missing = structure.members.filter { $0.isRequired && !given.contains($0.name) }.map(\.name)
        if !missing.isEmpty {
            problems.append("\(path) needs \(Self.list(missing))")
        }
        if structure.isUnion, given.count > 1 {
            problems.append("\(path) sets \(Self.list(given.sorted())): only one of its members may be set")
        }
    }

    private mutating func checkScalar(_ value: JSONValue, _ type: CLIValueType, _ path: String) {
        if case .null = value.kind, !fromShorthand { return mismatch(value, Self.expected(type), path) }
        guard !lenientScalars else { return }
        if fromShorthand {
            guard let text = value.string else { return mismatch(value, Self.expected(type), path) }
            if let problem = CLIScalar.problem(text, type, option: path) { problems.append(problem) }
            return
        }
        switch type {
        case .integer, .long:
            guard let number = value.number, CLIScalar.isIntegerLiteral(number.literal) else {
                return mismatch(value, "an integer", path)
            }
        case .float, .double:
            guard value.number != nil else { return mismatch(value, "a number", path) }
        case .boolean:
            guard value.bool != nil else { return mismatch(value, "true or false", path) }
        case .timestamp:
            guard value.string != nil || value.number != nil else { return mismatch(value, "a timestamp", path) }
        case .enumeration:
            guard let text = value.string else { return mismatch(value, "a string", path) }
            if let problem = CLIScalar.problem(text, type, option: path) { problems.append(problem) }
        default:
            guard value.string != nil else { return mismatch(value, "a string", path) }
        }
    }

    private mutating func mismatch(_ value: JSONValue, _ expected: String, _ path: String) {
        let found: String
        switch value.kind {
        case .string(let text): found = "the string \"\(text.prefix(40))\""
        case .number(let number): found = "the number \(number.literal.prefix(40))"
        default: found = value.typeName
        }
        problems.append("\(path) must be \(expected), not \(found)")
    }

    static func expected(_ type: CLIValueType) -> String {
        switch type {
        case .integer, .long: "an integer"
        case .float, .double: "a number"
        case .boolean: "true or false"
        case .structure, .map: "an object"
        case .list: "a list"
        default: "a string"
        }
    }

    /// `A, B and C`, the first few of a long list.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(8).map { "'\($0)'" }
        let more = names.count > shown.count ? " and \(names.count - shown.count) more" : ""
        guard shown.count > 1 else { return (shown.first ?? "") + more }
        if !more.isEmpty { return shown.joined(separator: ", ") + more }
        return shown.dropLast().joined(separator: ", ") + " and " + shown.last!
    }
}
