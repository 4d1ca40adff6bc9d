import KBDiagnostics
import KBJSON
import KBPolicy
import KBPolicyLint

extension Rule {
    public static let policyKindUnknown = Rule(
        "policy-kind-unknown", .error,
        summary: "A block's `kind=` attribute names no policy kind.",
        why:
            "The kind decides which checks apply (Principal required or forbidden, size quota, Sid characters); with an unknown kind only the grammar of the block is checked.",
        fix:
            "Use `identity-policy`, `bucket-policy`, `key-policy`, `trust-policy`, `scp` or `rcp`, or a short form such as `key`.",
        example: "unknown policy kind 'key-polcy'; did you mean 'key-policy'?")
}

/// Finds the policies among JSON documents and checks each as the kind it is.
public enum PolicyCheck {
    /// A JSON document is a policy when it is an object with a `Statement`, or
    /// when the author labelled it with `kind=`.
    public static func isPolicy(_ value: JSONValue, labelled: Bool) -> Bool {
        labelled || value["Statement"] != nil
    }

    /// What tells a policy's kind, strongest first.
    public struct KindEvidence: Sendable {
        /// A `kind=` attribute and where it is written.
        public var attribute: (value: String, range: SourceRange)?
        /// A kind stated outside the document: `--kind`, or `kind:` in kbtool.yml.
        public var said: PolicyKind?
        /// A file name or block title such as `key-policy.json`.
        public var name: String?
        /// The kind the guide's analysis settled on (prose and structure).
        public var classified: PolicyKind?

        public init(
            attribute: (value: String, range: SourceRange)? = nil, said: PolicyKind? = nil, name: String? = nil,
            classified: PolicyKind? = nil
        ) {
            self.attribute = attribute
            self.said = said
            self.name = name
            self.classified = classified
        }
    }

    /// Checks one policy document; `seenPlaceholders` carries placeholders already
    /// reported elsewhere in the same guide so each is reported once.
    /// `parsed` is the document already read by the block classifier, if it was.
    public static func check(
        _ value: JSONValue, parsed: ParsedPolicy? = nil, text: String, locate: SourceLocator, evidence: KindEvidence,
        ownerAccount: String?, placeholderAccounts: [String: String] = [:], seenPlaceholders: inout Set<String>
    ) -> [Diagnostic] {
        let parsed = parsed ?? PolicyParser.parse(value, locate: locate)
        var diagnostics = parsed.diagnostics
        let kind: PolicyKind
        if let attribute = evidence.attribute {
            guard let named = PolicyKind(attribute: attribute.value) else {
                let names = PolicyKind.allCases.map(\.rawValue)
                let suggestion = Suggestion.closest(to: attribute.value, in: names)
                diagnostics.append(
                    Diagnostic(
                        .error, .policyKindUnknown,
                        "unknown policy kind '\(attribute.value)'"
                            + (suggestion.map { "; did you mean '\($0)'?" }
                                ?? "; use one of \(names.joined(separator: ", "))"),
                        at: attribute.range))
                return diagnostics
            }
            kind = named
        } else if let said = evidence.said {
            kind = said
        } else if let name = evidence.name, let named = PolicyKind(fileName: name), named.fits(parsed.document) {
            kind = named
        } else if let classified = evidence.classified {
            kind = classified
        } else {
            kind = PolicyKind.infer(parsed.document).kind
        }
        var linter = PolicyLinter(
            PolicyLinter.Input(
                document: parsed.document, kind: kind, text: text, locate: locate, ownerAccount: ownerAccount,
                placeholderAccounts: placeholderAccounts),
            seenPlaceholders: seenPlaceholders)
        diagnostics += linter.lint()
        seenPlaceholders = linter.seenPlaceholders
        return diagnostics
    }
}
