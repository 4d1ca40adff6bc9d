import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyActionFormat = Rule(
        "policy-action-format", .error,
        summary: "An action is not written `service:Name` (it has no colon).",
        why:
            "AWS rejects the policy: every action needs its service prefix, and only `\"*\"` on its own stands for all actions.",
        fix: "Add the service prefix, e.g. `s3:GetObject` or `kms:Decrypt`.",
        example: "'GetObject' is not an action: actions are written service:Name, e.g. s3:GetObject")

    public static let policyActionResourceMismatch = Rule(
        "policy-action-resource-mismatch", .error,
        summary: "An action applies to none of the statement's resources, or supports only `\"Resource\": \"*\"`.",
        why:
            "AWS accepts the statement but it never grants that action: `s3:ListBucket` on object ARNs or `kms:Decrypt` on an alias ARN does nothing, and the reader's request is denied with no hint why.",
        fix:
            "Add a resource of a type the message lists (the bucket ARN for `s3:ListBucket`, the key ARN for KMS actions), or move an action without resource-level permissions to a statement with `\"Resource\": \"*\"`.",
        example:
            "s3:ListAllMyBuckets does not support resource-level permissions: it only works with \"Resource\": \"*\"")

    public static let policyAllowNotAction = Rule(
        "policy-allow-not-action", .warning,
        summary: "An Allow statement uses `NotAction`.",
        why:
            "It grants every action of every service except those listed, including actions AWS adds later; with a broad Resource that is close to administrator access.",
        fix: "List the actions to allow in `Action`. Keep `NotAction` for Deny statements.",
        example:
            "Allow with NotAction grants every action of every service except those listed, including ones added later")

    public static let policyAllowNotResource = Rule(
        "policy-allow-not-resource", .warning,
        summary: "An Allow statement uses `NotResource`.",
        why:
            "It grants the actions on every resource except those listed, in every account and including resources created later.",
        fix: "List the resources to allow in `Resource`. Keep `NotResource` for Deny statements.",
        example: "Allow with NotResource grants the actions on every resource except those listed, in every account")

    public static let policyARNFormat = Rule(
        "policy-arn-format", .error,
        summary:
            "A resource is neither `\"*\"` nor a well-formed ARN, or the account field of its ARN is not 12 digits.",
        why:
            "AWS rejects a resource that is not an ARN, and an ARN with a malformed account matches nothing; `s3://bucket/*` and truncated account ids are common copy errors.",
        fix:
            "Write the full ARN: `arn:aws:s3:::BUCKET` and `arn:aws:s3:::BUCKET/*` (no Region, no account) for S3, `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID` for a key.",
        example:
            "'s3://amzn-s3-demo-bucket/*' is not an ARN: resources are \"*\" or arn:partition:service:region:account:resource"
    )

    public static let policyARNService = Rule(
        "policy-arn-service", .error,
        summary: "A resource ARN belongs to a service none of the statement's actions belong to.",
        why:
            "That resource never matches any action of the statement, so it grants nothing; usually the KMS key ARN went into the S3 statement and the KMS permission the reader needs is missing.",
        fix:
            "Move the ARN to a statement with actions of its service, e.g. a separate statement allowing `kms:Decrypt` and `kms:GenerateDataKey` on the key ARN.",
        example:
            "'arn:aws:kms:us-east-1:111122223333:key/abc' is a kms ARN, but this statement's actions are s3 actions")

    public static let policyMissingResource = Rule(
        "policy-missing-resource", .error,
        summary:
            "A statement has neither `Resource` nor `NotResource` in a kind that needs one (every kind but trust policies).",
        why:
            "AWS rejects the policy; in key policies the element is easy to forget because its only sensible value is `\"*\"`.",
        fix:
            "Add `Resource`: bucket and object ARNs in a bucket policy, `\"*\"` (this key) in a key policy, exact ARNs in an identity policy.",
        example: "a statement in a key policy needs 'Resource' or 'NotResource'")

    public static let policyRedundant = Rule(
        "policy-redundant", .warning,
        summary: "An action or resource repeats an earlier one of the same element, or an earlier wildcard covers it.",
        why:
            "It grants nothing more and counts towards the size quota; often it is an edit that went wrong, where a different action or ARN was meant.",
        fix: "Delete the entry, or replace it with the action or ARN that was intended.",
        example: "'kms:PutKeyPolicy' is already covered by 'kms:*'")

    public static let policyResourceNotAllowed = Rule(
        "policy-resource-not-allowed", .error,
        summary: "A trust policy has `Resource` or `NotResource`.",
        why: "AWS rejects it: the role the trust policy belongs to is the resource.",
        fix: "Remove the element; limit who may assume the role with `Principal` and conditions.",
        example: "a trust policy has no 'Resource': the role it is attached to is the resource")

    public static let policyServiceWildcard = Rule(
        "policy-service-wildcard", .error,
        summary: "An action's service prefix contains a wildcard, as in `s*:GetObject`.",
        why: "Only the action name may be a pattern; AWS rejects the policy.",
        fix:
            "Write the service prefix in full (`s3:Get*`) and list each service's actions; `\"*\"` alone means every action.",
        example: "the service prefix 's*' cannot contain a wildcard; only the action name can (or \"*\" on its own)")

    public static let policyUnknownAction = Rule(
        "policy-unknown-action", .error,
        summary: "An action, or action pattern, matches no action of its service.",
        why:
            "A misspelt action grants nothing: AWS either rejects the policy or accepts it, and the reader's request is denied without an obvious cause.",
        fix:
            "Use the suggested action, or look the name up in the Service Authorization Reference; a pattern must match at least one real action.",
        example: "unknown action 's3:GetObjcet'; did you mean 's3:GetObject'?")

    public static let policyUnknownService = Rule(
        "policy-unknown-service", .error,
        summary: "An action's service prefix is not a service in the AWS catalogue.",
        why: "No such service exists, so the entry grants nothing in an Allow and guards nothing in a Deny.",
        fix:
            "Use the prefix from the Service Authorization Reference (`s3`, `kms`, `iam`, `sts`); kbtool suggests the closest one.",
        example: "unknown service prefix 's4'; did you mean 's3'?")

    public static let policyWildcardAction = Rule(
        "policy-wildcard-action", .note,
        summary:
            "An Allow lists an action pattern such as `s3:Get*` (not `service:*`); the note lists what it expands to.",
        why:
            "A pattern grants every matching action, including ones AWS adds later: `s3:Get*` also reads bucket policies, ACLs and access point settings, not only objects.",
        fix:
            "List the actions the guide needs (e.g. `s3:GetObject`); keep the pattern only if every action it expands to is intended.",
        example:
            "'kms:GenerateDataKey*' grants 4 actions: kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext"
    )
}

