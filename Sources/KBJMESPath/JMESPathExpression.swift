import KBJSON

/// A compiled JMESPath expression (https://jmespath.org), as the AWS CLI's `--query`
/// applies it to command output.
///
/// Results match the Python `jmespath` package, which the AWS CLI uses: where the
/// specification leaves room (string ordering, the printing of numbers, when errors
/// are raised) the Python behaviour is the one users see, so it is the one kept.
/// It departs only where Python would crash or leak internals: nesting deeper than
/// 256 levels is a syntax error, and an `&expression` is refused anywhere but a
/// function parameter that takes one (Python passes on an object nobody can print).
public struct JMESPathExpression: Sendable {
    let root: Node

    /// Parses once, so a query applied to many values is checked up front.
    ///
    /// Throws for syntax errors only, with `offset` set; like the reference, unknown
    /// functions and wrong argument counts are reported when evaluated.
    public init(_ text: String) throws(JMESPathError) {
        root = try Parser.parse(text)
    }

    /// Applies the expression to `value`; a missing result is `.null`.
    ///
    /// Objects that repeat a key are read as Python reads them (one member, at the
    /// first position, with the last value) before the expression sees them.
    public func evaluate(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        try root.evaluate(value.withoutDuplicateKeys())
    }
}
