/// A value from a policy document with the byte range it was written at.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var range: Range<Int>

    public init(_ value: Value, _ range: Range<Int>) {
        self.value = value
        self.range = range
    }
}

/// An IAM policy document, as written: every element keeps its range so findings
/// can point at it. Elements that were malformed are left out (and reported by
/// ``PolicyParser``), so evaluation sees only what AWS would understand.
public struct PolicyDocument: Sendable, Hashable {
    /// The `Version` as written; nil when absent (AWS then assumes 2008-10-17).
    public var version: Located<String>?
    public var id: Located<String>?
    public var statements: [Statement]
    /// The whole document.
    public var range: Range<Int>
    /// The `Statement` element's range, when present.
    public var statementRange: Range<Int>?

    public init(
        version: Located<String>? = nil, id: Located<String>? = nil, statements: [Statement], range: Range<Int> = 0..<0,
        statementRange: Range<Int>? = nil
    ) {
        self.version = version
        self.id = id
        self.statements = statements
        self.range = range
        self.statementRange = statementRange
    }

    /// Policy variables such as `${aws:username}` are substituted only under 2012-10-17.
    public var supportsVariables: Bool { version?.value == "2012-10-17" }
}

public enum Effect: String, Sendable, Hashable, CaseIterable {
    case allow = "Allow"
    case deny = "Deny"
}

public struct Statement: Sendable, Hashable {
    public var sid: Located<String>?
    public var effect: Located<Effect>
    public var principal: PrincipalElement?
    public var actions: ListElement?
    public var resources: ListElement?
    public var conditions: [Condition]
    /// The `Condition` element's key, when the statement has one (it may be empty).
    public var conditionKeyRange: Range<Int>?
    public var range: Range<Int>
    /// The position of this statement in its policy, from 0, for traces.
    public var index: Int

    public init(
        sid: Located<String>? = nil, effect: Located<Effect>, principal: PrincipalElement? = nil,
        actions: ListElement? = nil, resources: ListElement? = nil, conditions: [Condition] = [],
        conditionKeyRange: Range<Int>? = nil, range: Range<Int> = 0..<0, index: Int = 0
    ) {
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
        self.conditionKeyRange = conditionKeyRange
        self.range = range
        self.index = index
    }

    /// "Sid" or "#2" for traces and messages.
    public var label: String { sid.map { $0.value } ?? "#\(index + 1)" }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a list of patterns.
public struct ListElement: Sendable, Hashable {
    /// True for `NotAction` / `NotResource`.
    public var negated: Bool
    public var values: [Located<String>]
    /// The element's key, e.g. `"NotAction"`.
    public var keyRange: Range<Int>
    /// Whether any value holds `${`: only those need policy-variable substitution.
    let hasVariables: Bool
    /// Written as `[]` (not merely left without usable values by a malformed entry).
    public var isWrittenEmpty: Bool

    public init(negated: Bool, values: [Located<String>], keyRange: Range<Int> = 0..<0, isWrittenEmpty: Bool = false) {
        self.negated = negated
        self.values = values
        self.keyRange = keyRange
        self.isWrittenEmpty = isWrittenEmpty
        self.hasVariables = values.contains { value in
            value.value.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: "$")) }
                ?? value.value.utf8.contains(UInt8(ascii: "$"))
        }
    }
}

/// `Principal` or `NotPrincipal`.
public struct PrincipalElement: Sendable, Hashable {
    public var negated: Bool
    public var entries: [PrincipalEntry]
    public var keyRange: Range<Int>
    /// Written as `{}` or with only empty lists (not merely malformed).
    public var isWrittenEmpty: Bool

    public init(negated: Bool, entries: [PrincipalEntry], keyRange: Range<Int> = 0..<0, isWrittenEmpty: Bool = false) {
        self.negated = negated
        self.entries = entries
        self.keyRange = keyRange
        self.isWrittenEmpty = isWrittenEmpty
    }

    /// `"Principal": "*"` or `{"AWS": "*"}`.
    public var isWildcard: Bool { entries.contains { $0.value.value == "*" && ($0.type == .aws || $0.type == .any) } }
}

public struct PrincipalEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The bare string `"*"`.
        case any = "*"
        case aws = "AWS"
        case service = "Service"
        case federated = "Federated"
        case canonicalUser = "CanonicalUser"
    }

    public var type: Kind
    public var value: Located<String>
    /// The value read as an AWS principal, once, for matching.
    let parsed: RequestPrincipal?
    /// Wildcards are invalid inside a principal ARN; such an entry matches nothing.
    let hasWildcard: Bool

    public init(_ type: Kind, _ value: Located<String>) {
        self.type = type
        self.value = value
        self.parsed = type == .aws && value.value != "*" ? RequestPrincipal(value.value) : nil
        self.hasWildcard = Wildcard.isPattern(value.value)
    }
}

/// One `"Operator": {"key": values}` pair of a `Condition` block.
public struct Condition: Sendable, Hashable {
    public var operatorName: Located<String>
    /// Nil when the operator is unknown (reported; the condition then never holds).
    public var op: ConditionOperator?
    public var key: Located<String>
    /// Values as strings (`true`, `5` and `"5"` alike), as IAM compares them.
    public var values: [Located<String>]
    /// The key in lower case: condition keys are case-insensitive.
    let lowercasedKey: String

    public init(operatorName: Located<String>, op: ConditionOperator?, key: Located<String>, values: [Located<String>])
    {
        self.operatorName = operatorName
        self.op = op
        self.key = key
        self.values = values
        self.lowercasedKey = key.value.lowercased()
    }
}
