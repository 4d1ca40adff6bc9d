/// A top-down operator precedence (Pratt) parser over the whole token list.
///
/// Its decisions mirror the reference implementation's, token for token, because
/// the grammar alone does not say how some texts parse (`a[0][1:2]` is not a
/// projection, `f(a b)` passes two arguments) and users rely on what the AWS CLI does.
struct Parser {
    /// Deepest nesting accepted, both of parser recursion and of the resulting tree,
    /// so neither parsing nor evaluation can exhaust the stack.
    static let maxDepth = 256

    private let tokens: [Token]
    private var index = 0
    private var depth = 0

    static func parse(_ text: String) throws(JMESPathError) -> Node {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        let node = try parser.expression(0)
        guard parser.peek.kind == .eof else { throw parser.unexpected(parser.peek) }
        return node
    }

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    private var peek: Token { tokens[index] }

    private func kind(after count: Int) -> Token.Kind { tokens[min(index + count, tokens.count - 1)].kind }

    // MARK: - Errors

    private func unexpected(_ token: Token, _ context: String = "") -> JMESPathError {
        if token.kind == .eof { return incomplete }
        return JMESPathError("unexpected \(token.quoted)\(context)", offset: token.start)
    }

    private var incomplete: JMESPathError {
        JMESPathError("incomplete expression", offset: tokens[tokens.count - 1].start)
    }

    private func make(_ kind: Node.Kind, height: Int? = nil) throws(JMESPathError) -> Node {
        let node = height.map { Node(kind, height: $0) } ?? Node(kind)
        guard node.height <= Self.maxDepth else {
            throw JMESPathError("expression nested deeper than \(Self.maxDepth) levels", offset: peek.start)
        }
        return node
    }

    private mutating func match(_ kind: Token.Kind, _ expected: String) throws(JMESPathError) {
        guard peek.kind == kind else {
            if peek.kind == .eof { throw incomplete }
            throw JMESPathError("expected \(expected), found \(peek.quoted)", offset: peek.start)
        }
        index += 1
    }

    // MARK: - Expressions

