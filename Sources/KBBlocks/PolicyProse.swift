import Foundation
import KBPolicyLint

/// The policy kind a sentence names: "the bucket policy", "KMS key policy", "an
/// IAM policy in account B", "trust relationship"; or another service's policy:
/// "the VPC endpoint policy", "the topic policy".
public enum PolicyProse {
    /// What a phrase names.
    enum Named {
        case kind(PolicyKind)
        case service(String)
    }

    // "permissions policy" is left out: AWS calls bucket and key policies that too.
    static let phrases: [(String, Named)] = [
        ("trust policy", .kind(.trust)), ("trust relationship", .kind(.trust)),
        ("assume role policy", .kind(.trust)), ("assume-role policy", .kind(.trust)), ("key policy", .kind(.key)),
        ("kms policy", .kind(.key)), ("kms key policy", .kind(.key)), ("bucket policy", .kind(.bucket)),
        ("bucket-policy", .kind(.bucket)), ("service control polic", .kind(.scp)), ("scp", .kind(.scp)),
        ("resource control polic", .kind(.rcp)), ("rcp", .kind(.rcp)), ("identity policy", .kind(.identity)),
        ("identity-based policy", .kind(.identity)), ("iam policy", .kind(.identity)),
        ("inline policy", .kind(.identity)), ("role policy", .kind(.identity)), ("user policy", .kind(.identity)),
        ("endpoint policy", .service("VPC endpoint policy")), ("topic policy", .service("SNS topic policy")),
        ("queue policy", .service("SQS queue policy")), ("sns topic access policy", .service("SNS topic policy")),
        ("sqs queue access policy", .service("SQS queue policy")),
    ]

    /// The policy kind the text names first; nil when it names none, or names
    /// another service's policy first.
    public static func kind(in text: String) -> PolicyKind? {
        if case .kind(let kind)? = first(in: text) { return kind }
        return nil
    }

    /// Another service's policy, when the text names one before any policy kind.
    public static func servicePolicy(in text: String) -> String? {
        if case .service(let name)? = first(in: text) { return name }
        return nil
    }

    /// Whether the text presents the block as part of a policy or as an example
    /// of one ("add the following statement to the key policy", "the following
    /// example key policy"), so what a whole policy must have is not asked of it.
    public static func callsExcerpt(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return [
            "statement", "add the following", "add this", "add the policy", "example key policy", "example policy",
        ].contains {
            lowered.contains($0)
        }
    }

    /// Whether the text says the access is meant to be public ("a public website",
    /// "grant anonymous read"): a warning that the policy is public tells the
    /// reader nothing the guide did not.
    public static func meansPublic(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return ["public", "anonymous", "website", "everyone"].contains { lowered.contains($0) }
    }

    static func first(in text: String) -> Named? {
        let lowered = text.lowercased()
        // The earliest phrase in the text wins: "attach this IAM policy … unlike the bucket policy".
        var best: (index: String.Index, length: Int, named: Named)?
        for (phrase, named) in phrases {
            guard let found = lowered.range(of: phrase) else { continue }
            // Whole words only for short acronyms (scp, rcp).
            if phrase.count <= 3 {
                let before =
                    found.lowerBound == lowered.startIndex ? " " : lowered[lowered.index(before: found.lowerBound)]
                let after = found.upperBound == lowered.endIndex ? " " : lowered[found.upperBound]
                guard !before.isLetter, !after.isLetter else { continue }
            }
            // At one place the longer phrase wins ("kms key policy" over "key policy").
            if best == nil || found.lowerBound < best!.index
                || (found.lowerBound == best!.index && phrase.count > best!.length)
            {
                best = (found.lowerBound, phrase.count, named)
            }
        }
        return best?.named
    }
}
