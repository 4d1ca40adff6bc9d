import KBJSON

public struct JMESPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int?
    public var description: String { message }
}
public struct JMESPathExpression: Sendable {
    let path: [String]
    public init(_ text: String) throws(JMESPathError) { path = text.split(separator: ".").map(String.init) }
    public func evaluate(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        var current = value
        for key in path { current = current[key] ?? JSONValue(.null, range: 0..<0) }
        return current
    }
}
