import KBJSON

/// A function argument: a value, or with `&`, an expression the function applies itself.
enum Argument {
    case value(JSONValue)
    case expression(Node)

    /// The value of an argument whose type has been checked to be a value.
    var value: JSONValue {
        if case .value(let value) = self { return value }
        return .null
    }

    /// The expression of an argument whose type has been checked to be `expref`.
    var expression: Node {
        if case .expression(let node) = self { return node }
        return Node(.current)
    }
}

/// A built-in function's signature. Parameter types use the reference's vocabulary
/// (`array-number` is an array of numbers, `expref` an `&expression`) so type errors
/// read as the AWS CLI's do; an empty list accepts any value.
private struct Signature: Sendable {
    var parameters: [[String]]
    var variadic = false
}

private let signatures: [String: Signature] = [
    "abs": Signature(parameters: [["number"]]),
    "avg": Signature(parameters: [["array-number"]]),
    "ceil": Signature(parameters: [["number"]]),
    "contains": Signature(parameters: [["array", "string"], []]),
    "ends_with": Signature(parameters: [["string"], ["string"]]),
    "floor": Signature(parameters: [["number"]]),
    "join": Signature(parameters: [["string"], ["array-string"]]),
    "keys": Signature(parameters: [["object"]]),
    "length": Signature(parameters: [["string", "array", "object"]]),
    "map": Signature(parameters: [["expref"], ["array"]]),
    "max": Signature(parameters: [["array-number", "array-string"]]),
    "max_by": Signature(parameters: [["array"], ["expref"]]),
    "merge": Signature(parameters: [["object"]], variadic: true),
    "min": Signature(parameters: [["array-number", "array-string"]]),
    "min_by": Signature(parameters: [["array"], ["expref"]]),
    "not_null": Signature(parameters: [[]], variadic: true),
    "reverse": Signature(parameters: [["array", "string"]]),
    "sort": Signature(parameters: [["array-string", "array-number"]]),
    "sort_by": Signature(parameters: [["array"], ["expref"]]),
    "starts_with": Signature(parameters: [["string"], ["string"]]),
    "sum": Signature(parameters: [["array-number"]]),
    "to_array": Signature(parameters: [[]]),
    "to_number": Signature(parameters: [[]]),
    "to_string": Signature(parameters: [[]]),
    "type": Signature(parameters: [[]]),
    "values": Signature(parameters: [["object"]]),
]

/// The reference's wording for a value of the wrong type.
func typeError(_ function: String, _ value: JSONValue?, _ received: String, _ expected: [String]) -> JMESPathError {
    let shown = value?.pythonJSON ?? "&expression"
    let list = "[" + expected.map { "'\($0)'" }.joined(separator: ", ") + "]"
    return JMESPathError(
        "In function \(function)(), invalid type for value: \(shown), expected one of: \(list), received: \"\(received)\""
    )
}

extension Node {
    /// Evaluates the arguments, then, as the reference does, looks the function up
    /// and checks the arguments' number and types before calling it.
    @inline(never)
    func callFunction(on value: JSONValue) throws(JMESPathError) -> JSONValue {
        guard case .function(let name, let argumentNodes) = kind else { return .null }
        var arguments: [Argument] = []
        for node in argumentNodes {
            if case .expressionReference(let inner) = node.kind {
                arguments.append(.expression(inner))
            } else {
                arguments.append(.value(try node.evaluate(value)))
            }
        }
        return try Node.call(name, arguments)
    }

    @inline(never)
    private static func call(_ name: String, _ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        guard let signature = signatures[name] else { throw JMESPathError("Unknown function: \(name)()") }
        try check(arguments, against: signature, name)
        return try Builtins.call(name, arguments)
    }

    private static func check(_ arguments: [Argument], against signature: Signature, _ name: String)
        throws(JMESPathError)
    {
        let expected = signature.parameters.count
        let plural = expected == 1 ? "argument" : "arguments"
        if signature.variadic, arguments.count < expected {
            throw JMESPathError(
                "Expected at least \(expected) \(plural) for function \(name)(), received \(arguments.count)")
        }
        if !signature.variadic, arguments.count != expected {
            throw JMESPathError("Expected \(expected) \(plural) for function \(name)(), received \(arguments.count)")
        }
        for (position, argument) in arguments.enumerated() {
            // Extra variadic arguments take the last parameter's types (Python checks
            // none of them, so `merge({}, [["a", 1]])` would "work" there).
            try checkType(argument, signature.parameters[min(position, expected - 1)], name)
        }
    }

    private static func checkType(_ argument: Argument, _ types: [String], _ name: String) throws(JMESPathError) {
        guard case .value(let value) = argument else {
            // Even where any value is accepted: Python would pass an internal object
            // along (`type(&a)` is null, `to_string(&a)` a memory address).
            if !types.contains("expref") { throw typeError(name, nil, "expref", types) }
            return
        }
        if types.isEmpty { return }
        let topLevel = types.map { $0.split(separator: "-").first.map(String.init) ?? $0 }
        guard topLevel.contains(value.jmesType) else { throw typeError(name, value, value.jmesType, types) }
        let elementTypes = types.compactMap { $0.split(separator: "-").dropFirst().first.map(String.init) }
        guard let elements = value.elements, !elementTypes.isEmpty, let first = elements.first else { return }
        // With a choice of element types, the first element decides which one all must have.
        let required = elementTypes.count == 1 ? elementTypes[0] : first.jmesType
        guard elementTypes.contains(required) else { throw typeError(name, first, first.jmesType, types) }
        if let wrong = elements.first(where: { $0.jmesType != required }) {
            throw typeError(name, wrong, wrong.jmesType, types)
        }
    }
}
