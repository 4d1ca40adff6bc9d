import Foundation

/// Matches a fact's words to a claim's by meaning: words normalised (case,
/// plurals, punctuation), synonyms folded ("KMS encryption" ~ "SSE-KMS",
/// "listing" ~ "ListObjects"), then scored on the claim's keywords and the
/// overlap of the remaining words.
public struct FactMatcher: Sendable {
    /// Built-in synonyms; `claims.yml` adds more. The first word of each group
    /// is the one the others become.
    public static let builtInSynonyms: [[String]] = [
        [
            "ssekms", "sse-kms", "kms encryption", "sse kms", "aws:kms", "kms-encrypted", "kms encrypted",
            "server-side encryption with aws kms", "encrypted with kms",
        ],
        ["sses3", "sse-s3", "aes256", "s3 managed keys", "s3-managed keys"],
        ["listobjects", "listobjectsv2", "list-objects-v2", "listing", "list objects", "s3 ls", "list"],
        ["headobject", "head-object", "head object"],
        ["getobject", "get-object", "download", "read"],
        ["putobject", "put-object", "upload", "write"],
        ["kmskey", "kms key", "cmk", "customer master key", "kms keys", "cmks"],
        ["awsmanagedkey", "aws managed key", "aws/s3", "aws-managed key", "alias/aws/s3"],
        ["multiregion", "multi-region", "multi region", "mrk"],
        ["bucketkey", "bucket key", "s3 bucket key"],
        ["defaultencryption", "default encryption", "default bucket encryption", "bucket default encryption"],
        [
            "reencrypt", "re-encrypt", "re-encrypting", "re-encryption", "copy in place", "copy onto itself",
            "copying it onto itself", "copy each object onto itself",
        ],
        ["crossaccount", "cross-account", "another account", "other account", "different account", "other accounts"],
        ["encryptioncontext", "encryption context"],
        ["rotation", "rotate", "rotating", "rotated"],
    ]

    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "is", "are", "be", "it", "its",
        "that", "this", "as", "at", "from", "not", "no", "can", "does", "do", "only", "when", "which", "so", "but",
        "if", "into", "each", "every", "any", "their", "they", "you", "your", "was", "were", "has", "have", "use",
        "uses", "used", "also", "than", "then", "there", "these", "those", "all",
    ]

    private let groups: [(canonical: String, phrases: [String])]

    public init(extra: [[String]] = []) {
        groups = (Self.builtInSynonyms + extra).map { group in
            (group[0].lowercased(), group.map { $0.lowercased() }.sorted { $0.count > $1.count })
        }
    }

    /// Lower case, synonyms folded, punctuation split, plurals dropped, stopwords removed.
    public func words(_ text: String) -> [String] {
        var lowered = " " + text.lowercased().replacingOccurrences(of: "`", with: "") + " "
        // Longest phrases first so "kms keys" wins over "kms".
        let all = groups.flatMap { group in group.phrases.map { ($0, group.canonical) } }.sorted {
            $0.0.count > $1.0.count
        }
        for (phrase, canonical) in all {
            lowered = lowered.replacingOccurrences(
                of: "(?<![a-z0-9])" + NSRegularExpression.escapedPattern(for: phrase) + "(?![a-z0-9])",
                with: " \(canonical) ", options: .regularExpression)
        }
        return lowered.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { word in
            var word = String(word)
            if word.count > 4, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
            return word
        }.filter { !Self.stopwords.contains($0) }
    }

    /// How well a fact matches a claim, 0…1: the word overlap (Dice), raised by
    /// the share of the claim's keywords the fact uses; 0 when neither the
    /// overlap nor the keywords are convincing on their own.
    public func score(fact: String, statement: String, keywords: [String]) -> Double {
        let factWords = words(fact)
        let factSet = Set(factWords)
        let joined = " " + factWords.joined(separator: " ") + " "
        let keywordHits = keywords.filter { keyword in
            let normalized = words(keyword).joined(separator: " ")
            return !normalized.isEmpty && joined.contains(" \(normalized) ")
        }.count
        let claimSet = Set(words(statement)).union(keywords.flatMap(words))
        guard !factSet.isEmpty, !claimSet.isEmpty else { return 0 }
        let overlap = Double(factSet.intersection(claimSet).count)
        let dice = 2 * overlap / Double(factSet.count + claimSet.count)
        let keywordShare = keywords.isEmpty ? 0 : Double(keywordHits) / Double(keywords.count)
        guard dice >= 0.3 || (keywordHits >= 2 && dice >= 0.15) else { return 0 }
        return min(1, dice + 0.6 * keywordShare)
    }

    /// The best claim and its score, when it reaches `threshold`.
    public func best(_ fact: String, in claims: [Claim], threshold: Double = 0.35) -> (Claim, Double)? {
        let scored = claims.map { ($0, score(fact: fact, statement: $0.statement, keywords: $0.keywords)) }
        guard let top = scored.max(by: { $0.1 < $1.1 }), top.1 >= threshold else { return nil }
        return top
    }
}