extension PolicyLinter {
    /// An action of a statement resolved against the catalogue.
    struct ResolvedAction {
        var value: Located<String>
        var service: ServiceCatalogue.Service
        /// The catalogue actions it names (one, or a wildcard's expansion).
        var actions: [ServiceCatalogue.Action]
        var isWildcard: Bool
    }

    /// Checks each action string and returns the ones the catalogue knows, for
    /// the resource and condition checks. Nil when the statement names every
    /// action (`*`, or NotAction), where per-action checks do not apply.
    mutating func checkActions(_ statement: Statement) -> [ResolvedAction]? {
        guard let element = statement.actions else { return nil }
        if element.negated && statement.effect.value == .allow {
            report(
                .warning, .policyAllowNotAction,
                "Allow with NotAction grants every action of every service except those listed, including ones added later",
                at: element.keyRange, notes: ["list the actions to allow in 'Action' instead"])
        }
        var resolved: [ResolvedAction] = []
        var everything = element.negated
        var seen = RedundancyTracker(ignoringCase: true)
        for value in element.values {
            let text = value.value
            if placeholders(in: value, meaning: "an action such as s3:GetObject") { continue }
            if let earlier = seen.earlier(covering: value) {
                report(
                    .warning, .policyRedundant,
                    earlier.value.lowercased() == text.lowercased()
                        ? "'\(text)' is listed twice" : "'\(text)' is already covered by '\(earlier.value)'",
                    at: value.range, related: [(earlier.range, "'\(earlier.value)' is here")])
                continue
            }
            seen.add(value)
            if text == "*" {
                everything = true
                continue
            }
            guard let colon = text.firstIndex(of: ":") else {
                report(
                    .error, .policyActionFormat,
                    "'\(text)' is not an action: actions are written service:Name, e.g. s3:GetObject",
                    at: value.range)
                continue
            }
            let prefix = String(text[..<colon])
            let name = String(text[text.index(after: colon)...])
            if Wildcard.isPattern(prefix) {
                report(
                    .error, .policyServiceWildcard,
                    "the service prefix '\(prefix)' cannot contain a wildcard; only the action name can (or \"*\" on its own)",
                    at: value.range)
                continue
            }
            guard let service = catalogue.service(prefix) else {
                let suggestion = Suggestion.closest(to: prefix, in: catalogue.prefixes)
                report(
                    .error, .policyUnknownService,
                    "unknown service prefix '\(prefix)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    at: value.range,
                    fix: suggestion.map { (value.range, "\"\($0):\(name)\"", "use '\($0):\(name)'") })
                continue
            }
            if Wildcard.isPattern(name) {
                let matched = catalogue.actions(of: service, matching: name)
                if matched.isEmpty {
                    report(.error, .policyUnknownAction, "'\(text)' matches no \(prefix) action", at: value.range)
                    continue
                }
                resolved.append(ResolvedAction(value: value, service: service, actions: matched, isWildcard: true))
                if statement.effect.value == .allow && name != "*" {
                    let names = matched.map { "\(prefix):\($0.name)" }
                    let shown =
                        names.count <= 12
                        ? names.joined(separator: ", ") : names.prefix(12).joined(separator: ", ") + ", …"
                    report(
                        .note, .policyWildcardAction,
                        "'\(text)' grants \(matched.count) action\(matched.count == 1 ? "" : "s"): \(shown)",
                        at: value.range, notes: ["list only the actions the guide needs"])
                }
                continue
            }
            guard let action = service.actions[name.lowercased()] else {
                let suggestion = Suggestion.closest(to: name, in: service.actions.values.map(\.name).sorted())
                report(
                    .error, .policyUnknownAction,
                    "unknown action '\(text)'" + (suggestion.map { "; did you mean '\(prefix):\($0)'?" } ?? ""),
                    at: value.range,
                    fix: suggestion.map { (value.range, "\"\(prefix):\($0)\"", "use '\(prefix):\($0)'") },
                    notes: suggestion == nil ? ["\(service.name) has no action named \(name)"] : [])
                continue
            }
            resolved.append(ResolvedAction(value: value, service: service, actions: [action], isWildcard: false))
        }
        return everything ? nil : resolved
    }

