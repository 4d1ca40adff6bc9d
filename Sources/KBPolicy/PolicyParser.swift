import KBDiagnostics
import KBJSON

extension Rule {
    public static let policyConflictingElements = Rule(
        "policy-conflicting-elements", .error,
        summary:
            "A statement has both `Action` and `NotAction`, `Resource` and `NotResource`, or `Principal` and `NotPrincipal`.",
        why: "AWS rejects the statement, and a reader cannot tell which of the two the author meant.",
        fix: "Keep one element of the pair, normally the positive one (`Action`, `Resource`, `Principal`).",
        example: "a statement cannot have both 'Action' and 'NotAction'")

    public static let policyEffect = Rule(
        "policy-effect", .error,
        summary: "`Effect` is not exactly `Allow` or `Deny` (the value is case-sensitive).",
        why: "AWS rejects the policy; `allow` or `ALLOW` is the usual slip in policies typed by hand.",
        fix: "Write `\"Allow\"` or `\"Deny\"` with that capitalisation (the finding carries the fix for a case error).",
        example: "'Effect' is case-sensitive: \"allow\" should be \"Allow\"")

    public static let policyMissingElement = Rule(
        "policy-missing-element", .error,
        summary:
            "The policy has no `Statement` (or an empty one), or a statement has no `Effect` or no `Action`/`NotAction`.",
        why: "AWS rejects the policy; a block labelled with `kind=` that is not a policy at all also ends up here.",
        fix:
            "Add the missing element: the document needs `Statement`, and every statement `Effect` and `Action` (or `NotAction`).",
        example: "the statement has no 'Action' or 'NotAction'")

    public static let policyShape = Rule(
        "policy-shape", .error,
        summary:
            "A policy element has the wrong JSON type, e.g. a bare ARN string as `Principal` or a number in `Action`.",
        why:
            "AWS rejects the policy. kbtool leaves the element out and checks the rest, so further findings may follow from it.",
        fix:
            "Give the element the shape the message names, e.g. `\"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"}`, and strings or arrays of strings for `Action` and `Resource`.",
        example: "'Principal' must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::444455556666:root\"}")

    public static let policyUnknownElement = Rule(
        "policy-unknown-element", .error,
        summary: "A policy, statement or principal element is not in the policy grammar, or has the wrong case.",
        why:
            "AWS rejects unknown elements; `Statment`, `Actions` or `action` are typical typos, and a misspelt element never takes effect.",
        fix:
            "Rename it to the suggested element. Names are case-sensitive: `Version`, `Statement`, `Action`, `Principal`, `AWS`, `Service`.",
        example: "unknown statement element 'Actions'; did you mean 'Action'?")

    public static let policyVersion = Rule(
        "policy-version", .error,
        summary: "`Version` is not a string, or not `2012-10-17` or `2008-10-17`.",
        why:
            "AWS rejects other values. Writing today's date is a common mistake: the version names the policy language, not when the policy was written.",
        fix: "Use `\"Version\": \"2012-10-17\"` (the finding carries the fix).",
        example: "'Version' must be \"2012-10-17\" (or the old \"2008-10-17\"), found \"2024-01-01\"")
}

/// A policy read from JSON, with the grammar problems found on the way.
public struct ParsedPolicy: Sendable {
    public var document: PolicyDocument
    public var diagnostics: [Diagnostic]
}

/// Reads the IAM policy grammar (iam/reference_policies_grammar.md) from a parsed
/// JSON value. Elements of the wrong shape are reported where they are and left
/// out of the document, so later checks and evaluation see what AWS would.
public struct PolicyParser {
    let locate: SourceLocator
    private var diagnostics: [Diagnostic] = []

