import KBDiagnostics

/// A YAML value from front matter, with where it was written. Scalars keep the
/// type YAML's core schema resolves them to, so `sidebar_position: "3"` and
/// `sidebar_position: 3` can be told apart.
public struct YAMLValue: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case string(String)
        case int(Int)
        case float(Double)
        case bool(Bool)
        case null
        /// A timestamp such as `2021-06-01`, kept as written.
        case timestamp(String)
        case sequence([YAMLValue])
        case mapping([YAMLEntry])
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public var string: String? {
        if case .string(let string) = kind { return string }
        return nil
    }

    public var entries: [YAMLEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    public var sequence: [YAMLValue]? {
        if case .sequence(let values) = kind { return values }
        return nil
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> YAMLValue? {
        entries?.first { $0.key == key }?.value
    }

    /// The value as text, whatever scalar type it resolved to.
    public var scalarText: String? {
        switch kind {
        case .string(let string), .timestamp(let string): return string
        case .int(let int): return String(int)
        case .float(let float): return String(float)
        case .bool(let bool): return String(bool)
        case .null, .sequence, .mapping: return nil
        }
    }

    /// A short name for messages ("expected a string, found a number").
    public var typeName: String {
        switch kind {
        case .string: return "a string"
        case .int, .float: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .timestamp: return "a date"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

public struct YAMLEntry: Sendable, Hashable {
    public var key: String
    public var keyRange: SourceRange
    public var value: YAMLValue
}

extension YAMLValue.Kind {
    public var isNumber: Bool {
        switch self {
        case .int, .float: return true
        default: return false
        }
    }
}
