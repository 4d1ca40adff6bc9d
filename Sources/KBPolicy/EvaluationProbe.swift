/// Lets policy checks ask whether a value is one the evaluator can compare, so
/// "valid" means the same thing to the linter and to evaluation.
public enum EvaluationProbe {
    public static func date(_ text: String) -> Bool { ConditionValues.date(text) != nil }
    public static func network(_ text: String) -> Bool { ConditionValues.network(text) != nil }
    /// An address or CIDR block as its bytes (4 or 16) and prefix length.
    public static func networkParts(_ text: String) -> (bytes: [UInt8], prefix: Int)? {
        ConditionValues.network(text).map { ($0.bytes, $0.prefix) }
    }
}
