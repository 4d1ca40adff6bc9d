import KBJSON

/// The bodies of the built-in functions, called once the arguments have been
/// checked against their signatures (so the force-unwraps below cannot fail).
/// Results are what Python's `jmespath` computes, numbers included.
enum Builtins {
    /// Only dispatches, so its frame stays small on the recursion path of `map` and `sort_by`.
    static func call(_ name: String, _ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        switch name {
        case "abs": return absolute(arguments)
        case "avg": return try average(arguments)
        case "ceil": return try ceiling(arguments)
        case "contains": return try contains(arguments)
        case "ends_with": return endsWith(arguments)
        case "floor": return try flooring(arguments)
        case "join": return join(arguments)
        case "keys": return keys(arguments)
        case "length": return length(arguments)
        case "map": return try mapping(arguments)
        case "max": return try largest(arguments)
        case "max_by": return try largestBy(arguments)
        case "merge": return merge(arguments)
        case "min": return try smallest(arguments)
        case "min_by": return try smallestBy(arguments)
        case "not_null": return notNull(arguments)
        case "reverse": return reversed(arguments)
        case "sort": return sorted(arguments)
        case "sort_by": return try sortedBy(arguments)
        case "starts_with": return startsWith(arguments)
        case "sum": return try total(arguments)
        case "to_array": return toArray(arguments)
        case "to_number": return toNumber(arguments)
        case "to_string": return toString(arguments)
        case "type": return typeName(arguments)
        case "values": return values(arguments)
        default: throw JMESPathError("Unknown function: \(name)()")
        }
    }

    static func absolute(_ arguments: [Argument]) -> JSONValue {
        switch PythonNumber(arguments[0].value.number!) {
        case .int(let int): return PythonNumber.int(int.magnitude).json
        case .float(let double): return PythonNumber.float(double.magnitude).json
        }
    }

    /// Python's `sum(values) / len(values)`: always a float.
    static func average(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        let numbers = arguments[0].value.elements!.map { PythonNumber($0.number!) }
        if numbers.isEmpty { return .null }
        return PythonNumber.float(try sum(numbers).double() / Double(numbers.count)).json
    }

    static func ceiling(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        try wholeNumber(PythonNumber(arguments[0].value.number!), rounding: .up).json
    }

    static func flooring(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        try wholeNumber(PythonNumber(arguments[0].value.number!), rounding: .down).json
    }

    static func contains(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        let (subject, search) = (arguments[0].value, arguments[1].value)
        guard let text = subject.string else {
            return JSONValue(.bool(subject.elements!.contains { pythonEquals($0, search) }))
        }
        guard let needle = search.string else {
            throw JMESPathError("'in <string>' requires string as left operand, not \(search.jmesType)")
        }
        // UTF-8 substrings are code point substrings, which is what Python's `in` finds.
        let haystack = Array(text.utf8)
        let pattern = Array(needle.utf8)
        guard haystack.count >= pattern.count else { return JSONValue(.bool(false)) }
        let found = (0...(haystack.count - pattern.count)).contains {
            haystack[$0..<$0 + pattern.count].elementsEqual(pattern)
        }
        return JSONValue(.bool(found))
    }

    static func endsWith(_ arguments: [Argument]) -> JSONValue {
        let (text, suffix) = (arguments[0].value.string!, arguments[1].value.string!)
        return JSONValue(.bool(text.utf8.reversed().starts(with: suffix.utf8.reversed())))
    }

    static func startsWith(_ arguments: [Argument]) -> JSONValue {
        JSONValue(.bool(arguments[0].value.string!.utf8.starts(with: arguments[1].value.string!.utf8)))
    }

    static func join(_ arguments: [Argument]) -> JSONValue {
        let parts = arguments[1].value.elements!.map { $0.string! }
        return JSONValue(.string(parts.joined(separator: arguments[0].value.string!)))
    }

    static func keys(_ arguments: [Argument]) -> JSONValue {
        JSONValue(.array(arguments[0].value.members!.map { JSONValue(.string($0.key)) }))
    }

    static func values(_ arguments: [Argument]) -> JSONValue {
        JSONValue(.array(arguments[0].value.members!.map(\.value)))
    }

    /// Strings count code points, as Python's `len` does.
    static func length(_ arguments: [Argument]) -> JSONValue {
        let value = arguments[0].value
        let count = value.string?.unicodeScalars.count ?? value.elements?.count ?? value.members!.count
        return PythonNumber.int(PythonInt(count)).json
    }

    /// Unlike a projection, keeps null results.
    static func mapping(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        var results: [JSONValue] = []
        for element in arguments[1].value.elements! { results.append(try arguments[0].expression.evaluate(element)) }
        return JSONValue(.array(results))
    }

    static func largest(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        let elements = arguments[0].value.elements!
        return try extreme(elements, keys: elements, largest: true)
    }

    static func smallest(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        let elements = arguments[0].value.elements!
        return try extreme(elements, keys: elements, largest: false)
    }

