import Foundation
import Synchronization

/// A sentence as the matcher compares it: content words, normalised, and how
/// many negation cues it has.
struct SentenceWords: Sendable {
    struct Result: Sendable {
        var words: [String]
        var cues: Int
        /// The parities of the cues of the clauses that have words, in order,
        /// runs of one parity counted once: [1, 0] for "no …, but …".
        var clauseParities: [Int] = []

        /// Whether the sentence's clauses disagree in polarity ("cannot … nor the
        /// reverse", "is not X, but Y"): its total count of cues then says nothing sure.
        var mixedClauses: Bool { clauseParities.count > 1 }
    }

    /// Words that negate what follows; counted, not compared.
    static let cues: Set<String> = [
        "not", "no", "never", "without", "none", "nothing", "neither", "nor", "nobody", "lack", "lacks", "lacking",
        "missing", "absent",
    ]

    static let stopwords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "is", "are", "be", "been", "being",
        "it", "its", "that", "this", "as", "at", "from", "can", "could", "does", "do", "did", "done", "when", "which",
        "so", "but", "if", "into", "each", "every", "any", "their", "they", "them", "you", "your", "we", "our", "us",
        "was", "were", "has", "have", "had", "also", "than", "then", "there", "these", "those", "all", "will",
        "would", "should", "must", "may", "might", "just", "still", "even", "too", "very", "really", "here", "what",
        "who", "whom", "how", "why", "one", "ones", "get", "gets", "got", "make", "makes", "made", "i", "me", "my",
        "mine", "yours", "itself", "themselves", "yourself", "own", "same", "such", "some", "more", "most", "much",
        "many", "about", "over", "under", "up", "down", "out", "again", "now", "today", "yet", "s", "t", "e",
        "g", "eg", "ie", "etc", "via", "per", "want", "let", "lets", "way", "thing", "things", "anymore", "always",
        "ever", "because", "since", "need", "needs", "needed", "require", "requires", "required", "requiring",
    ]

    /// The domain's words that are one thing: API names, CLI commands and plain
    /// verbs; retired terms and their replacements. The first of each group is
    /// what the others become. claims.yml adds its own `synonyms:`.
    static let domain: [[String]] = [
        ["decrypt", "kms:decrypt", "decryption", "decrypting", "decrypted", "decrypts"],
        [
            "generatedatakey", "kms:generatedatakey", "generate-data-key", "generate data key", "generating a data key",
            "data key", "data keys",
        ],
        ["encrypt", "kms:encrypt", "encryption", "encrypting", "encrypted", "encrypts", "encipher"],
        ["grant", "grants", "kms:creategrant", "creategrant", "create-grant", "create a grant"],
        ["headobject", "head-object", "head object", "head request", "head requests", "metadata request"],
        ["copyobject", "copy-object", "copy object", "s3 cp", "copy", "copies", "copied", "copying"],
        ["multipart", "multipart upload", "multi-part", "multi-part upload", "createmultipartupload", "uploadpart"],
        ["presign", "presigned", "pre-signed", "presigned url", "pre-signed url", "presigned urls", "s3 presign"],
        ["sigv4", "signature version 4", "sigv 4", "signature v4", "aws4-hmac-sha256"],
        ["sigv2", "signature version 2", "signature v2"],
        [
            "ssec", "sse-c", "customer-provided key", "customer-provided keys", "customer provided key",
            "customer provided keys",
        ],
        ["dssekms", "dsse-kms", "aws:kms:dsse", "dual-layer", "dual layer", "two layers", "double encryption"],
        ["region", "regions", "regional"],
        ["account", "accounts"],
        ["principal", "principals", "caller", "callers", "requester", "requesters"],
        [
            "permission", "permissions", "allow", "allowed", "allows", "access", "authorize", "authorized",
            "grant access",
            "succeed", "succeeds", "succeeded", "accept", "accepts", "accepted", "permit", "permits", "permitted",
        ],
        // Antonyms: a group whose first word starts with `!` stands for that word
        // negated, so "unencrypted" reads as "not encrypted" and "fails" as "not allowed".
        [
            "!permission", "deny", "denied", "denies", "refuse", "refused", "refuses", "reject", "rejected", "rejects",
            "fail", "fails", "failed", "failing", "accessdenied", "access denied", "block", "blocks", "blocked",
            "blocking", "forbid", "forbids", "forbidden", "prevent", "prevents", "prevented",
        ],
        ["!encrypt", "unencrypted", "plaintext", "plain text", "cleartext", "in the clear", "unprotected"],
        [
            "!share", "independent", "independently", "separate", "separately", "distinct", "different", "differ",
            "differs",
        ],
        ["!store", "forget", "forgets", "forgot", "forgotten", "discard", "discards", "discarded", "drop", "drops"],
        ["!apply", "ignore", "ignores", "ignored", "ignoring", "skip", "skips", "skipped"],
        [
            "!enable", "disable", "disables", "disabled", "disabling", "turn off", "turns off", "turned off",
            "switch off", "switched off",
        ],
        ["!necessary", "optional", "unnecessary", "not needed", "no need"],
        [
            "delete", "deletion", "deleted", "deletes", "deleting", "schedule-key-deletion", "scheduled for deletion",
            "pendingdeletion", "pending deletion",
        ],
        ["replicate", "replication", "replicated", "replicates", "replicating", "replica", "replicas"],
        ["acl", "acls", "access control list", "access control lists"],
        ["object ownership", "ownership", "owner", "owners", "owns", "owned"],
        ["share", "shared", "shares", "sharing", "same"],
        ["retroactive", "retroactively", "existing objects", "already stored", "already in the bucket"],
        ["year", "yearly", "annually", "annual", "every year", "365 days", "one year"],
        ["context", "encryption context", "encryptioncontext"],
        ["viaservice", "kms:viaservice", "via service"],
        [
            "store", "stores", "stored", "storing", "keep", "keeps", "kept", "persist", "persists", "persisted", "save",
            "saves", "saved",
        ],
        ["default", "defaults", "by default", "out of the box", "automatically"],
        ["cost", "costs", "bill", "billing", "price", "cheaper", "charges", "spend"],
        ["request", "requests", "call", "calls", "api call", "api calls"],
    ]

    private let phrases: [String: [(tokens: [String], canonical: String, negated: Bool)]]
    /// The claims' words, for correcting misspellings (set once the claims are read).
    var vocabulary: Set<String> = [] {
        didSet { byLength = Dictionary(grouping: vocabulary, by: \.count) }
    }
    private var byLength: [Int: [String]] = [:]
    /// Corrections already worked out, shared by every sentence of a run: most
    /// words recur from guide to guide, and the search is the costly part.
    private let corrections = CorrectionMemo()

    init(synonyms: [[String]]) {
        var list: [(tokens: [String], canonical: String, negated: Bool)] = []
        var canonicalOf: [String: String] = [:]
        for group in Self.domain + FactMatcher.builtInSynonyms + synonyms {
            guard let first = group.first, !first.hasPrefix("!") else { continue }
            for phrase in group { canonicalOf[phrase] = FactMatcher.tokens(first).joined() }
        }
        for group in Self.domain + FactMatcher.builtInSynonyms + synonyms {
            guard let first = group.first else { continue }
            let negated = first.hasPrefix("!")
            let word = String(first.drop { $0 == "!" })
            // An antonym group names a word of another group: it becomes that group's word.
            let canonical = negated ? (canonicalOf[word] ?? word) : FactMatcher.tokens(first).joined()
            for phrase in group.dropFirst(negated ? 1 : 0) {
                let tokens = Self.tokens(phrase).compactMap(Self.prepared)
                // A phrase that is only stopwords and cues ("no need") would swallow every cue.
                if tokens.contains(where: { !Self.cues.contains($0) }) { list.append((tokens, canonical, negated)) }
            }
        }
        // Longest first; among equals, the first listed (the domain's own groups) wins.
        let ordered = list.enumerated().sorted { a, b in
            a.element.tokens.count != b.element.tokens.count
                ? a.element.tokens.count > b.element.tokens.count : a.offset < b.offset
        }.map(\.element)
        phrases = Dictionary(grouping: ordered) { $0.tokens[0] }
    }

    /// A token as phrases and sentences are compared: nil for a stopword, a
    /// negation cue as it is, any other word stemmed. So "objects that are
    /// already in the bucket" contains the phrase "objects already in the bucket".
    static func prepared(_ token: String) -> String? {
        if stopwords.contains(token) { return nil }
        return cues.contains(token) ? token : stem(token)
    }

    /// Words that join clauses, each of which may say its own thing (";" too).
    static let clauseWords: Set<String> = [
        "but", "nor", "while", "whereas", "although", "though", "however", "unless", "except",
    ]

    /// Lower-case runs of letters and digits, in one pass over the text, with
    /// what a reader skips undone: link targets (`](url)`), bare URLs, and
    /// contractions ("don't" → do not, "cannot" → can not). A `;` is kept as a
    /// token of its own: it ends a clause.
    static func tokens(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let word = String(current)
            current = String.UnicodeScalarView()
            if word == "cannot" {
                tokens += ["can", "not"]
            } else {
                tokens.append(word)
            }
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isWord(scalar) {
                // A URL is skipped whole, up to the next space.
                if current.isEmpty, scalar == "h" || scalar == "H", startsURL(scalars, at: index) {
                    while index < scalars.count, !scalars[index].properties.isWhitespace { index += 1 }
                    continue
                }
                if scalar.isASCII {
                    current.append(scalar.properties.isUppercase ? Unicode.Scalar(scalar.value + 32)! : scalar)
                } else {
                    current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
                index += 1
                continue
            }
            if scalar == "'" || scalar == "\u{2019}", current.last == "n", index + 1 < scalars.count,
                scalars[index + 1] == "t" || scalars[index + 1] == "T",
                index + 2 == scalars.count || !isWord(scalars[index + 2])
            {
                // "n't": "don't" → do not, "can't" → can not, "won't" → will not.
                var word = String(current)
                current = String.UnicodeScalarView()
                if word == "won" {
                    word = "will"
                } else if word != "can" {
                    word.removeLast()
                }
                if !word.isEmpty { tokens.append(word) }
                tokens.append("not")
                index += 2
                continue
            }
            flush()
            if scalar == "]", index + 1 < scalars.count, scalars[index + 1] == "(",
                let close = scalars[(index + 2)...].firstIndex(of: ")")
            {
                index = close + 1
                continue
            }
            if scalar == ";" { tokens.append(";") }
            index += 1
        }
        flush()
        return tokens
    }

    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 97 && value <= 122) || (value >= 65 && value <= 90) || (value >= 48 && value <= 57)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    static func startsURL(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        for prefix in ["http://", "https://"] {
            let pattern = Array(prefix.unicodeScalars)
            guard index + pattern.count <= scalars.count else { continue }
            if (0..<pattern.count).allSatisfy({
                String(scalars[index + $0]).lowercased() == String(pattern[$0])
            }) {
                return true
            }
        }
        return false
    }

    /// The sentence's words and cues, with the synonyms folded, and the cues of
    /// each clause (split at `;`, "but", "nor", "while" and the like) for
    /// ``Result/mixedClauses``: one pass over the text.
    func normalise(_ text: String) -> Result {
        let raw = Self.tokens(text)
        // "neither … nor …" is one negation, not two clauses.
        let pairedNor = raw.contains("neither")
        var tokens: [String] = []
        /// Each prepared token's clause, and whether it is the word that joins two.
        var clauseOf: [(clause: Int, joins: Bool)] = []
        var clause = 0
        for token in raw {
            if token == ";" {
                clause += 1
                continue
            }
            let joins = Self.clauseWords.contains(token) && !(pairedNor && token == "nor")
            if joins { clause += 1 }
            guard let prepared = Self.prepared(token) else { continue }
            tokens.append(prepared)
            clauseOf.append((clause, joins))
        }
        var result = Result(words: [], cues: 0)
        var clauses = [(words: Int, cues: Int)](repeating: (0, 0), count: clause + 1)
        /// Adds a word (or only a cue) found at token `at`, to the sentence and to its clause.
        func add(_ word: String?, cue: Bool, at: Int) {
            if cue { result.cues += 1 }
            if let word { result.words.append(word) }
            // The joining word belongs to neither clause: "cannot …, nor the reverse" has two polarities.
            guard !clauseOf[at].joins else { return }
            if cue { clauses[clauseOf[at].clause].cues += 1 }
            if word != nil { clauses[clauseOf[at].clause].words += 1 }
        }
        var index = 0
        while index < tokens.count {
            if let match = phrases[tokens[index]]?.first(where: { phrase in
                index + phrase.tokens.count <= tokens.count
                    && tokens[index..<index + phrase.tokens.count].elementsEqual(phrase.tokens)
            }) {
                add(match.canonical, cue: match.negated, at: index)
                index += match.tokens.count
                continue
            }
            let token = tokens[index]
            if Self.cues.contains(token) {
                add(nil, cue: true, at: index)
            } else {
                add(corrected(token), cue: false, at: index)
            }
            index += 1
        }
        for (_, cues) in clauses.filter({ $0.words > 0 }) where result.clauseParities.last != cues % 2 {
            result.clauseParities.append(cues % 2)
        }
        return result
    }

    /// A light stemmer: plurals, -ing, -ed, -ion, -ly and a final e, so
    /// rotate, rotates, rotated, rotating and rotation are one word.
    static func stem(_ word: String) -> String { stemASCII(word) ?? stemCharacters(word) }

    /// ``stem(_:)`` on characters, for words with letters outside ASCII.
    static func stemCharacters(_ word: String) -> String {
        var word = word
        guard word.count > 3, word.allSatisfy(\.isLetter) else { return word }
        if word.hasSuffix("ies"), word.count > 4 {
            word.removeLast(3)
            word += "y"
        } else if word.hasSuffix("sses") {
            word.removeLast(2)
        } else if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            word.removeLast()
        }
        for suffix in ["ingly", "ing", "edly", "ed", "ion", "ly"]
        where word.hasSuffix(suffix) && word.count > suffix.count + 3 {
            word.removeLast(suffix.count)
            break
        }
        if word.hasSuffix("e"), word.count > 4 { word.removeLast() }
        if word.count > 3, let last = word.last, let before = word.dropLast().last, last == before,
            !"slz".contains(last)
        {
            word.removeLast()
        }
        return word
    }

    /// ``stem(_:)`` on the bytes of a word of ASCII letters (nearly every
    /// word), without String's grapheme work; nil for any other word.
    static func stemASCII(_ text: String) -> String? {
        var word = Array(text.utf8)
        guard word.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) }) else { return nil }
        guard word.count > 3 else { return text }
        func ends(_ suffix: String) -> Bool {
            let tail = Array(suffix.utf8)
            return word.count >= tail.count && word[(word.count - tail.count)...].elementsEqual(tail)
        }
        if ends("ies"), word.count > 4 {
            word.removeLast(3)
            word.append(UInt8(ascii: "y"))
        } else if ends("sses") {
            word.removeLast(2)
        } else if ends("s"), !ends("ss"), !ends("us"), !ends("is") {
            word.removeLast()
        }
        for suffix in ["ingly", "ing", "edly", "ed", "ion", "ly"]
        where ends(suffix) && word.count > suffix.utf8.count + 3 {
            word.removeLast(suffix.utf8.count)
            break
        }
        if ends("e"), word.count > 4 { word.removeLast() }
        if word.count > 3, let last = word.last, word[word.count - 2] == last, !"slz".utf8.contains(last) {
            word.removeLast()
        }
        return String(decoding: word, as: UTF8.self)
    }

    /// A word the claims never use, one or two edits from one they do, is taken as that word.
    func corrected(_ word: String) -> String {
        guard word.count >= 5, !vocabulary.isEmpty, !vocabulary.contains(word) else { return word }
        if let known = corrections.lookup(word) { return known }
        let found = search(word)
        corrections.store(word, found)
        return found
    }

    private func search(_ word: String) -> String {
        let allowed = word.count >= 8 ? 2 : 1
        var best: (String, Int)?
        for length in (word.count - allowed)...(word.count + allowed) {
            for candidate in byLength[length] ?? [] where candidate.first == word.first {
                let distance = Self.distance(word, candidate, limit: allowed)
                if distance <= allowed, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
            }
        }
        return best?.0 ?? word
    }

    /// Levenshtein distance with adjacent swaps, stopping past `limit`.
    static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            var rowMinimum = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            previous2 = previous
            previous = current
        }
        return previous[b.count]
    }
}

/// Misspelling corrections by word, shared across threads.
final class CorrectionMemo: Sendable {
    private let known = Mutex<[String: String]>([:])

    func lookup(_ word: String) -> String? { known.withLock { $0[word] } }
    func store(_ word: String, _ correction: String) { known.withLock { $0[word] = correction } }
}