    mutating func checkResources(_ statement: Statement, actions: [ResolvedAction]?) {
        let kind = input.kind
        guard let element = statement.resources else {
            if kind.needsResource {
                report(
                    .error, .policyMissingResource,
                    "a statement in a\(kind == .identity ? "n" : "") \(kind.displayName) needs 'Resource' or 'NotResource'",
                    at: head(statement),
                    notes: kind == .key ? ["in a key policy, \"Resource\": \"*\" means this key"] : [])
            }
            return
        }
        if !kind.needsResource {
            report(
                .error, .policyResourceNotAllowed,
                "a trust policy has no 'Resource': the role it is attached to is the resource",
                at: element.keyRange)
            return
        }
        if element.negated && statement.effect.value == .allow {
            report(
                .warning, .policyAllowNotResource,
                "Allow with NotResource grants the actions on every resource except those listed, in every account",
                at: element.keyRange, notes: ["list the resources to allow in 'Resource' instead"])
        }
        var usable: [Located<String>] = []
        var seen = RedundancyTracker(ignoringCase: false)
        var hasStar = false
        for value in element.values {
            if placeholders(in: value, meaning: "a resource ARN") { continue }
            if let earlier = seen.earlier(covering: value) {
                report(
                    .warning, .policyRedundant,
                    earlier.value == value.value
                        ? "'\(value.value)' is listed twice"
                        : "'\(value.value)' is already covered by '\(earlier.value)'",
                    at: value.range, related: [(earlier.range, "'\(earlier.value)' is here")])
                continue
            }
            seen.add(value)
            if value.value == "*" {
                hasStar = true
                continue
            }
            guard let arn = ARN(value.value) else {
                report(
                    .error, .policyARNFormat,
                    "'\(value.value)' is not an ARN: resources are \"*\" or arn:partition:service:region:account:resource",
                    at: value.range)
                continue
            }
            if !ARN.isAccountID(arn.account), !arn.account.isEmpty, !Wildcard.isPattern(arn.account) {
                report(
                    .error, .policyARNFormat,
                    "the account in '\(value.value)' must be 12 digits, found '\(arn.account)'", at: value.range)
                continue
            }
            usable.append(value)
        }
        guard let actions, !element.negated, !hasStar, !usable.isEmpty else { return }
        // An ARN of a service none of the actions belong to.
        let services = Set(actions.map { $0.service.prefix })
        var wrongService = 0
        for value in usable {
            guard let arn = ARN(value.value), !Wildcard.isPattern(arn.service), !services.isEmpty else { continue }
            if !services.contains(arn.service) && !(services.contains("sts") && arn.service == "iam") {
                report(
                    .error, .policyARNService,
                    "'\(value.value)' is a\(["a", "e", "i", "o", "u"].contains(arn.service.prefix(1)) ? "n" : "") \(arn.service) ARN, but this statement's actions are \(services.sorted().joined(separator: ", ")) actions",
                    at: value.range)
                wrongService += 1
            }
        }
        // Every resource is already reported as another service's: no cascade.
        guard wrongService < usable.count else { return }
        // An action that applies to none of the statement's resources.
        for action in actions where !action.isWildcard {
            guard let info = action.actions.first else { continue }
            let qualified = "\(action.service.prefix):\(info.name)"
            if info.resourceTypes.isEmpty {
                // AWS's own examples write these as arn:aws:s3:::* (relative id "*").
                if usable.contains(where: { ARN($0.value)?.resource == "*" }) { continue }
                report(
                    .error, .policyActionResourceMismatch,
                    "\(qualified) does not support resource-level permissions: it only works with \"Resource\": \"*\"",
                    at: action.value.range,
                    related: usable.map { ($0.range, "this resource never matches \(qualified)") })
                continue
            }
            let templates = info.resourceTypes.compactMap { use in
                action.service.resourceTypes[use.name].map { (use.name, $0.arnTemplate, $0.template) }
            }
            let applies = usable.contains { value in templates.contains { $0.2.overlaps(pattern: value.value) } }
            if !applies && !templates.isEmpty {
                let described = templates.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
                report(
                    .error, .policyActionResourceMismatch,
                    "\(qualified) applies to \(described), and no Resource of this statement is one, so it is never granted",
                    at: action.value.range, related: usable.map { ($0.range, "not a resource \(qualified) applies to") }
                )
            }
        }
    }
}

