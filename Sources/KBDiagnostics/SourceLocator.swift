/// Maps byte ranges of some embedded text (a JSON block in a guide, a policy
/// inside a simulate case) to ranges of the file it came from, so checks that
/// work on that text can still report file positions.
public struct SourceLocator: Sendable {
    private let map: @Sendable (Range<Int>) -> SourceRange

    public init(_ map: @escaping @Sendable (Range<Int>) -> SourceRange) {
        self.map = map
    }

    /// For text that is the whole of a file.
    public init(_ source: SourceText) {
        self.init { source.range(fromByte: $0.lowerBound, toByte: $0.upperBound) }
    }

    public func range(_ bytes: Range<Int>) -> SourceRange { map(bytes) }
}
