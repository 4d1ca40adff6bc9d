import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyRetired = Rule(
        "policy-retired", .warning,
        summary:
            "A service, action or condition key that an earlier Service Authorization Reference listed and the current one does not.",
        why:
            "AWS still accepts the name, but the service or action is gone (DeepRacer, CodeStar) or renamed: the permission grants nothing new and misleads readers.",
        fix:
            "Remove it, or use the service's current name; the message says since when the reference no longer lists it.",
        example:
            "AWS CodeStar ('codestar', used here by 'codestar:CreateProject' and reported once per policy) is retired since 2026-10-27: the Service Authorization Reference no longer lists it"
    )

    public static let policyUnsupportedForKind = Rule(
        "policy-unsupported-for-kind", .error,
        summary: "A bucket policy names another service's action or ARN; a key policy another service's.",
        why:
            "A resource policy governs its own resource: S3 refuses a bucket policy with KMS actions or ARNs, and a reader who put the key permission there still lacks it.",
        fix:
            "Grant the other service's permission where it belongs: in the caller's identity policy, or in the key policy.",
        example: "a bucket policy governs s3 resources: 'kms:Decrypt' is not an action it can grant or deny")

    public static let policyActionFormat = Rule(
        "policy-action-format", .error,
        summary: "An action is not written `service:Name` (it has no colon).",
        why:
            "AWS rejects the policy: every action needs its service prefix, and only `\"*\"` on its own stands for all actions.",
        fix: "Add the service prefix, e.g. `s3:GetObject` or `kms:Decrypt`.",
        example: "'GetObject' is not an action: actions are written service:Name, e.g. s3:GetObject")

    public static let policyActionResourceMismatch = Rule(
        "policy-action-resource-mismatch", .warning,
        summary:
            "An action applies to none of the statement's resources (by the resource types the Service Authorization Reference lists for it).",
        why:
            "AWS accepts the statement but it never grants that action: `s3:ListBucket` on object ARNs or `kms:Decrypt` on an alias ARN does nothing, and the reader's request is denied with no hint why. Actions the reference lists without resource types are not compared: some of them do check an ARN.",
        fix:
            "Add a resource of a type the message lists: the bucket ARN for `s3:ListBucket`, the key ARN for KMS actions.",
        example:
            "s3:ListBucket applies to bucket (arn:${Partition}:s3:::${BucketName}), and no Resource of this statement is one, so it is never granted"
    )

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
            "A resource is neither `\"*\"` nor a well-formed ARN: no `arn:` prefix, too few fields, an unknown partition, an upper-case service, an account that is not 12 digits (or `aws`), a malformed Region, or a Region or account where the service's ARNs have none (or none where they need one).",
        why:
            "AWS rejects a resource that is not an ARN, and a malformed one matches nothing; `s3://bucket/*`, truncated account ids and an account in an S3 bucket ARN are common copy errors.",
        fix:
            "Write the full ARN: `arn:aws:s3:::BUCKET` and `arn:aws:s3:::BUCKET/*` (no Region, no account) for S3, `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID` for a key.",
        example:
            "'s3://amzn-s3-demo-bucket/*' is not an ARN: resources are \"*\" or arn:partition:service:region:account:resource"
    )

    public static let policyARNService = Rule(
        "policy-arn-service", .warning,
        summary:
            "A resource ARN belongs to a service none of the statement's actions belong to or take resources of (`ssm:SendCommand` takes EC2 instances).",
        why:
            "That resource never matches any action of the statement, so it grants nothing; usually the KMS key ARN went into the S3 statement and the KMS permission the reader needs is missing.",
        fix:
            "Move the ARN to a statement with actions of its service, e.g. a separate statement allowing `kms:Decrypt` and `kms:GenerateDataKey` on the key ARN.",
        example:
            "'arn:aws:kms:us-east-1:111122223333:key/abc' is a kms ARN, and none of this statement's actions (s3) applies to kms resources"
    )

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
        "policy-redundant", .note,
        summary:
            "An action or resource that another entry of the same element covers (a repeat, or a narrower pattern, before or after the wider one), a numeric bound another makes moot, a statement that repeats another, a role session next to its role in a trust policy.",
        why:
            "It grants nothing more and counts towards the size quota; often it is an edit that went wrong, where a different action or ARN was meant.",
        fix: "Delete the entry, or replace it with the action or ARN that was intended.",
        example: "'kms:PutKeyPolicy' is redundant: 'kms:*' already covers it")

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
        let governed = governedServices
        // The entries that name real actions: only those can be redundant.
        var known: [Located<String>] = []
        for value in element.values {
            if placeholders(in: value, meaning: "an action such as s3:GetObject") { continue }
            if value.value == "*" {
                everything = true
                known.append(value)
                continue
            }
            guard let action = resolve(value, statement: statement, negated: element.negated) else { continue }
            if let governed, !governed.contains(action.service.prefix) {
                report(
                    .error, .policyUnsupportedForKind,
                    "a \(input.kind.displayName) governs \(governed.sorted().first ?? "") resources: '\(value.value)' is not an action it can grant or deny",
                    at: value.range,
                    notes: [
                        "grant other services' actions in an identity policy, or in that service's own resource policy"
                    ])
                continue
            }
            known.append(value)
            resolved.append(action)
        }
        reportRedundant(known, ignoringCase: true, what: "action")
        return everything ? nil : resolved
    }

    /// One action string: its format, its service and its name against the catalogue.
    mutating func resolve(_ value: Located<String>, statement: Statement, negated: Bool) -> ResolvedAction? {
        let text = value.value
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            report(
                .error, .policyActionFormat,
                "'\(text)' is not an action: actions are written service:Name, e.g. s3:GetObject", at: value.range)
            return nil
        }
        let prefix = String(text[..<colon])
        let name = String(text[text.index(after: colon)...])
        if Wildcard.isPattern(prefix) {
            report(
                .error, .policyServiceWildcard,
                "the service prefix '\(prefix)' cannot contain a wildcard; only the action name can (or \"*\" on its own)",
                at: value.range)
            return nil
        }
        guard let service = catalogue.service(prefix) else {
            // Guides write `service:*` or `service-prefix:action-name` for "any service".
            if Placeholders.isServicePlaceholder(prefix) {
                report(
                    .note, .policyPlaceholder,
                    "'\(prefix)' is a placeholder for a service prefix; replace it before use", at: value.range)
                return nil
            }
            let suggestion = Suggestion.closest(to: prefix, in: catalogue.prefixes)
            report(
                .error, .policyUnknownService,
                "unknown service prefix '\(prefix)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                at: value.range,
                fix: suggestion.map { (value.range, "\"\($0):\(name)\"", "use '\($0):\(name)'") },
                notes: ["no version of the Service Authorization Reference since \(firstSnapshot) lists it"])
            return nil
        }
        if Wildcard.isPattern(name) {
            let matched = catalogue.actions(of: service, matching: name)
            let current = matched.filter { $0.retired == nil }
            if matched.isEmpty {
                report(.error, .policyUnknownAction, "'\(text)' matches no \(prefix) action", at: value.range)
                return nil
            }
            if current.isEmpty || service.retired != nil {
                reportRetired(text, service: service, actions: matched, at: value.range)
            }
            if statement.effect.value == .allow && !negated && name != "*" {
                let granted = current.isEmpty ? matched : current
                let shown =
                    granted.prefix(12).map { "\(prefix):\($0.name)" }.joined(separator: ", ")
                    + (granted.count > 12 ? ", …" : "")
                report(
                    .note, .policyWildcardAction,
                    "'\(text)' grants \(granted.count) action\(granted.count == 1 ? "" : "s"): \(shown)",
                    at: value.range, notes: ["list only the actions the guide needs"])
            }
            return ResolvedAction(value: value, service: service, actions: matched, isWildcard: true)
        }
        guard let action = service.actions[name.lowercased()] else {
            let suggestion = Suggestion.closest(
                to: name, in: service.actions.values.filter { $0.retired == nil }.map(\.name).sorted())
            report(
                .error, .policyUnknownAction,
                "unknown action '\(text)'" + (suggestion.map { "; did you mean '\(prefix):\($0)'?" } ?? ""),
                at: value.range,
                fix: suggestion.map { (value.range, "\"\(prefix):\($0)\"", "use '\(prefix):\($0)'") },
                notes: [
                    "no version of the Service Authorization Reference since \(firstSnapshot) lists \(name) for \(service.name)"
                ])
            return nil
        }
        if action.retired != nil || service.retired != nil {
            reportRetired(text, service: service, actions: [action], at: value.range)
        }
        return ResolvedAction(value: value, service: service, actions: [action], isWildcard: false)
    }

    /// The date the oldest snapshot of the catalogue was taken, for messages.
    var firstSnapshot: String { catalogue.snapshots.first?.date ?? "the catalogue's first snapshot" }

    /// A name that an earlier version of the reference listed and the current one does not.
    mutating func reportRetired(
        _ text: String, service: ServiceCatalogue.Service, actions: [ServiceCatalogue.Action], at range: Range<Int>
    ) {
        if service.retired != nil, !retiredServicesSeen.insert(service.prefix).inserted { return }
        let since = service.retired ?? actions.compactMap(\.retired).max() ?? ""
        let what =
            service.retired != nil
            ? "\(service.name) ('\(service.prefix)', used here by '\(text)' and reported once per policy)" : "'\(text)'"
        report(
            .warning, .policyRetired,
            "\(what) is retired since \(since): the Service Authorization Reference no longer lists it",
            at: range,
            notes: [
                "AWS still accepts the name in a policy, but it grants nothing new; remove it, or use the service's current actions"
            ])
    }

    /// Whether `text` starts with `head` and ends with `tail` (a pattern's literal
    /// ends): most pairs fail on the first byte.
    static func hasEnds(_ text: [UInt8], head: [UInt8], tail: [UInt8]) -> Bool {
        guard text.count >= head.count, text.count >= tail.count else { return false }
        for offset in head.indices where text[offset] != head[offset] { return false }
        let shift = text.count - tail.count
        for offset in tail.indices where text[shift + offset] != tail[offset] { return false }
        return true
    }

    /// A value's bytes, ASCII letters lowercased when case does not count, and a
    /// 64-bit FNV-1a hash of them taken in the same pass.
    static func comparable(_ value: String, ignoringCase: Bool) -> (bytes: [UInt8], hash: Int) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        func add(_ byte: UInt8) {
            let folded = ignoringCase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            bytes.append(folded)
            hash = (hash ^ UInt64(folded)) &* 0x100_0000_01b3
        }
        let read: Void? = value.utf8.withContiguousStorageIfAvailable { buffer in
            for byte in buffer { add(byte) }
        }
        if read == nil {
            for byte in value.utf8 { add(byte) }
        }
        return (bytes, Int(truncatingIfNeeded: hash))
    }

    /// Values of one list that another value already covers, each reported at its
    /// own place with the one that covers it: an exact repeat, or a pattern inside
    /// a wider one, in either order (Access Analyzer's "Redundant action" and
    /// "Redundant resource"). Literal values are checked against every pattern, and
    /// patterns against each other, up to a bound (hostile input); each pair is first
    /// compared by the literal text the pattern starts and ends with.
    mutating func reportRedundant(_ values: [Located<String>], ignoringCase: Bool, what: String) {
        guard values.count > 1 else { return }
        let star = UInt8(ascii: "*")
        let one = UInt8(ascii: "?")
        let read = values.map { Self.comparable($0.value, ignoringCase: ignoringCase) }
        let texts = read.map(\.bytes)
        let isPattern = texts.map { $0.contains(star) || $0.contains(one) }
        let patterns = values.indices.filter { isPattern[$0] }.prefix(64).map { index in
            let text = texts[index]
            let head = text.prefix { $0 != star && $0 != one }
            let tail = text.reversed().prefix { $0 != star && $0 != one }
            return (index: index, head: Array(head), tail: Array(tail.reversed()))
        }
        // The first value with each text, found by hash; equal hashes are confirmed
        // on the bytes (a collision falls back to a scan of the earlier values).
        var firstOf: [Int: Int] = [:]
        firstOf.reserveCapacity(values.count)
        for (index, text) in texts.enumerated() {
            let hash = read[index].hash
            var same: Int?
            if let candidate = firstOf[hash] {
                same = texts[candidate] == text ? candidate : texts[..<index].firstIndex(of: text)
            }
            let cover: Int?
            if let same {
                cover = same
            } else {
                if firstOf[hash] == nil { firstOf[hash] = index }
                cover = patterns.first { pattern in
                    guard pattern.index != index, Self.hasEnds(text, head: pattern.head, tail: pattern.tail),
                        texts[pattern.index] != text
                    else { return false }
                    guard isPattern[index] else { return Wildcard.matchesBytes(texts[pattern.index], text) }
                    // Two patterns covering each other are equal languages: keep the first.
                    return Wildcard.covers(texts[pattern.index], text)
                        && (pattern.index < index || !Wildcard.covers(text, texts[pattern.index]))
                }.map(\.index)
            }
            guard let cover else { continue }
            let wider = values[cover]
            report(
                .note, .policyRedundant,
                texts[cover] == text
                    ? "'\(values[index].value)' is listed twice"
                    : "'\(values[index].value)' is redundant: '\(wider.value)' already covers it",
                at: values[index].range, related: [(wider.range, "'\(wider.value)' is here")],
                notes: ["removing a redundant \(what) changes nothing the policy grants"])
        }
    }
}
