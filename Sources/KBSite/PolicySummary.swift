import KBPolicy
import KBPolicyLint

/// What a policy grants, in plain words: who can do what on which resource,
/// under which conditions, and whether the grant crosses accounts.
public enum PolicySummary {
    public struct Grant: Sendable, Hashable {
        public var effect: Effect
        public var sentence: String
        public var crossAccount: Bool
    }

    public static func grants(_ document: PolicyDocument, kind: PolicyKind?, owner: String?) -> [Grant] {
        document.statements.map { statement in
            let effect = statement.effect.value
            let who = principal(statement, kind: kind)
            let what = actions(statement)
            let on = resources(statement, kind: kind)
            var sentence = "\(who.text) \(effect == .allow ? "may" : "may not") \(what) on \(on)"
            if !statement.conditions.isEmpty {
                sentence += ", only when " + statement.conditions.map(condition).joined(separator: " and ")
            }
            let keyAccounts = (statement.resources?.values ?? []).compactMap { ARN($0.value)?.account }.filter {
                !$0.isEmpty
            }
            let crossAccount =
                owner.map { owner in
                    who.accounts.contains { $0 != owner } || keyAccounts.contains { $0 != owner }
                } ?? false
            return Grant(effect: effect, sentence: sentence + ".", crossAccount: crossAccount)
        }
    }

    static func principal(_ statement: Statement, kind: PolicyKind?) -> (text: String, accounts: [String]) {
        guard let element = statement.principal else {
            return (kind == .scp || kind == .rcp ? "Principals in the organization" : "Whoever holds this policy", [])
        }
        var accounts: [String] = []
        let names = element.entries.map { entry -> String in
            let value = entry.value.value
            switch entry.type {
            case .any: return "anyone"
            case .service: return "the service \(value)"
            case .federated: return "users federated through \(value)"
            case .canonicalUser: return "the canonical user \(value.prefix(12))…"
            case .aws:
                if value == "*" { return "anyone" }
                if ARN.isAccountID(value) {
                    accounts.append(value)
                    return "account \(value)"
                }
                guard let arn = ARN(value) else { return value }
                accounts.append(arn.account)
                if arn.resource == "root" { return "account \(arn.account)" }
                let parts = arn.resource.split(separator: "/", maxSplits: 1)
                if parts.count == 2 { return "\(parts[0]) \(parts[1]) in account \(arn.account)" }
                return value
            }
        }
        let list = join(names)
        return ((element.negated ? "Everyone except " : "") + capitalized(list), accounts)
    }

    static func actions(_ statement: Statement) -> String {
        guard let element = statement.actions else { return "nothing (no Action)" }
        let values = element.values.map(\.value)
        let list = values.contains("*") ? "every action" : join(values)
        return element.negated ? "every action except \(list)" : list
    }

    static func resources(_ statement: Statement, kind: PolicyKind?) -> String {
        guard let element = statement.resources else {
            return kind == .key ? "this key" : "the resource the policy is attached to"
        }
        let names = element.values.map { value -> String in
            let text = value.value
            if text == "*" { return kind == .key ? "this key" : "any resource" }
            guard let arn = ARN(text) else { return text }
            if arn.service == "s3" {
                let parts = arn.resource.split(separator: "/", maxSplits: 1)
                if parts.count == 1 { return "the bucket \(parts[0])" }
                if parts[1] == "*" { return "every object in \(parts[0])" }
                return "the objects \(parts[1]) in \(parts[0])"
            }
            if arn.service == "kms", arn.resource.hasPrefix("key/") {
                return "the KMS key \(arn.resource.dropFirst(4)) (account \(arn.account))"
            }
            if arn.service == "kms", arn.resource.hasPrefix("alias/") {
                return "the KMS alias \(arn.resource.dropFirst(6))"
            }
            return text
        }
        let list = join(names)
        return element.negated ? "every resource except \(list)" : list
    }

    static func condition(_ condition: Condition) -> String {
        let values = condition.values.map(\.value)
        let shown = values.count == 1 ? values[0] : "one of " + join(values, with: "or")
        return "\(condition.key.value) \(condition.operatorName.value) \(shown)"
    }

    static func join(_ items: [String], with word: String = "and") -> String {
        switch items.count {
        case 0: return "nothing"
        case 1: return items[0]
        case 2: return "\(items[0]) \(word) \(items[1])"
        default: return items.dropLast().joined(separator: ", ") + ", \(word) " + items.last!
        }
    }

    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