    static func largestBy(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        let elements = arguments[0].value.elements!
        let keys = try keys(of: elements, arguments[1].expression, "max_by", allowed: ["number", "string"])
        return try extreme(elements, keys: keys, largest: true)
    }

    static func smallestBy(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        let elements = arguments[0].value.elements!
        let keys = try keys(of: elements, arguments[1].expression, "min_by", allowed: ["number", "string"])
        return try extreme(elements, keys: keys, largest: false)
    }

    /// Later objects' members replace earlier ones in place, as `dict.update` does.
    static func merge(_ arguments: [Argument]) -> JSONValue {
        var object = ObjectBuilder()
        for argument in arguments {
            for member in argument.value.members! { object.set(member) }
        }
        return object.value
    }

    static func notNull(_ arguments: [Argument]) -> JSONValue {
        arguments.lazy.map(\.value).first { !$0.isNull } ?? .null
    }

    /// Strings reverse by code point, as Python's `[::-1]` does.
    static func reversed(_ arguments: [Argument]) -> JSONValue {
        let value = arguments[0].value
        if let string = value.string {
            return JSONValue(.string(String(String.UnicodeScalarView(string.unicodeScalars.reversed()))))
        }
        return JSONValue(.array(value.elements!.reversed()))
    }

    static func sorted(_ arguments: [Argument]) -> JSONValue {
        let elements = arguments[0].value.elements!
        return JSONValue(.array(stableSorted(elements, by: elements)))
    }

    /// The first element's key decides whether all keys must be numbers or strings.
    static func sortedBy(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        let elements = arguments[0].value.elements!
        guard let head = elements.first else { return arguments[0].value }
        let required = try arguments[1].expression.evaluate(head).jmesType
        if required != "number" && required != "string" {
            throw typeError("sort_by", head, required, ["string", "number"])
        }
        let keys = try keys(of: elements, arguments[1].expression, "sort_by", allowed: [required])
        return JSONValue(.array(stableSorted(elements, by: keys)))
    }

    static func total(_ arguments: [Argument]) throws(JMESPathError) -> JSONValue {
        try sum(arguments[0].value.elements!.map { PythonNumber($0.number!) }).json
    }

    static func toArray(_ arguments: [Argument]) -> JSONValue {
        let value = arguments[0].value
        return value.elements != nil ? value : JSONValue(.array([value]))
    }

    static func toString(_ arguments: [Argument]) -> JSONValue {
        let value = arguments[0].value
        return value.string != nil ? value : JSONValue(.string(value.pythonJSON))
    }

    static func toNumber(_ arguments: [Argument]) -> JSONValue {
        let value = arguments[0].value
        if value.number != nil { return value }
        return value.string.flatMap { PythonNumber(pythonText: $0)?.json } ?? .null
    }

    static func typeName(_ arguments: [Argument]) -> JSONValue {
        JSONValue(.string(arguments[0].value.jmesType))
    }

    // MARK: - Helpers

    /// Python's `sum`: exact for integers, floats once a float is met.
    private static func sum(_ numbers: [PythonNumber]) throws(JMESPathError) -> PythonNumber {
        var total = PythonNumber.int(PythonInt(0))
        for number in numbers { total = try total + number }
        return total
    }

    /// `math.ceil` / `math.floor`, which return Python integers.
    private static func wholeNumber(_ number: PythonNumber, rounding: FloatingPointRoundingRule)
        throws(JMESPathError) -> PythonNumber
    {
        guard case .float(let double) = number else { return number }
        if double.isNaN { throw JMESPathError("cannot convert float NaN to integer") }
        if double.isInfinite { throw JMESPathError("cannot convert float infinity to integer") }
        return .int(PythonInt(exactly: double.rounded(rounding))!)
    }

    /// The expression applied to each element, each result checked to be of an allowed type.
    private static func keys(of elements: [JSONValue], _ expression: Node, _ name: String, allowed: [String])
        throws(JMESPathError) -> [JSONValue]
    {
        var keys: [JSONValue] = []
        for element in elements {
            let key = try expression.evaluate(element)
            guard allowed.contains(key.jmesType) else { throw typeError(name, key, key.jmesType, allowed) }
            keys.append(key)
        }
        return keys
    }

    /// The first element with the largest (or smallest) key, as Python's `max` and `min` pick.
    private static func extreme(_ elements: [JSONValue], keys: [JSONValue], largest: Bool) throws(JMESPathError)
        -> JSONValue
    {
        guard var best = keys.indices.first else { return .null }
        for position in keys.indices.dropFirst() {
            let order = try pythonOrder(keys[position], keys[best], largest ? ">" : "<")
            if order == (largest ? 1 : -1) { best = position }
        }
        return elements[best]
    }

    /// Python's `sorted`, which is stable; the keys are all numbers or all strings.
    private static func stableSorted(_ elements: [JSONValue], by keys: [JSONValue]) -> [JSONValue] {
        let order = keys.indices.sorted { left, right in
            let order = (try? pythonOrder(keys[left], keys[right], "<")) ?? nil
            if let order, order != 0 { return order < 0 }
            return left < right
        }
        return order.map { elements[$0] }
    }
}
