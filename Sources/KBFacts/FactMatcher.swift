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

    /// Phrases as token sequences by their first token, longest first, each with
    /// its canonical word: folding a text is one lookup per token.
    private let phrases: [String: [(tokens: [String], canonical: String)]]

    public init(extra: [[String]] = []) {
        var phrases: [(tokens: [String], canonical: String)] = []
        for group in Self.builtInSynonyms + extra {
            let canonical = Self.tokens(group[0]).joined()
            for phrase in group {
                let tokens = Self.tokens(phrase)
                if !tokens.isEmpty { phrases.append((tokens, canonical)) }
            }
        }
        self.phrases = Dictionary(grouping: phrases.sorted { $0.tokens.count > $1.tokens.count }) { $0.tokens[0] }
    }

    /// Lower-case runs of letters and digits: punctuation (`-`, `:`, `/`, `` ` ``)
    /// separates, so "sse-kms", "SSE KMS" and "aws:kms" tokenise alike.
    static func tokens(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// Lower case, synonyms folded, punctuation split, plurals dropped, stopwords removed.
    public func words(_ text: String) -> [String] {
        let tokens = Self.tokens(text)
        var folded: [String] = []
        var index = 0
        // Longest phrase first at each position, so "kms keys" wins over "kms".
        while index < tokens.count {
            if let match = phrases[tokens[index]]?.first(where: { phrase in
                index + phrase.tokens.count <= tokens.count
                    && tokens[index..<index + phrase.tokens.count].elementsEqual(phrase.tokens)
            }) {
                folded.append(match.canonical)
                index += match.tokens.count
            } else {
                folded.append(tokens[index])
                index += 1
            }
        }
        return folded.map { word in
            var word = word
            if word.count > 4, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
            return word
        }.filter { !Self.stopwords.contains($0) }
    }

    /// How well a fact matches a claim, 0…1: the word overlap (Dice), raised by
    /// the share of the claim's keywords the fact uses; 0 when neither the
    /// overlap nor the keywords are convincing on their own.
    public func score(fact: String, statement: String, keywords: [String]) -> Double {
        score(factWords: words(fact), Prepared(statement: statement, keywords: keywords, matcher: self))
    }

    /// A claim's side of the comparison, normalised once.
    public struct Prepared: Sendable {
        var words: Set<String>
        /// Each keyword as normalised words joined by spaces.
        var keywords: [String]

        init(statement: String, keywords: [String], matcher: FactMatcher) {
            self.keywords = keywords.map { matcher.words($0).joined(separator: " ") }
            words = Set(matcher.words(statement)).union(keywords.flatMap(matcher.words))
        }
    }

    func score(factWords: [String], _ claim: Prepared) -> Double {
        score(Set(factWords), joined: " " + factWords.joined(separator: " ") + " ", claim)
    }

    /// As above, with the fact's word set and its words joined by spaces (with a
    /// space at each end) worked out once for every claim.
    func score(_ factSet: Set<String>, joined: String, _ claim: Prepared) -> Double {
        let keywords = claim.keywords
        let keywordHits = keywords.filter { !$0.isEmpty && joined.contains(" \($0) ") }.count
        let claimSet = claim.words
        guard !factSet.isEmpty, !claimSet.isEmpty else { return 0 }
        let overlap = Double(factSet.intersection(claimSet).count)
        let dice = 2 * overlap / Double(factSet.count + claimSet.count)
        let keywordShare = keywords.isEmpty ? 0 : Double(keywordHits) / Double(keywords.count)
        guard dice >= 0.3 || (keywordHits >= 2 && dice >= 0.15) else { return 0 }
        return min(1, dice + 0.6 * keywordShare)
    }

    /// The best claim and its score, when it reaches `threshold`.
    public func best(_ fact: String, in claims: [Claim], threshold: Double = 0.35) -> (Claim, Double)? {
        best(
            fact, in: claims.map { ($0, Prepared(statement: $0.statement, keywords: $0.keywords, matcher: self)) },
            threshold: threshold)
    }

    /// As above, with the claims normalised once for many facts.
    public func best(_ fact: String, in claims: [(Claim, Prepared)], threshold: Double = 0.35) -> (Claim, Double)? {
        let factWords = words(fact)
        let factSet = Set(factWords)
        let joined = " " + factWords.joined(separator: " ") + " "
        // A claim that shares no word with the fact scores 0: only the others are scored.
        let scored = claims.compactMap { claim, prepared in
            prepared.words.isDisjoint(with: factSet) ? nil : (claim, score(factSet, joined: joined, prepared))
        }
        guard let top = scored.max(by: { $0.1 < $1.1 }), top.1 >= threshold else { return nil }
        return top
    }
}
