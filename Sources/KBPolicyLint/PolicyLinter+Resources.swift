import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyARNWildcardService = Rule(
        "policy-arn-wildcard-service", .note,
        summary: "An ARN's service field is a pattern, such as `arn:aws:*code*:…`.",
        why: "It matches every service whose prefix fits, those AWS launches later included.",
        fix: "Name the service.",
        example: "the service '*code*' in this ARN is a pattern: it may match services added later")

    public static let policyARNResource = Rule(
        "policy-arn-resource", .error,
        summary:
            "An ARN's resource part is empty, or its type is one edit away from a type its service has (a warning when it is the same word spelt otherwise).",
        why:
            "ARNs match case by case and letter by letter: `stateMachine` is not `statemachine`, `key/` is not `keys/`. The statement grants nothing on such an ARN. AWS's analyzer reports an invalid ARN resource; AWS's own managed policies carry types spelt with another case or hyphen (`statemachine`, `endpointconfig`) through many revisions, so kbtool takes those as accepted and warns.",
        fix:
            "Write the type as the service spells it (the message suggests it), or give the resource after the fifth colon.",
        example: "'keys' is not a kind of kms resource; did you mean 'key'?")
}

extension PolicyLinter {
    /// Partitions an ARN may name (Access Analyzer's "Invalid partition").
    static let partitions: Set<String> = [
        "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc",
    ]

