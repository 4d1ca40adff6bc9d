/// Why an expression could not be parsed or evaluated.
///
/// One type for both, as the AWS CLI reports both the same way; `offset` tells
/// them apart and lets a caller underline the mistake in what the user typed.
public struct JMESPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// For syntax errors, the 0-based offset in Unicode scalars (Python's string
    /// indices, so the reference implementation's columns) of the offending token;
    /// nil for errors found while evaluating.
    public var offset: Int?

    public init(_ message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    public var description: String {
        guard let offset else { return message }
        return "\(message) (at character \(offset))"
    }
}