    static let topLevelKeys = ["Version", "Id", "Statement"]
    static let statementKeys = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]

    public init(locate: SourceLocator) {
        self.locate = locate
    }

    public static func parse(_ value: JSONValue, locate: SourceLocator) -> ParsedPolicy {
        var parser = PolicyParser(locate: locate)
        let document = parser.document(value)
        return ParsedPolicy(document: document, diagnostics: parser.diagnostics)
    }

    private mutating func report(
        _ severity: Severity, _ rule: Rule, _ message: String, at range: Range<Int>,
        fix: (Range<Int>, String, String)? = nil, unambiguous: Bool = false,
        notes: [String] = []
    ) {
        diagnostics.append(
            Diagnostic(
                severity, rule, message, at: locate.range(range),
                fix: fix.map {
                    FixIt(range: locate.range($0.0), replacement: $0.1, message: $0.2, isUnambiguous: unambiguous)
                }, notes: notes))
    }

    private mutating func document(_ value: JSONValue) -> PolicyDocument {
        guard let members = value.members else {
            report(.error, .policyShape, "a policy must be a JSON object, found \(value.typeName)", at: value.range)
            return PolicyDocument(statements: [], range: value.range)
        }
        var document = PolicyDocument(statements: [], range: value.range)
        for member in members {
            switch member.key {
            case "Version":
                guard let text = member.value.string else {
                    report(
                        .error, .policyVersion, "'Version' must be a string, found \(member.value.typeName)",
                        at: member.value.range)
                    continue
                }
                document.version = Located(text, member.value.range)
                if text != "2012-10-17" && text != "2008-10-17" {
                    report(
                        .error, .policyVersion,
                        "'Version' must be \"2012-10-17\" (or the old \"2008-10-17\"), found \"\(text)\"",
                        at: member.value.range, fix: (member.value.range, "\"2012-10-17\"", "use \"2012-10-17\""),
                        notes: ["the version is the policy language's, not the date the policy was written"])
                }
            case "Id":
                if let text = member.value.string {
                    document.id = Located(text, member.value.range)
                } else {
                    report(
                        .error, .policyShape, "'Id' must be a string, found \(member.value.typeName)",
                        at: member.value.range)
                }
            case "Statement":
                document.statementRange = member.value.range
                let items: [JSONValue]
                if let elements = member.value.elements {
                    items = elements
                    if elements.isEmpty {
                        report(
                            .error, .policyMissingElement,
                            "'Statement' is empty: a policy needs at least one statement",
                            at: member.value.range)
                    }
                } else if member.value.members != nil {
                    items = [member.value]
                } else {
                    report(
                        .error, .policyShape,
                        "'Statement' must be an object or an array of objects, found \(member.value.typeName)",
                        at: member.value.range)
                    continue
                }
                for item in items {
                    if let statement = statement(item, index: document.statements.count) {
                        document.statements.append(statement)
                    }
                }
            default:
                unknownKey(member, allowed: Self.topLevelKeys, context: "policy")
            }
        }
        if document.statementRange == nil {
            report(
                .error, .policyMissingElement, "the policy has no 'Statement'",
                at: value.range.lowerBound..<value.range.lowerBound + 1)
        }
        return document
    }

    private mutating func unknownKey(_ member: JSONMember, allowed: [String], context: String) {
        if let exact = allowed.first(where: { $0.lowercased() == member.key.lowercased() }) {
            report(
                .error, .policyUnknownElement, "element names are case-sensitive: '\(member.key)' should be '\(exact)'",
                at: member.keyRange, fix: (member.keyRange, "\"\(exact)\"", "rename it to '\(exact)'"),
                unambiguous: true)
        } else if let suggestion = Suggestion.closest(to: member.key, in: allowed) {
            report(
                .error, .policyUnknownElement,
                "unknown \(context) element '\(member.key)'; did you mean '\(suggestion)'?",
                at: member.keyRange, fix: (member.keyRange, "\"\(suggestion)\"", "rename it to '\(suggestion)'"))
        } else {
            report(
                .error, .policyUnknownElement,
                "unknown \(context) element '\(member.key)'; a \(context) may contain \(allowed.map { "'\($0)'" }.joined(separator: ", "))",
                at: member.keyRange)
        }
    }

    private mutating func statement(_ value: JSONValue, index: Int) -> Statement? {
        guard let members = value.members else {
            report(.error, .policyShape, "a statement must be a JSON object, found \(value.typeName)", at: value.range)
            return nil
        }
        var sid: Located<String>?
        var effect: Located<Effect>?
        var principal: PrincipalElement?
        var actions: ListElement?
        var resources: ListElement?
        var conditions: [Condition] = []
        var conditionKeyRange: Range<Int>?
        let head = value.range.lowerBound..<value.range.lowerBound + 1
        for member in members {
            switch member.key {
            case "Sid":
                if let text = member.value.string {
                    sid = Located(text, member.value.range)
                } else {
                    report(
                        .error, .policyShape, "'Sid' must be a string, found \(member.value.typeName)",
                        at: member.value.range)
                }
            case "Effect":
                effect = parseEffect(member.value)
            case "Principal", "NotPrincipal":
                if let existing = principal {
                    report(
                        .error, .policyConflictingElements,
                        "a statement cannot have both '\(existing.negated ? "NotPrincipal" : "Principal")' and '\(member.key)'",
                        at: member.keyRange)
                    continue
                }
                principal = parsePrincipal(member)
            case "Action", "NotAction", "Resource", "NotResource":
                let isAction = member.key.hasSuffix("Action")
                if let existing = isAction ? actions : resources {
                    let existingName = (existing.negated ? "Not" : "") + (isAction ? "Action" : "Resource")
                    report(
                        .error, .policyConflictingElements,
                        "a statement cannot have both '\(existingName)' and '\(member.key)'",
                        at: member.keyRange)
                    continue
                }
                let list = ListElement(
                    negated: member.key.hasPrefix("Not"), values: strings(member), keyRange: member.keyRange,
                    isWrittenEmpty: member.value.elements?.isEmpty == true)
                if isAction { actions = list } else { resources = list }
            case "Condition":
                conditions = parseConditions(member.value)
                conditionKeyRange = member.keyRange
            default:
                unknownKey(member, allowed: Self.statementKeys, context: "statement")
            }
        }
        if effect == nil && !members.contains(where: { $0.key == "Effect" }) {
            report(
                .error, .policyMissingElement, "the statement has no 'Effect'; add \"Effect\": \"Allow\" or \"Deny\"",
                at: head)
        }
        if actions == nil {
            report(.error, .policyMissingElement, "the statement has no 'Action' or 'NotAction'", at: head)
        }
        guard let effect else { return nil }
        return Statement(
            sid: sid, effect: effect, principal: principal, actions: actions, resources: resources,
            conditions: conditions, conditionKeyRange: conditionKeyRange, range: value.range, index: index)
    }

    private mutating func parseEffect(_ value: JSONValue) -> Located<Effect>? {
        guard let text = value.string else {
            report(
                .error, .policyEffect, "'Effect' must be \"Allow\" or \"Deny\", found \(value.typeName)",
                at: value.range)
            return nil
        }
        if let effect = Effect(rawValue: text) { return Located(effect, value.range) }
        if let effect = Effect.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) {
            report(
                .error, .policyEffect, "'Effect' is case-sensitive: \"\(text)\" should be \"\(effect.rawValue)\"",
                at: value.range,
                fix: (value.range, "\"\(effect.rawValue)\"", "write \"\(effect.rawValue)\""), unambiguous: true)
        } else {
            report(.error, .policyEffect, "'Effect' must be \"Allow\" or \"Deny\", found \"\(text)\"", at: value.range)
        }
        return nil
    }

    /// A string or an array of strings. Other shapes are reported and skipped.
    private mutating func strings(_ member: JSONMember) -> [Located<String>] {
        if let text = member.value.string { return [Located(text, member.value.range)] }
        guard let elements = member.value.elements else {
            report(
                .error, .policyShape,
                "'\(member.key)' must be a string or an array of strings, found \(member.value.typeName)",
                at: member.value.range)
            return []
        }
        var result: [Located<String>] = []
        for element in elements {
            if let text = element.string {
                result.append(Located(text, element.range))
            } else {
                report(
                    .error, .policyShape, "'\(member.key)' entries must be strings, found \(element.typeName)",
                    at: element.range)
            }
        }
        return result
    }

    private mutating func parsePrincipal(_ member: JSONMember) -> PrincipalElement {
        let negated = member.key == "NotPrincipal"
        if let text = member.value.string {
            if text != "*" {
                report(
                    .error, .policyShape,
                    "'\(member.key)' must be \"*\" or an object such as {\"AWS\": \"\(text)\"}", at: member.value.range,
                    fix: ARN(text) != nil || ARN.isAccountID(text)
                        ? (member.value.range, "{\"AWS\": \"\(text)\"}", "wrap it in {\"AWS\": …}") : nil)
                return PrincipalElement(negated: negated, entries: [], keyRange: member.keyRange)
            }
            return PrincipalElement(
                negated: negated, entries: [PrincipalEntry(.any, Located(text, member.value.range))],
                keyRange: member.keyRange)
        }
        guard let members = member.value.members else {
            report(
                .error, .policyShape, "'\(member.key)' must be \"*\" or an object, found \(member.value.typeName)",
                at: member.value.range)
            return PrincipalElement(negated: negated, entries: [], keyRange: member.keyRange)
        }
        var entries: [PrincipalEntry] = []
        let kinds: [PrincipalEntry.Kind] = [.aws, .service, .federated, .canonicalUser]
        for inner in members {
            guard let kind = kinds.first(where: { $0.rawValue == inner.key }) else {
                unknownKey(inner, allowed: kinds.map(\.rawValue), context: "principal")
                continue
            }
            for value in strings(inner) { entries.append(PrincipalEntry(kind, value)) }
        }
        let empty = members.allSatisfy { $0.value.elements?.isEmpty == true }
        return PrincipalElement(negated: negated, entries: entries, keyRange: member.keyRange, isWrittenEmpty: empty)
    }

    private mutating func parseConditions(_ value: JSONValue) -> [Condition] {
        guard let operators = value.members else {
            report(
                .error, .policyShape, "'Condition' must be an object of operators, found \(value.typeName)",
                at: value.range)
            return []
        }
        var conditions: [Condition] = []
        for block in operators {
            guard let keys = block.value.members else {
                report(
                    .error, .policyShape,
                    "'\(block.key)' must map condition keys to values, e.g. {\"aws:SecureTransport\": \"true\"}; found \(block.value.typeName)",
                    at: block.value.range)
                continue
            }
            let op = ConditionOperator(block.key)
            for entry in keys {
                var values: [Located<String>] = []
                let items = entry.value.elements ?? [entry.value]
                // IAM refuses values of different JSON types under one key ("Invalid
                // condition data type" in Access Analyzer's checks).
                if let first = items.first, let other = items.first(where: { $0.typeName != first.typeName }) {
                    report(
                        .error, .policyShape,
                        "the values for '\(entry.key)' mix JSON types (\(first.typeName) and \(other.typeName)); write them all as strings",
                        at: other.range)
                }
                for item in items {
                    switch item.kind {
                    case .string(let text): values.append(Located(text, item.range))
                    case .bool(let flag): values.append(Located(flag ? "true" : "false", item.range))
                    case .number(let number): values.append(Located(number.literal, item.range))
                    default:
                        report(
                            .error, .policyShape,
                            "condition values must be strings, numbers or booleans, found \(item.typeName)",
                            at: item.range)
                    }
                }
                conditions.append(
                    Condition(
                        operatorName: Located(block.key, block.keyRange), op: op,
                        key: Located(entry.key, entry.keyRange),
                        values: values))
            }
        }
        return conditions
    }
}
