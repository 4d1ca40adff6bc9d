import KBJSON

extension JSONValue {
    var isNull: Bool {
        if case .null = kind { return true }
        return false
    }
}

extension Node {
    /// The tree-walking interpreter. Recursion follows the tree, whose height the
    /// parser bounds; chains (`a.b.c`, `[0][1]`) are loops. This frame is on the
    /// stack once per level of nesting, so it only dispatches: each case is an
    /// out-of-line call that takes its own operands apart.
    @inline(never)
    func evaluate(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        switch kind {
        case .current: return value
        case .field: return field(of: value)
        case .literal, .index, .slice: return try leaf(value)
        case .subexpression, .indexExpression: return try chain(value)
        case .projection, .valueProjection, .filterProjection: return try projection(value)
        case .flatten: return try flatten(value)
        case .comparison: return try comparison(value)
        case .or, .and, .not: return try logic(value)
        case .pipe: return try pipe(value)
        case .multiSelectList, .multiSelectHash: return try multiSelect(value)
        case .function: return try callFunction(on: value)
        case .expressionReference: throw Node.referenceOutsideCall()
        }
    }

    /// Python returns an internal object there, which the AWS CLI cannot print.
    @inline(never)
    private static func referenceOutsideCall() -> JMESPathError {
        JMESPathError("an expression reference (&...) can only be a function argument")
    }

    @inline(never)
    private func field(of value: JSONValue) -> JSONValue {
        guard case .field(let name) = kind, case .object(let members) = value.kind else { return .null }
        return members.last { sameText($0.key, name) }?.value ?? .null
    }

    @inline(never)
    private func leaf(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        switch kind {
        case .literal(let literal): return literal
        case .index(let index):
            guard case .array(let elements) = value.kind else { return .null }
            let position = index < 0 ? elements.count + index : index
            return elements.indices.contains(position) ? elements[position] : .null
        case .slice(let start, let stop, let step):
            guard case .array(let elements) = value.kind else { return .null }
            return JSONValue(.array(try Node.slice(elements, start: start, stop: stop, step: step)))
        default: return .null
        }
    }

    @inline(never)
    private func chain(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        guard case .subexpression(let nodes) = kind else {
            guard case .indexExpression(let nodes) = kind else { return .null }
            return try Node.chain(nodes, value)
        }
        return try Node.chain(nodes, value)
    }

    @inline(never)
    private func pipe(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        guard case .pipe(let left, let right) = kind else { return .null }
        return try right.evaluate(left.evaluate(value))
    }

    @inline(never)
    private func flatten(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        guard case .flatten(let inner) = kind, case .array(let elements) = try inner.evaluate(value).kind else {
            return .null
        }
        return JSONValue(.array(elements.flatMap { $0.elements ?? [$0] }))
    }

    /// Applies the right side to each element (or object value) of the left side,
    /// dropping nulls; a projection of something else is null.
    @inline(never)
    private func projection(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        let elements: [JSONValue]?
        var condition: Node?
        let right: Node
        switch kind {
        case .projection(let left, let node):
            elements = try left.evaluate(value).elements
            right = node
        case .valueProjection(let left, let node):
            elements = try left.evaluate(value).members?.map(\.value)
            right = node
        case .filterProjection(let left, let node, let test):
            elements = try left.evaluate(value).elements
            (right, condition) = (node, test)
        default:
            return .null
        }
        guard let elements else { return .null }
        var collected: [JSONValue] = []
        for element in elements {
            if let condition, !(try condition.evaluate(element).isTruthy) { continue }
            let result = try right.evaluate(element)
            if !result.isNull { collected.append(result) }
        }
        return JSONValue(.array(collected))
    }

    /// `||` and `&&` return an operand, not a boolean; `!` returns a boolean.
    @inline(never)
    private func logic(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        switch kind {
        case .or(let left, let right):
            let first = try left.evaluate(value)
            return first.isTruthy ? first : try right.evaluate(value)
        case .and(let left, let right):
            let first = try left.evaluate(value)
            return first.isTruthy ? try right.evaluate(value) : first
        case .not(let inner):
            return JSONValue(.bool(!(try inner.evaluate(value).isTruthy)))
        default:
            return .null
        }
    }

    /// `[a, b]` and `{k: a}`, null on null as in the reference.
    @inline(never)
    private func multiSelect(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        if value.isNull { return .null }
        if case .multiSelectList(let nodes) = kind { return try Node.list(nodes, value) }
        guard case .multiSelectHash(let pairs) = kind else { return .null }
        return try Node.hash(pairs, value)
    }

    @inline(never)
    private static func list(_ nodes: [Node], _ value: JSONValue) throws(JMESPathError) -> JSONValue {
        var elements: [JSONValue] = []
        for node in nodes { elements.append(try node.evaluate(value)) }
        return JSONValue(.array(elements))
    }

    /// A repeated key keeps its first position and its last value.
    @inline(never)
    private static func hash(_ pairs: [(key: String, value: Node)], _ value: JSONValue) throws(JMESPathError)
        -> JSONValue
    {
        var values: [JSONValue] = []
        for pair in pairs { values.append(try pair.value.evaluate(value)) }
        var object = ObjectBuilder()
        for (pair, result) in zip(pairs, values) { object.set(pair.key, result) }
        return object.value
    }

    private static func chain(_ nodes: [Node], _ value: JSONValue) throws(JMESPathError) -> JSONValue {
        var result = value
        for node in nodes { result = try node.evaluate(result) }
        return result
    }

    /// `==` and `!=` compare any values; the orderings apply to two numbers or two
    /// strings, give null for anything else, and fail on a number and a string.
    @inline(never)
    private func comparison(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        guard case .comparison(let comparator, let left, let right) = kind else { return .null }
        let (a, b) = (try left.evaluate(value), try right.evaluate(value))
        let symbol: String
        switch comparator {
        case .eq: return JSONValue(.bool(jmesEquals(a, b)))
        case .ne: return JSONValue(.bool(!jmesEquals(a, b)))
        case .lt: symbol = "<"
        case .lte: symbol = "<="
        case .gt: symbol = ">"
        case .gte: symbol = ">="
        }
        let orderable: (JSONValue) -> Bool = { $0.number != nil || $0.string != nil }
        guard orderable(a), orderable(b) else { return .null }
        guard let order = try pythonOrder(a, b, symbol) else { return JSONValue(.bool(false)) }
        switch comparator {
        case .lt: return JSONValue(.bool(order < 0))
        case .lte: return JSONValue(.bool(order <= 0))
        case .gt: return JSONValue(.bool(order > 0))
        default: return JSONValue(.bool(order >= 0))
        }
    }

    /// Python's `list[start:stop:step]`: bounds clamp, negatives count from the end.
    private static func slice(_ elements: [JSONValue], start: Int?, stop: Int?, step: Int?) throws(JMESPathError)
        -> [JSONValue]
    {
        let step = step ?? 1
        if step == 0 { throw JMESPathError("slice step cannot be zero") }
        let count = elements.count
        let (lower, upper) = step > 0 ? (0, count) : (-1, count - 1)
        func clamp(_ bound: Int?, default fallback: Int) -> Int {
            guard let bound else { return fallback }
            if bound < 0 { return max(bound + count, lower) }
            return min(bound, upper)
        }
        var position = clamp(start, default: step > 0 ? lower : upper)
        let end = clamp(stop, default: step > 0 ? upper : lower)
        var result: [JSONValue] = []
        while step > 0 ? position < end : position > end {
            result.append(elements[position])
            let (next, overflow) = position.addingReportingOverflow(step)
            if overflow { break }
            position = next
        }
        return result
    }
}