    /// Services whose ARNs another service's name stands for: STS sessions are IAM
    /// roles, and CodeStar Connections was renamed CodeConnections, keeping both
    /// ARN forms (a connection made before keeps its codestar-connections ARN).
    static let serviceAliases: [String: Set<String>] = [
        "sts": ["iam"], "codestar-connections": ["codeconnections"], "codeconnections": ["codestar-connections"],
    ]

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
        var listed: [Located<String>] = []
        var hasStar = false
        for value in element.values {
            if placeholders(in: value, meaning: "a resource ARN") { continue }
            listed.append(value)
            if value.value == "*" {
                hasStar = true
            } else if checkARN(value) {
                usable.append(value)
            }
        }
        reportRedundant(listed, ignoringCase: false, what: "resource")
        usable = checkResourceKind(usable)
        guard let actions, !element.negated, !hasStar, !usable.isEmpty else { return }
        checkARNServices(usable, actions: actions)
    }

    /// One ARN's shape (Access Analyzer's ARN errors). True when it is well-formed
    /// enough for the checks that compare it with actions.
    mutating func checkARN(_ value: Located<String>) -> Bool {
        let text = value.value
        guard text.hasPrefix("arn:") else {
            report(
                .error, .policyARNFormat,
                "'\(text)' is not an ARN: resources are \"*\" or arn:partition:service:region:account:resource",
                at: value.range)
            return false
        }
        guard let arn = ARN(text) else {
            report(
                .error, .policyARNFormat,
                "'\(text)' has too few fields: an ARN is arn:partition:service:region:account:resource", at: value.range
            )
            return false
        }
        let variable = { (field: String) in field.containsVariableOpening || Wildcard.isPattern(field) }
        if !variable(arn.partition), !Self.partitions.contains(arn.partition) {
            report(
                .error, .policyARNFormat,
                "'\(arn.partition)' is not a partition; use aws, aws-cn or aws-us-gov (or another AWS partition)",
                at: value.range)
            return false
        }
        if Wildcard.isPattern(arn.service) {
            report(
                .note, .policyARNWildcardService,
                "the service '\(arn.service)' in this ARN is a pattern: it may match services added later",
                at: value.range, notes: ["name the service"])
            return false
        }
        if arn.service != arn.service.lowercased() {
            report(
                .error, .policyARNFormat, "the service in an ARN is lower case: write '\(arn.service.lowercased())'",
                at: value.range)
            return false
        }
        if !arn.account.isEmpty, !variable(arn.account), !ARN.isAccountID(arn.account), arn.account != "aws" {
            report(
                .error, .policyARNFormat, "the account in '\(text)' must be 12 digits, found '\(arn.account)'",
                at: value.range)
            return false
        }
        if !arn.region.isEmpty, !variable(arn.region), !Self.isRegion(arn.region) {
            report(.error, .policyARNFormat, "'\(arn.region)' is not an AWS Region", at: value.range)
            return false
        }
        return checkARNAgainstTemplates(arn, value: value)
    }

    /// Two spellings of one word: equal once case, `-` and `_` are ignored.
    static func sameWord(_ a: String, _ b: String) -> Bool {
        let fold = { (text: String) in text.lowercased().filter { $0 != "-" && $0 != "_" } }
        return fold(a) == fold(b)
    }

    /// A Region code's shape: `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, last.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return false
        }
        return parts.dropLast().allSatisfy { part in !part.isEmpty && part.allSatisfy { ("a"..."z").contains($0) } }
            && parts[0].count == 2
    }

    /// The ARN against its service's resource types: the resource part must fit one
    /// (Access Analyzer's "Invalid ARN resource"), and the types it fits say whether
    /// the ARN may, or must, carry a Region and an account.
    mutating func checkARNAgainstTemplates(_ arn: ARN, value: Located<String>) -> Bool {
        guard let service = catalogue.service(arn.service), service.retired == nil, !service.resourceTypes.isEmpty
        else { return true }
        let fit = service.fit(arn.resource)
        guard fit.fits else {
            // AWS's own policies name forms the reference does not list (WAF's
            // `changetoken/*`, IAM's `root`), and the analyzer accepts them: kbtool
            // reports an empty resource, and a type word one edit from a real one.
            let formats = service.resourceTypes.values.flatMap(\.arnTemplates).map {
                String($0.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last ?? "")
            }
            let word = { (text: String) in String(text.prefix { $0 != "/" && $0 != ":" }) }
            let typeWord = word(arn.resource)
            let knownWords = Set(formats.map(word)).filter { !$0.isEmpty && !$0.contains("$") }
            let near =
                Wildcard.isPattern(typeWord) || knownWords.contains(typeWord)
                ? nil : Suggestion.closest(to: typeWord, in: knownWords.sorted(), caseSensitive: true)
            // The same word in another spelling (`statemachine`, `endpointconfig`):
            // AWS's own policies carry such ARNs through many revisions, so the
            // analyzer is taken to accept them. They still match nothing.
            if !arn.resource.isEmpty, !Wildcard.isPattern(typeWord),
                let spelled = knownWords.sorted().first(where: { Self.sameWord($0, typeWord) && $0 != typeWord })
            {
                report(
                    .warning, .policyARNResource,
                    "\(service.prefix) ARNs spell this type '\(spelled)', not '\(typeWord)': ARNs match letter by letter, so this one names no \(service.prefix) resource",
                    at: value.range)
                return false
            }
            if arn.resource.isEmpty || near != nil {
                report(
                    .error, .policyARNResource,
                    arn.resource.isEmpty
                        ? "'\(value.value)' names no resource: add the resource after the fifth colon"
                        : "'\(typeWord)' is not a kind of \(service.prefix) resource; did you mean '\(near!)'?",
                    at: value.range,
                    notes: [
                        "\(service.prefix) ARNs end in "
                            + formats.sorted().prefix(4).map { "'\($0)'" }.joined(separator: ", ")
                            + (formats.count > 4 ? ", …" : "")
                    ])
            }
            return false
        }
        let (regionAllowed, regionRequired, accountAllowed) = (
            fit.regionAllowed, fit.regionRequired, fit.accountAllowed
        )
        let literal = { (field: String) in
            !field.isEmpty && !field.containsVariableOpening && !Wildcard.isPattern(field)
        }
        if literal(arn.region), !regionAllowed {
            report(
                .error, .policyARNFormat,
                "\(service.prefix) ARNs of this kind have no Region: leave the fourth field empty ('\(arn.region)' is there)",
                at: value.range)
        } else if literal(arn.account), !accountAllowed {
            report(
                .error, .policyARNFormat,
                "\(service.prefix) ARNs of this kind have no account: leave the fifth field empty ('\(arn.account)' is there)",
                at: value.range)
        } else if arn.region.isEmpty, regionRequired {
            report(
                .error, .policyARNFormat, "\(service.prefix) ARNs carry a Region: add one (or *) in the fourth field",
                at: value.range)
        } else {
            return true
        }
        return false
    }

    /// ARNs of services none of the actions belong to or accept, and actions that
    /// apply to none of the resources. kbtool's own checks (warnings): AWS accepts
    /// such statements; they only grant less than they seem to.
    mutating func checkARNServices(_ usable: [Located<String>], actions: [ResolvedAction]) {
        let arns = usable.map { ARN($0.value) }
        let own = Set(actions.map(\.service.prefix))
        var wrongService = 0
        // Usually every ARN is of an action's own service: nothing more to find.
        if arns.contains(where: { $0.map { !own.contains($0.service) } ?? false }) {
            // The services whose ARNs the actions accept: their own, and those their
            // resource types are ARNs of (ssm:SendCommand on EC2 instances).
            var accepted = own
            for action in actions {
                accepted.formUnion(Self.serviceAliases[action.service.prefix] ?? [])
                if action.isWildcard {
                    accepted.formUnion(action.service.arnServices)
                    continue
                }
                for info in action.actions {
                    for use in info.resourceTypes {
                        for part in action.service.resourceTypes[use.name]?.resourceParts ?? [] {
                            accepted.insert(part.service)
                        }
                    }
                }
            }
            // The reference lists some actions without resource types that do check an
            // ARN (ssmmessages on SSM sessions): with one of those, any ARN may be meant.
            let unlisted = actions.contains { !$0.isWildcard && $0.actions.first?.resourceTypes.isEmpty == true }
            // A type whose ARN's service is a variable (AWS Backup's recovery points,
            // `arn:${Partition}:${Vendor}:…`) is of any service.
            let anyService = accepted.contains { $0.containsVariableOpening }
            wrongService =
                unlisted || anyService
                ? 0 : reportForeignARNs(usable, arns: arns, accepted: accepted, actions: actions)
        }
        // Every resource is already reported as another service's: no cascade.
        guard wrongService < usable.count else { return }
        mismatchedActions(actions, usable: usable, arns: arns.compactMap { $0 })
    }

    /// ARNs of services none of the actions take; how many there were.
    mutating func reportForeignARNs(
        _ usable: [Located<String>], arns: [ARN?], accepted: Set<String>, actions: [ResolvedAction]
    ) -> Int {
        var wrongService = 0
        for (value, arn) in zip(usable, arns) {
            guard let arn, !actions.isEmpty else { continue }
            if !accepted.contains(arn.service) {
                let services = Set(actions.map(\.service.prefix)).sorted().joined(separator: ", ")
                report(
                    .warning, .policyARNService,
                    "'\(value.value)' is a\(["a", "e", "i", "o", "u"].contains(arn.service.prefix(1)) ? "n" : "") \(arn.service) ARN, and none of this statement's actions (\(services)) applies to \(arn.service) resources",
                    at: value.range)
                wrongService += 1
            }
        }
        return wrongService
    }

    /// Actions that apply to none of the statement's resources.
    mutating func mismatchedActions(_ actions: [ResolvedAction], usable: [Located<String>], arns: [ARN]) {
        // Whether a resource type admits one of the statement's resources, per type:
        // the actions of one statement share a handful of types.
        var admitted: [ObjectIdentifier: Bool] = [:]
        var read: [ARNTemplate.Pattern]?
        func admitsAny(_ type: ServiceCatalogue.ResourceType) -> Bool {
            if let known = admitted[ObjectIdentifier(type)] { return known }
            let patterns = read ?? usable.map { ARNTemplate.Pattern($0.value) }
            read = patterns
            let answer = patterns.contains { type.admits($0) }
            admitted[ObjectIdentifier(type)] = answer
            return answer
        }
        let services = Set(arns.map(\.service))
        for action in actions where !action.isWildcard {
            // A renamed service's ARNs keep both names (codestar-connections and
            // codeconnections): the types are written under one of them.
            if let aliases = Self.serviceAliases[action.service.prefix], !aliases.isDisjoint(with: services) {
                continue
            }
            guard let info = action.actions.first, info.retired == nil, !info.resourceTypes.isEmpty else {
                // The reference lists some actions without resource types that do
                // check an ARN (s3:GetAccessPoint): nothing to compare with.
                continue
            }
            let qualified = "\(action.service.prefix):\(info.name)"
            let types = info.resourceTypes.compactMap { action.service.resourceTypes[$0.name] }
            let applies = types.contains(where: admitsAny)
            if !applies && !types.isEmpty {
                let described = types.map { "\($0.name) (\($0.arnTemplate))" }.joined(separator: ", ")
                report(
                    .warning, .policyActionResourceMismatch,
                    "\(qualified) applies to \(described), and no Resource of this statement is one, so it is never granted",
                    at: action.value.range, related: usable.map { ($0.range, "not a resource \(qualified) applies to") }
                )
            }
        }
    }

    /// A resource policy names only its own resource and its own service's actions
    /// (Access Analyzer's "Unsupported action in policy" and "Unsupported resource
    /// ARN in policy"): a bucket policy's ARNs are S3's, a key policy's Resource "*".
    /// Returns the ARNs the policy can govern, for the checks that follow.
    mutating func checkResourceKind(_ usable: [Located<String>]) -> [Located<String>] {
        guard let governed = governedServices else { return usable }
        let service = input.kind == .key ? "kms" : "s3"
        return usable.filter { value in
            guard let arn = ARN(value.value), !Wildcard.isPattern(arn.service), !governed.contains(arn.service) else {
                return true
            }
            report(
                .error, .policyUnsupportedForKind,
                "a \(input.kind.displayName) governs \(service) resources; '\(value.value)' is a\(arn.service.first.map { "aeiou".contains($0) } == true ? "n" : "") \(arn.service) ARN",
                at: value.range)
            return false
        }
    }
}