    /// Parses an expression whose operators bind more tightly than `bindingPower`.
    @inline(never)
    private mutating func expression(_ bindingPower: Int) throws(JMESPathError) -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw JMESPathError("expression nested deeper than \(Self.maxDepth) levels", offset: peek.start)
        }
        let token = peek
        index += 1
        var left = try prefix(token)
        while bindingPower < peek.kind.bindingPower {
            let token = peek
            index += 1
            try infix(token, after: &left)
        }
        return left
    }

    /// Adds `right` to the chain `left` (`a.b` or `a[0]`) or starts one. The array is
    /// moved out of `left` before appending so it is not copied: long chains stay linear.
    private func extend(_ left: inout Node, with right: Node, index: Bool) throws(JMESPathError) {
        var chain: [Node]?
        switch left.kind {
        case .subexpression(let nodes) where !index: chain = nodes
        case .indexExpression(let nodes) where index: chain = nodes
        default: break
        }
        guard var nodes = chain else {
            left = try make(index ? .indexExpression([left, right]) : .subexpression([left, right]))
            return
        }
        let height = max(left.height, right.height + 1)
        chain = nil
        left = Node(.current)
        nodes.append(right)
        left = try make(index ? .indexExpression(nodes) : .subexpression(nodes), height: height)
    }

    /// A token that starts an expression. It is on the stack once per level of
    /// nesting, so it only dispatches to out-of-line calls, keeping its frame small.
    @inline(never)
    private mutating func prefix(_ token: Token) throws(JMESPathError) -> Node {
        switch token.kind {
        case .literal, .unquotedIdentifier, .quotedIdentifier, .current: return try atom(token)
        case .star: return try objectWildcard()
        case .filter: return try filter(after: Node(.current))
        case .lbrace: return try multiSelectHash()
        case .lparen: return try parenthesized()
        case .flatten: return try flatten(Node(.current))
        case .not, .expref: return try unary(token.kind)
        case .lbracket: return try bracket()
        default: throw unexpected(token)
        }
    }

    /// A token that continues the expression `left`, which becomes the longer expression.
    @inline(never)
    private mutating func infix(_ token: Token, after left: inout Node) throws(JMESPathError) {
        switch token.kind {
        case .dot: try dot(after: &left)
        case .pipe, .or, .and, .eq, .ne, .lt, .lte, .gt, .gte: left = try binary(token.kind, after: left)
        case .lparen: left = try functionCall(after: left)
        case .filter: left = try filter(after: left)
        case .flatten: left = try flatten(left)
        case .lbracket: try bracket(after: &left)
        default: throw unexpected(token)
        }
    }

    @inline(never)
    private mutating func atom(_ token: Token) throws(JMESPathError) -> Node {
        switch token.kind {
        case .literal: return try make(.literal(token.literal!))
        case .current: return try make(.current)
        case .quotedIdentifier where peek.kind == .lparen:
            throw JMESPathError("a quoted identifier cannot name a function", offset: token.start)
        default: return try make(.field(token.text))
        }
    }

    /// `!a` and `&a`.
    @inline(never)
    private mutating func unary(_ kind: Token.Kind) throws(JMESPathError) -> Node {
        let operand = try expression(kind.bindingPower)
        return try make(kind == .not ? .not(operand) : .expressionReference(operand))
    }

    /// `*` at the start: the values of the current object.
    private mutating func objectWildcard() throws(JMESPathError) -> Node {
        let right = try peek.kind == .rbracket ? make(.current) : projectionRight(Token.Kind.star.bindingPower)
        return try make(.valueProjection(left: make(.current), right: right))
    }

    private mutating func parenthesized() throws(JMESPathError) -> Node {
        let inner = try expression(0)
        try match(.rparen, "')'")
        return inner
    }

    private mutating func flatten(_ left: Node) throws(JMESPathError) -> Node {
        let flattened = try make(.flatten(left))
        return try make(.projection(left: flattened, right: projectionRight(Token.Kind.flatten.bindingPower)))
    }

    /// `[` at the start: an index, a slice, `[*]` or a multi-select list.
    @inline(never)
    private mutating func bracket() throws(JMESPathError) -> Node {
        if peek.kind == .number || peek.kind == .colon { return try projectIfSlice(Node(.current), indexOrSlice()) }
        guard peek.kind == .star && kind(after: 1) == .rbracket else { return try multiSelectList() }
        index += 2
        return try make(.projection(left: Node(.current), right: projectionRight(Token.Kind.star.bindingPower)))
    }

    /// `[` after an expression: an index, a slice or `[*]`.
    private mutating func bracket(after left: inout Node) throws(JMESPathError) {
        guard peek.kind == .number || peek.kind == .colon else {
            try match(.star, "'*', a number or ':'")
            try match(.rbracket, "']'")
            left = try make(.projection(left: left, right: projectionRight(Token.Kind.star.bindingPower)))
            return
        }
        let right = try indexOrSlice()
        if case .indexExpression = left.kind {
            try extend(&left, with: right, index: true)
        } else {
            left = try projectIfSlice(left, right)
        }
    }

    private mutating func dot(after left: inout Node) throws(JMESPathError) {
        guard peek.kind == .star else {
            try extend(&left, with: dotRight(Token.Kind.dot.bindingPower), index: false)
            return
        }
        index += 1
        left = try make(.valueProjection(left: left, right: projectionRight(Token.Kind.dot.bindingPower)))
    }

    /// Pipes, `||`, `&&` and comparisons: the right side binds at the operator's power.
    @inline(never)
    private mutating func binary(_ kind: Token.Kind, after left: Node) throws(JMESPathError) -> Node {
        try combine(kind, left, expression(kind.bindingPower))
    }

    @inline(never)
    private func combine(_ kind: Token.Kind, _ left: Node, _ right: Node) throws(JMESPathError) -> Node {
        switch kind {
        case .pipe: return try make(.pipe(left, right))
        case .or: return try make(.or(left, right))
        case .and: return try make(.and(left, right))
        case .eq: return try make(.comparison(.eq, left, right))
        case .ne: return try make(.comparison(.ne, left, right))
        case .lt: return try make(.comparison(.lt, left, right))
        case .lte: return try make(.comparison(.lte, left, right))
        case .gt: return try make(.comparison(.gt, left, right))
        default: return try make(.comparison(.gte, left, right))
        }
    }

    private mutating func functionCall(after left: Node) throws(JMESPathError) -> Node {
        guard case .field(let name) = left.kind else {
            let before = tokens[index - 2]
            throw JMESPathError("\(before.quoted) cannot be called as a function", offset: before.start)
        }
        var arguments: [Node] = []
        while peek.kind != .rparen {
            let argument = try expression(0)
            if peek.kind == .comma { index += 1 }
            arguments.append(argument)
        }
        index += 1
        return try make(.function(name: name, arguments: arguments))
    }

    private mutating func filter(after left: Node) throws(JMESPathError) -> Node {
        let condition = try expression(0)
        try match(.rbracket, "']'")
        let right = try peek.kind == .flatten ? make(.current) : projectionRight(Token.Kind.filter.bindingPower)
        return try make(.filterProjection(left: left, right: right, condition: condition))
    }

    /// `[number]` or a slice, the `[` already consumed.
    private mutating func indexOrSlice() throws(JMESPathError) -> Node {
        guard peek.kind == .colon || kind(after: 1) == .colon else {
            let number = peek.number
            index += 1
            try match(.rbracket, "']'")
            return try make(.index(number))
        }
        var parts: [Int?] = [nil, nil, nil]
        var part = 0
        while peek.kind != .rbracket {
            switch peek.kind {
            case .colon where part < 2:
                part += 1
            case .number:
                parts[part] = peek.number
            default:
                throw unexpected(peek, " in a slice")
            }
            index += 1
        }
        index += 1
        return try make(.slice(start: parts[0], stop: parts[1], step: parts[2]))
    }

    private mutating func projectIfSlice(_ left: Node, _ right: Node) throws(JMESPathError) -> Node {
        let indexed = try make(.indexExpression([left, right]))
        guard case .slice = right.kind else { return indexed }
        return try make(.projection(left: indexed, right: projectionRight(Token.Kind.star.bindingPower)))
    }

    /// What a projection applies to each element: nothing when the next token ends
    /// the projection (binding power below 10: pipes, comparisons, `||`, `[]`...).
    private mutating func projectionRight(_ bindingPower: Int) throws(JMESPathError) -> Node {
        switch peek.kind {
        case _ where peek.kind.bindingPower < 10: return try make(.current)
        case .lbracket, .filter: return try expression(bindingPower)
        case .dot:
            index += 1
            return try dotRight(bindingPower)
        default: throw unexpected(peek, " after a projection")
        }
    }

    /// What may follow a `.`: an identifier, `*`, a function call, `[...]` or `{...}`.
    private mutating func dotRight(_ bindingPower: Int) throws(JMESPathError) -> Node {
        switch peek.kind {
        case .quotedIdentifier, .unquotedIdentifier, .star: return try expression(bindingPower)
        case .lbracket:
            index += 1
            return try multiSelectList()
        case .lbrace:
            index += 1
            return try multiSelectHash()
        default:
            throw JMESPathError(
                "expected an identifier, '*', '[' or '{' after '.', found \(peek.quoted)", offset: peek.start)
        }
    }

    private mutating func multiSelectList() throws(JMESPathError) -> Node {
        var elements: [Node] = []
        while true {
            elements.append(try expression(0))
            if peek.kind == .rbracket { break }
            try match(.comma, "',' or ']'")
        }
        index += 1
        return try make(.multiSelectList(elements))
    }

    private mutating func multiSelectHash() throws(JMESPathError) -> Node {
        var pairs: [(key: String, value: Node)] = []
        while true {
            let key = peek
            guard key.kind == .unquotedIdentifier || key.kind == .quotedIdentifier else {
                if key.kind == .eof { throw incomplete }
                throw JMESPathError("expected a key, found \(key.quoted)", offset: key.start)
            }
            index += 1
            try match(.colon, "':'")
            pairs.append((key.text, try expression(0)))
            if peek.kind == .comma {
                index += 1
            } else if peek.kind == .rbrace {
                index += 1
                break
            }
        }
        return try make(.multiSelectHash(pairs))
    }
}
