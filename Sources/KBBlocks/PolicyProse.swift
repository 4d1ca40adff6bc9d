import Foundation
import KBPolicyLint

/// The policy kind a sentence names: "the bucket policy", "KMS key policy", "an
/// IAM policy in account B", "trust relationship".
public enum PolicyProse {
    static let phrases: [(String, PolicyKind)] = [
        ("trust policy", .trust), ("trust relationship", .trust), ("assume role policy", .trust),
        ("assume-role policy", .trust), ("key policy", .key), ("kms policy", .key), ("kms key policy", .key),
        ("bucket policy", .bucket), ("bucket-policy", .bucket), ("service control polic", .scp), ("scp", .scp),
        ("resource control polic", .rcp), ("rcp", .rcp), ("identity policy", .identity),
        ("identity-based policy", .identity), ("iam policy", .identity), ("inline policy", .identity),
        ("role policy", .identity), ("user policy", .identity), ("permissions policy", .identity),
        ("permission policy", .identity),
    ]

    public static func kind(in text: String) -> PolicyKind? {
        let lowered = text.lowercased()
        // The earliest phrase in the text wins: "attach this IAM policy … unlike the bucket policy".
        var best: (index: String.Index, kind: PolicyKind)?
        for (phrase, kind) in phrases {
            guard let found = lowered.range(of: phrase) else { continue }
            // Whole words only for short acronyms (scp, rcp).
            if phrase.count <= 3 {
                let before =
                    found.lowerBound == lowered.startIndex ? " " : lowered[lowered.index(before: found.lowerBound)]
                let after = found.upperBound == lowered.endIndex ? " " : lowered[found.upperBound]
                guard !before.isLetter, !after.isLetter else { continue }
            }
            if best == nil || found.lowerBound < best!.index { best = (found.lowerBound, kind) }
        }
        return best?.kind
    }
}
