import KBJSON

/// One lexical token. The kinds and their binding powers follow the reference
/// implementation's Pratt parser, so the same texts parse (or fail) the same way.
struct Token: Sendable {
    enum Kind: Sendable {
        case eof, unquotedIdentifier, quotedIdentifier, literal, number
        case rbracket, rparen, comma, rbrace, current, expref, colon
        case pipe, or, and, eq, ne, lt, lte, gt, gte, flatten, star, filter, dot, not, lbrace, lbracket, lparen

        /// How tightly the token binds what is on its left; below 10 it ends a projection.
        var bindingPower: Int {
            switch self {
            case .eof, .unquotedIdentifier, .quotedIdentifier, .literal, .rbracket, .rparen, .comma, .rbrace,
                .number, .current, .expref, .colon:
                return 0
            case .pipe: return 1
            case .or: return 2
            case .and: return 3
            case .eq, .ne, .lt, .lte, .gt, .gte: return 5
            case .flatten: return 9
            case .star: return 20
            case .filter: return 21
            case .dot: return 40
            case .not: return 45
            case .lbrace: return 50
            case .lbracket: return 55
            case .lparen: return 60
            }
        }
    }

    var kind: Kind
    /// Offset of the token's first character, in Unicode scalars.
    var start: Int
    /// The source text, for messages; the decoded name for identifiers.
    var text: String
    var number = 0
    var literal: JSONValue?

    /// How messages name the token.
    var quoted: String { kind == .eof ? "the end of the expression" : "'\(text)'" }
}

enum Comparator: Sendable {
    case eq, ne, lt, lte, gt, gte
}

/// A parsed expression. The node kinds are those of the reference implementation's
/// AST because its evaluation rules (what a projection collects, where one stops)
/// are defined on them.
struct Node: Sendable {
    indirect enum Kind: Sendable {
        /// `@`, and the implicit left or right side of a projection.
        case current
        case field(String)
        case literal(JSONValue)
        /// `a.b.c`: each child applied to the previous result.
        case subexpression([Node])
        /// `a[0][1]`: like a subexpression, kept apart because `[i]` after it joins it.
        case indexExpression([Node])
        case index(Int)
        case slice(start: Int?, stop: Int?, step: Int?)
        /// Applies `right` to each element of the array `left`, dropping nulls.
        case projection(left: Node, right: Node)
        /// Applies `right` to each value of the object `left`, dropping nulls.
        case valueProjection(left: Node, right: Node)
        case filterProjection(left: Node, right: Node, condition: Node)
        case flatten(Node)
        case comparison(Comparator, Node, Node)
        case or(Node, Node)
        case and(Node, Node)
        case not(Node)
        case pipe(Node, Node)
        case multiSelectList([Node])
        case multiSelectHash([(key: String, value: Node)])
        case function(name: String, arguments: [Node])
        case expressionReference(Node)
    }

    let kind: Kind
    /// Nodes on the longest path down, which bounds the evaluator's recursion.
    let height: Int

    /// For a chain grown by one element, whose height is known without looking at every child.
    init(_ kind: Kind, height: Int) {
        self.kind = kind
        self.height = height
    }

    init(_ kind: Kind) {
        self.kind = kind
        var tallest = 0
        switch kind {
        case .current, .field, .literal, .index, .slice: break
        case .subexpression(let nodes), .indexExpression(let nodes), .multiSelectList(let nodes),
            .function(_, let nodes):
            tallest = nodes.map(\.height).max() ?? 0
        case .projection(let a, let b), .valueProjection(let a, let b), .comparison(_, let a, let b), .or(let a, let b),
            .and(let a, let b), .pipe(let a, let b):
            tallest = max(a.height, b.height)
        case .filterProjection(let a, let b, let c): tallest = max(a.height, b.height, c.height)
        case .flatten(let a), .not(let a), .expressionReference(let a): tallest = a.height
        case .multiSelectHash(let pairs): tallest = pairs.map(\.value.height).max() ?? 0
        }
        height = tallest + 1
    }
}
