import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyDuplicateSid = Rule(
        "policy-duplicate-sid", .error,
        summary:
            "Two statements of one policy have the same `Sid` (an error where IAM or Organizations refuse it, a warning in bucket and key policies).",
        why:
            "IAM requires unique Sids (Access Analyzer recommends them in other policy types too), and readers or tools that refer to a statement by its Sid cannot tell the two apart.",
        fix: "Rename one statement, or merge the two if they are meant to be one.",
        example: "duplicate Sid 'Read': a Sid must be unique within a policy")

    public static let policyPlaceholder = Rule(
        "policy-placeholder", .note,
        summary:
            "A principal, action, resource or condition holds a stand-in such as `<bucket-name>`, `${BUCKET}`, `ACCOUNT_ID` or `arn-of-the-KMS-key`.",
        why:
            "A policy pasted with a placeholder is rejected or, worse, accepted and matching nothing. Each placeholder is reported once per guide, and the format checks of the principal, action, resource or key holding it are skipped.",
        fix:
            "Use realistic example values (accounts 111122223333 and 444455556666, `amzn-s3-demo-bucket`) so the policy can be checked and simulated, or tell readers what to substitute.",
        example: "'<bucket-name>' is a placeholder for an S3 bucket name; replace it before use")

    public static let policySidFormat = Rule(
        "policy-sid-format", .error,
        summary:
            "A `Sid` in an identity or trust policy, SCP or RCP has characters other than ASCII letters and digits (bucket and key policies take any text).",
        why:
            "IAM rejects identity policies whose Sid has hyphens, underscores or spaces, so a statement copied from a key policy breaks when attached to a role.",
        fix: "Use letters and digits only, e.g. `AllowPartnerRead` (the finding suggests the cleaned-up Sid).",
        example:
            "Sid 'read-objects' contains '-'; a Sid in an identity policy may contain only ASCII letters and digits")

    public static let policySize = Rule(
        "policy-size", .error,
        summary:
            "A policy exceeds its kind's quota: SCP/RCP 5,120 characters (an error), key 32 KB, bucket 20 KB, identity 10,240 and trust 2,048 characters without white space (warnings).",
        why:
            "AWS refuses to store a policy over its quota. Organizations' quota is fixed; an identity policy's depends on where it is attached (a managed policy 6,144, a role's inline policies 10,240), and a trust policy's can be raised, so those are warnings, as in Access Analyzer.",
        fix:
            "Combine statements that share a principal and resources, drop redundant entries, or split an identity policy into several managed policies.",
        example: "this identity policy is 10301 characters without white space; the limit is 10240")

    public static let policyVersionMissing = Rule(
        "policy-version-missing", .warning,
        summary: "The policy has no `Version`.",
        why:
            "AWS then reads it as 2008-10-17, where policy variables such as `${aws:username}` are literal text, so resources and conditions built on them silently match nothing.",
        fix: "Add `\"Version\": \"2012-10-17\"` as the first element.",
        example: "the policy has no 'Version', so AWS reads it as 2008-10-17 and treats policy variables as plain text")

    public static let policyVersionOld = Rule(
        "policy-version-old", .warning,
        summary: "`Version` is `2008-10-17`, the old policy language.",
        why:
            "Policy variables are literal text under it, and readers carry the old version into the new policies they write from the guide.",
        fix:
            "Use `\"2012-10-17\"` (the finding carries the fix) and check that any `${...}` text is meant as a variable.",
        example: "Version 2008-10-17 is the old policy language: policy variables are plain text")
}

/// Checks one policy document as the kind of policy it is, the way IAM Access
/// Analyzer's policy validation does, and points each finding at the element
/// responsible: the action string, the ARN, the condition key.
public struct PolicyLinter {
    public struct Input {
        public var document: PolicyDocument
        public var kind: PolicyKind
        /// The document's JSON text, for size quotas.
        public var text: String
        public var locate: SourceLocator
        /// The account that owns the resource, when known (a key policy's owner is
        /// inferred from its root statement).
        public var ownerAccount: String?
        /// The account a guide's flow bound each placeholder principal to
        /// (`arn-of-the-partner-role`), for the cross-account checks.
        public var placeholderAccounts: [String: String]

