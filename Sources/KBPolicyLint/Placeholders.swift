import Foundation

/// Recognises the stand-ins guides write where a real value belongs:
/// `<bucket-name>`, `${BUCKET}`, `ACCOUNT_ID`, `arn-of-the-KMS-key`, `your-bucket`.
/// Policy variables (`${aws:username}`) and AWS's documentation accounts are
/// real syntax and real examples, not placeholders.
public enum Placeholders {
    /// The placeholders inside a value, in order of appearance.
    public static func find(in value: String) -> [String] {
        var found: [String] = []
        // <...>
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            found.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        // ${NAME} without a colon (policy variables always have one)
        rest = Substring(value)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            let name = rest[open.upperBound..<close]
            if !name.contains(":"), !["*", "?", "$"].contains(String(name)), !name.isEmpty {
                found.append(String(rest[open.lowerBound...close]))
            }
            rest = rest[rest.index(after: close)...]
        }
        // Words, split at ARN and path separators
        for word in value.split(whereSeparator: { ":/,\"' ".contains($0) }) {
            let text = String(word)
            if found.contains(where: { $0.contains(text) || text.contains($0) }) { continue }
            if isPlaceholderWord(text) { found.append(text) }
        }
        return found
    }

    static func isPlaceholderWord(_ word: String) -> Bool {
        let lowered = word.lowercased()
        if lowered.hasPrefix("your-") || lowered.hasPrefix("your_") || lowered.hasPrefix("arn-of")
            || lowered.contains("-of-the-")
        {
            return true
        }
        // ACCOUNT_ID, BUCKET_NAME, KMS_KEY_ARN: shouting with underscores.
        let letters = word.unicodeScalars
        if word.contains("_"),
            letters.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }),
            letters.contains(where: { ("A"..."Z").contains($0) })
        {
            return true
        }
        let stems = ["arn", "account", "bucket", "key", "role", "user", "region"]
        let tails = ["arn", "id", "name", "number"]
        let parts = lowered.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
        if parts.count >= 2, let first = parts.first, let last = parts.last, stems.contains(first) || first == "my",
            tails.contains(last)
        {
            return true
        }
        if ["account_id", "accountid", "account-id", "region", "partition", "bucket", "bucketname"].contains(lowered)
            && word != lowered
        {
            return true
        }
        return false
    }

    /// What a placeholder most likely stands for, for the note.
    public static func meaning(of placeholder: String, context: String) -> String {
        let lowered = placeholder.lowercased()
        if lowered.contains("role") { return "an IAM role ARN" }
        if lowered.contains("user") { return "an IAM user ARN" }
        if lowered.contains("key") { return "a KMS key ARN" }
        if lowered.contains("bucket") { return "an S3 bucket name" }
        if lowered.contains("account") { return "a 12-digit AWS account id" }
        if lowered.contains("region") { return "an AWS Region such as us-east-1" }
        return context
    }
}