/// Finds list entries that an earlier entry already covers, in linear time: exact
/// repeats through a set, and literal entries against the (few) earlier wildcard
/// patterns. A pattern is never judged covered by another pattern, since that
/// would need language inclusion, not matching.
struct RedundancyTracker {
    let ignoringCase: Bool
    private var exact: [String: Located<String>] = [:]
    private var patterns: [Located<String>] = []
    /// Beyond this many wildcard patterns, coverage is not checked (hostile input).
    static let patternLimit = 64

    init(ignoringCase: Bool) {
        self.ignoringCase = ignoringCase
    }

    private func normal(_ text: String) -> String { ignoringCase ? text.lowercased() : text }

    func earlier(covering value: Located<String>) -> Located<String>? {
        if let same = exact[normal(value.value)] { return same }
        guard Wildcard.isPattern(value.value) else {
            return patterns.first { Wildcard.matchesBytes($0.value, value.value, ignoringASCIICase: ignoringCase) }
        }
        // A pattern is covered by `*`, or by `prefix*` when it starts with that
        // literal prefix itself: every value it matches then starts with it too.
        let candidate = normal(value.value)
        return patterns.first { earlier in
            let pattern = normal(earlier.value)
            guard pattern.hasSuffix("*") else { return false }
            let prefix = pattern.dropLast()
            return !Wildcard.isPattern(String(prefix)) && candidate.hasPrefix(prefix)
                && !Wildcard.isPattern(String(candidate.prefix(prefix.count)))
        }
    }

    mutating func add(_ value: Located<String>) {
        exact[normal(value.value)] = exact[normal(value.value)] ?? value
        if Wildcard.isPattern(value.value), patterns.count < Self.patternLimit { patterns.append(value) }
    }
}
