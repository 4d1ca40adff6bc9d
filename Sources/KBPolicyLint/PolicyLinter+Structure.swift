import Foundation
import KBDiagnostics
import KBPolicy

extension PolicyLinter {
    /// Empty elements: a statement that names no action, resource or principal
    /// never applies; an empty condition block says nothing (Access Analyzer's
    /// "Empty …" suggestions).
    mutating func checkEmpty(_ statement: Statement) {
        if let actions = statement.actions, actions.isWrittenEmpty {
            report(
                .note, .policyEmpty,
                "'\(actions.negated ? "NotAction" : "Action")' is empty: the statement never applies",
                at: actions.keyRange)
        }
        if let resources = statement.resources, resources.isWrittenEmpty, input.kind.needsResource {
            report(
                .note, .policyEmpty,
                "'\(resources.negated ? "NotResource" : "Resource")' is empty: the statement never applies",
                at: resources.keyRange)
        }
        if let principal = statement.principal, principal.isWrittenEmpty, input.kind.allowsPrincipal {
            report(
                .note, .policyEmpty,
                "'\(principal.negated ? "NotPrincipal" : "Principal")' names nobody: the statement never applies",
                at: principal.keyRange)
        }
        if let condition = statement.conditionKeyRange, statement.conditions.isEmpty {
            report(.note, .policyEmpty, "'Condition' is empty: remove it, or give conditions", at: condition)
        }
    }

    /// Two statements granting the same thing (Sids aside): a later edit to one may
    /// leave the other granting what was meant to go.
    mutating func checkRedundantStatements(_ document: PolicyDocument) {
        // Only statements alike in effect and element sizes can repeat each other:
        // signatures are built for those alone.
        func shape(_ statement: Statement) -> [Int] {
            [
                statement.effect.value == .allow ? 1 : 0, statement.actions?.values.count ?? -1,
                statement.resources?.values.count ?? -1, statement.principal?.entries.count ?? -1,
                statement.conditions.count,
            ]
        }
        var shapes: [[Int]: Int] = [:]
        for statement in document.statements { shapes[shape(statement), default: 0] += 1 }
        var seen: [String: Statement] = [:]
        for statement in document.statements where shapes[shape(statement)]! > 1 {
            let signature = Self.signature(statement)
            if let earlier = seen[signature] {
                report(
                    .note, .policyRedundant,
                    "this statement repeats statement \(earlier.label): the two grant the same; remove one",
                    at: head(statement), related: [(head(earlier), "statement \(earlier.label) is here")])
            } else {
                seen[signature] = statement
            }
        }
    }

    /// What a statement says, in a canonical order, without its Sid.
    static func signature(_ statement: Statement) -> String {
        func list(_ element: ListElement?, folding: Bool) -> String {
            guard let element else { return "-" }
            let values = element.values.map { folding ? $0.value.lowercased() : $0.value }
            return (element.negated ? "not " : "") + Set(values).sorted().joined(separator: "\u{1}")
        }
        let principal =
            statement.principal.map { element in
                (element.negated ? "not " : "")
                    + Set(element.entries.map { "\($0.type.rawValue)=\($0.value.value)" }).sorted().joined(
                        separator: "\u{1}")
            } ?? "-"
        let conditions = statement.conditions.map { condition in
            "\(condition.operatorName.value)|\(condition.key.value.lowercased())|"
                + Set(condition.values.map(\.value)).sorted().joined(separator: "\u{1}")
        }.sorted().joined(separator: "\u{2}")
        return [
            statement.effect.value.rawValue, principal, list(statement.actions, folding: true),
            list(statement.resources, folding: false), conditions,
        ].joined(separator: "\u{3}")
    }

    /// Policy variables (`${aws:username}`): written whole, used where IAM
    /// substitutes them (Resource and Condition values), under Version 2012-10-17.
    mutating func checkVariables(_ document: PolicyDocument) {
        let modern = document.version?.value == "2012-10-17"
        for statement in document.statements {
            for value in statement.resources?.values ?? [] { checkVariableSyntax(value, allowed: true, modern: modern) }
            for condition in statement.conditions {
                for value in condition.values { checkVariableSyntax(value, allowed: true, modern: modern) }
            }
            for value in statement.actions?.values ?? [] { checkVariableSyntax(value, allowed: false, modern: modern) }
            for entry in statement.principal?.entries ?? [] {
                checkVariableSyntax(entry.value, allowed: false, modern: modern)
            }
        }
    }

    /// The index just after the first `${` in `text`, found on the bytes.
    static func variableOpening(in text: Substring) -> String.Index? {
        var previous: UInt8 = 0
        var index = text.utf8.startIndex
        while index != text.utf8.endIndex {
            let byte = text.utf8[index]
            index = text.utf8.index(after: index)
            if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return index }
            previous = byte
        }
        return nil
    }

    mutating func checkVariableSyntax(_ value: Located<String>, allowed: Bool, modern: Bool) {
        let text = value.value
        guard text.containsVariableOpening else { return }
        var rest = Substring(text)
        while let open = Self.variableOpening(in: rest) {
            let after = rest[open...]
            guard let close = after.utf8.firstIndex(of: UInt8(ascii: "}")) else {
                if after.contains(":") {
                    report(
                        .error, .policyVariable, "the policy variable in '\(text)' has no closing '}'", at: value.range)
                }
                return
            }
            let body = after[..<close]
            rest = after[after.index(after: close)...]
            if body.isEmpty {
                report(
                    .error, .policyVariable, "'${}' is an empty policy variable: name a key inside it, or remove it",
                    at: value.range)
                continue
            }
            // Escapes (${*}, ${?}, ${$}) and placeholders (${BUCKET}) are not variables.
            guard body.contains(":"), !body.hasPrefix("AWS::") else { continue }
            let parts = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0].contains(where: \.isWhitespace) {
                report(
                    .error, .policyVariable, "a policy variable's name cannot contain spaces: '${\(body)}'",
                    at: value.range)
            } else if parts.count == 2 {
                let fallback = parts[1].trimmingCharacters(in: .whitespaces)
                if fallback.count < 2 || !fallback.hasPrefix("'") || !fallback.hasSuffix("'") {
                    report(
                        .error, .policyVariable,
                        "a policy variable's default value is written in single quotes after a comma and a space: '${\(parts[0]), 'value'}'",
                        at: value.range)
                }
            }
            if !allowed {
                report(
                    .error, .policyVariable,
                    "'${\(body)}' is not substituted here: policy variables work only in Resource and in Condition values",
                    at: value.range)
            } else if !modern {
                report(
                    .error, .policyVariable,
                    "'${\(body)}' is plain text under this policy's Version: policy variables need \"Version\": \"2012-10-17\"",
                    at: value.range)
            }
        }
    }
}