        public init(
            document: PolicyDocument, kind: PolicyKind, text: String, locate: SourceLocator,
            ownerAccount: String? = nil,
            placeholderAccounts: [String: String] = [:]
        ) {
            self.document = document
            self.kind = kind
            self.text = text
            self.locate = locate
            self.ownerAccount = ownerAccount
            self.placeholderAccounts = placeholderAccounts
        }
    }

    let input: Input
    let catalogue: ServiceCatalogue
    var diagnostics: [Diagnostic] = []
    /// Retired services already reported in this policy: once is enough.
    var retiredServicesSeen: Set<String> = []
    /// The services a bucket or key policy may govern, when the document is evidently
    /// one: it names at least one of their actions (or `*`). A document of only SNS
    /// actions taken for a bucket policy is another service's policy, not a wrong one.
    var governedServices: Set<String>? {
        guard let services = input.kind.resourceServices else { return nil }
        let own = input.document.statements.contains { statement in
            guard let actions = statement.actions else { return false }
            return actions.negated
                || actions.values.contains { value in
                    value.value == "*"
                        || services.contains(value.value.split(separator: ":").first.map { $0.lowercased() } ?? "")
                }
        }
        return own ? services : nil
    }
    /// Placeholders already reported (shared across a guide's blocks by the caller).
    public var seenPlaceholders: Set<String>

    public init(_ input: Input, catalogue: ServiceCatalogue = .shipped, seenPlaceholders: Set<String> = []) {
        self.input = input
        self.catalogue = catalogue
        self.seenPlaceholders = seenPlaceholders
    }

    /// Runs every check and returns the findings.
    public mutating func lint() -> [Diagnostic] {
        let document = input.document
        checkVersion(document)
        checkSize()
        checkSids(document)
        checkVariables(document)
        for statement in document.statements {
            checkPrincipal(statement)
            let actions = checkActions(statement)
            checkResources(statement, actions: actions)
            checkConditions(statement, actions: actions)
            checkPrivileges(statement, actions: actions)
            checkTrust(statement)
            checkEmpty(statement)
        }
        checkRedundantStatements(document)
        checkKeyPolicy(document)
        checkCrossAccountGrants(document)
        return diagnostics
    }

    // MARK: - Reporting

    mutating func report(
        _ severity: Severity, _ rule: Rule, _ message: String, at range: Range<Int>,
        related: [(Range<Int>, String)] = [],
        fix: (Range<Int>, String, String)? = nil, notes: [String] = []
    ) {
        diagnostics.append(
            Diagnostic(
                severity, rule, message, at: input.locate.range(range),
                related: related.map { RelatedLocation(range: input.locate.range($0.0), message: $0.1) },
                fix: fix.map { FixIt(range: input.locate.range($0.0), replacement: $0.1, message: $0.2) }, notes: notes)
        )
    }

    /// Reports placeholders in a value once each; true when the value has any, so
    /// callers skip format checks that would only cascade from them.
    mutating func placeholders(in value: Located<String>, meaning: String) -> Bool {
        let found = Placeholders.find(in: value.value)
        for placeholder in found where seenPlaceholders.insert(placeholder).inserted {
            report(
                .note, .policyPlaceholder,
                "'\(placeholder)' is a placeholder for \(Placeholders.meaning(of: placeholder, context: meaning)); replace it before use",
                at: value.range)
        }
        return !found.isEmpty
    }

    var head: (Statement) -> Range<Int> { { $0.range.lowerBound..<$0.range.lowerBound + 1 } }

    // MARK: - Document-level checks

