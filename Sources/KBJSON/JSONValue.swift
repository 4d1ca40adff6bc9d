/// A parsed JSON value that remembers where it came from.
///
/// Ranges are UTF-8 byte offsets into the text given to ``JSONParser``; callers map
/// them to file positions. Objects keep their members in source order, duplicates
/// included, so checks can point at the exact key a user wrote.
public struct JSONValue: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case object([JSONMember])
        case array([JSONValue])
        case string(String)
        case number(JSONNumber)
        case bool(Bool)
        case null
    }

    public var kind: Kind
    /// Byte offsets of the whole value, from its first to one past its last byte.
    public var range: Range<Int>

    public init(_ kind: Kind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }

    public var members: [JSONMember]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    public var elements: [JSONValue]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    public var string: String? {
        if case .string(let string) = kind { return string }
        return nil
    }

    public var number: JSONNumber? {
        if case .number(let number) = kind { return number }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let bool) = kind { return bool }
        return nil
    }

    /// The member named `key`; with duplicates, the last one wins, as in most
    /// JSON implementations (AWS's included). Duplicates are reported separately.
    public subscript(key: String) -> JSONValue? {
        members?.last { $0.key == key }?.value
    }

    /// A short name for the value's type, for messages ("expected a string, found an array").
    public var typeName: String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// One `"key": value` pair of an object.
public struct JSONMember: Hashable, Sendable {
    public var key: String
    /// The key's range, quotes included.
    public var keyRange: Range<Int>
    public var value: JSONValue

    public init(key: String, keyRange: Range<Int>, value: JSONValue) {
        self.key = key
        self.keyRange = keyRange
        self.value = value
    }
}

/// A number as written. The literal is kept because IAM compares some numbers as
/// text and because `1e400` has no `Double`.
public struct JSONNumber: Hashable, Sendable {
    public var literal: String
    public var double: Double? { Double(literal).flatMap { $0.isFinite ? $0 : nil } }

    public init(literal: String) { self.literal = literal }
}