    mutating func checkVersion(_ document: PolicyDocument) {
        guard let version = document.version else {
            report(
                .warning, .policyVersionMissing,
                "the policy has no 'Version', so AWS reads it as 2008-10-17 and treats policy variables as plain text",
                at: document.range.lowerBound..<document.range.lowerBound + 1,
                notes: ["add \"Version\": \"2012-10-17\" as the first element"])
            return
        }
        if version.value == "2008-10-17" {
            report(
                .warning, .policyVersionOld,
                "Version 2008-10-17 is the old policy language: policy variables are plain text",
                at: version.range, fix: (version.range, "\"2012-10-17\"", "use \"2012-10-17\""))
        }
    }

    /// Quotas (semantics.md §2.8). The analyzer reports an SCP or RCP over its quota
    /// as an error (Organizations refuses it) and the others as warnings: an
    /// identity policy's quota depends on where it is attached, and trust policy
    /// quotas can be raised.
    mutating func checkSize() {
        let quota = input.kind.sizeLimit
        // JSON's white space is ASCII; characters are counted as scalars.
        // Counting cannot exceed the bytes: most policies are ruled out by their length.
        guard input.text.utf8.count > quota.limit else { return }
        let size =
            quota.countsWhitespace
            ? input.text.utf8.count
            : Self.countWithoutWhitespace(input.text)
        guard size > quota.limit else { return }
        let refused = input.kind == .scp || input.kind == .rcp
        report(
            refused ? .error : .warning, .policySize,
            "this \(input.kind.displayName) is \(size) \(quota.unit); the limit is \(quota.limit)"
                + (refused ? ", and AWS Organizations refuses it" : ""),
            at: input.document.range.lowerBound..<input.document.range.lowerBound + 1,
            notes: (quota.note.map { [$0] } ?? []) + [
                "split it, or combine statements that share a principal and resources"
            ])
    }

    /// Characters of `text` outside JSON white space, counted as Unicode scalars (UTF-8
    /// continuation bytes are skipped), in one pass over the bytes.
    static func countWithoutWhitespace(_ text: String) -> Int {
        func count(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            var total = 0
            for byte in bytes where byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte & 0xC0 != 0x80
            {
                total += 1
            }
            return total
        }
        if let total = text.utf8.withContiguousStorageIfAvailable(count) { return total }
        return Array(text.utf8).withUnsafeBufferPointer(count)
    }

    /// Sids: unique (IAM and Organizations refuse repeats; in bucket and key policies
    /// the analyzer only recommends it), and letters and digits only where IAM and
    /// Organizations say so: S3 and KMS take any text (semantics.md §2.2).
    mutating func checkSids(_ document: PolicyDocument) {
        var first: [String: Range<Int>] = [:]
        let anyText = input.kind == .bucket || input.kind == .key
        for statement in document.statements {
            guard let sid = statement.sid else { continue }
            if sid.value.isEmpty {
                report(
                    .note, .policyEmpty, "the Sid is empty: give the statement a name or remove 'Sid'", at: sid.range)
                continue
            }
            if let earlier = first[sid.value] {
                report(
                    anyText ? .warning : .error, .policyDuplicateSid,
                    "duplicate Sid '\(sid.value)': "
                        + (anyText
                            ? "statement ids should be unique within a policy"
                            : "a Sid must be unique within a\(input.kind == .identity ? "n" : "") \(input.kind.displayName)"),
                    at: sid.range, related: [(earlier, "'\(sid.value)' is first used here")])
            } else {
                first[sid.value] = sid.range
            }
            guard !anyText else { continue }
            let bad = sid.value.unicodeScalars.first { scalar in
                !(("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar))
            }
            if let bad {
                let allowed = "only ASCII letters and digits"
                let cleaned = String(
                    sid.value.unicodeScalars.filter {
                        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    }.map(Character.init))
                report(
                    .error, .policySidFormat,
                    "Sid '\(sid.value)' contains '\(bad)'; a Sid in a\(input.kind == .identity ? "n" : "") \(input.kind.displayName) may contain \(allowed)",
                    at: sid.range, fix: cleaned.isEmpty ? nil : (sid.range, "\"\(cleaned)\"", "write \"\(cleaned)\""))
            }
        }
    }
}
