import Foundation
import Synchronization

/// Whether a sentence states a claim's proposition or its contradiction.
public enum Polarity: String, Sendable, Hashable, Codable {
    case asserts, contradicts
}

/// The claim a sentence is about, and which way it says it.
public struct Judgement: Sendable {
    public var claim: Claim
    public var polarity: Polarity
    /// Whether the polarity is clear: a sentence kbtool cannot tell agrees or
    /// disagrees is never verified.
    public var certain: Bool
    /// How close the sentence is to the side it takes (the statement or the
    /// negation), 0…1: near 1 for a rewording of either.
    public var closeness: Double = 0
    /// Which side the sentence's words alone (negation cues aside) are closer
    /// to: a polarity that rests on the cues only is weaker evidence.
    public var byWords: Polarity = .asserts
    /// How much of the sentence and the claim's vocabulary coincide, 0…1.
    public var relevance: Double
    /// The lead over the next claim: a sentence about two claims equally is
    /// about neither for sure.
    public var margin: Double
}

/// Finds the claim a sentence is about by meaning, and its polarity.
///
/// Sentences and claims go through one normalisation (``SentenceWords``):
/// markdown and contractions undone, the domain's synonyms folded (an API
/// name, its CLI command and the plain verb are one word; a retired term and
/// its replacement too), words stemmed and misspellings of the claims'
/// vocabulary corrected, negation cues counted apart. A claim is described by
/// its statement, its negation and its keywords; a word weighs by how few
/// claims use it (IDF), so "bucket" says little and "retroactive" much.
///
/// Polarity compares the sentence with what separates the statement from its
/// negation (the words only one side has: retroactive / only new objects,
/// shared / independent), and the parity of negation cues on the side it
/// resembles: "needs no KMS permission" against "needs kms:Decrypt".
public struct ClaimMatcher: Sendable {
    struct Entry: Sendable {
        var claim: Claim
        /// Every word of the statement, negation and keywords.
        var topic: Set<String>
        var topicWeight: Double
        var statement: Set<String>
        var negation: Set<String>?
        /// Words only the statement has, and only the negation has.
        var statementOnly: Set<String>
        var negationOnly: Set<String>
        var statementCues: Int
        var negationCues: Int
        /// The statement's clause polarities (``SentenceWords/Result/clauseParities``):
        /// a sentence that mixes polarities the way the statement does may still assert it.
        var statementClauses: [Int]
        /// Keyword phrases as normalised word sequences.
        var keywords: [[String]]
    }

    let words: SentenceWords
    let entries: [Entry]
    /// For each word, the entries whose topic has it: a sentence is scored
    /// against the claims that share its words, not against every claim.
    let postings: [String: [Int]]
    /// Entries by claim id.
    let entryIndex: [String: Int]
    let idf: [String: Double]
    /// Judgements of sentences seen in this run (``judgeRemembering(_:)``).
    let judged = JudgementMemo()
    /// The weight of a word no claim uses.
    let unknownWeight: Double

    /// Relevance a sentence needs to be attached to a claim at all (facts a
    /// guide marks as facts), and the lead it needs over the next claim.
    public var threshold = 0.55
    public var minimumMargin = 0.15
    /// Closeness to the statement or its negation a sentence outside the facts
    /// needs before kbtool speaks of it (measured on AWS's S3 and KMS guides: no finding).
    public var confidentThreshold = 0.8

    public init(claims: [Claim], synonyms: [[String]] = []) {
        var words = SentenceWords(synonyms: synonyms)
        var documents: [(Claim, SentenceWords.Result, SentenceWords.Result?, [[String]])] = []
        for claim in claims {
            let statement = words.normalise(claim.statement)
            let negation = claim.negation.map { words.normalise($0) }
            let keywords = claim.keywords.map { words.normalise($0).words }.filter { !$0.isEmpty }
            documents.append((claim, statement, negation, keywords))
        }
        var frequency: [String: Int] = [:]
        var vocabulary: Set<String> = []
        for (_, statement, negation, keywords) in documents {
            let topic = Set(statement.words + (negation?.words ?? []) + keywords.flatMap { $0 })
            for word in topic { frequency[word, default: 0] += 1 }
            vocabulary.formUnion(topic)
        }
        let count = Double(max(claims.count, 1))
        var idf: [String: Double] = [:]
        for (word, df) in frequency { idf[word] = log((count + 1) / (Double(df) + 0.5)) }
        self.idf = idf
        unknownWeight = log(count + 1) * 0.45
        words.vocabulary = vocabulary
        self.words = words
        entries = documents.map { claim, statement, negation, keywords in
            // Keywords name the topic in both polarities, so they find the claim but do not take sides.
            let statementSide = Set(statement.words)
            let negationSide = Set(negation?.words ?? [])
            let topic = statementSide.union(negationSide).union(keywords.flatMap { $0 })
            return Entry(
                claim: claim, topic: topic, topicWeight: topic.reduce(0) { $0 + (idf[$1] ?? 0) },
                statement: statementSide, negation: negation.map { Set($0.words) },
                statementOnly: statementSide.subtracting(negationSide),
                negationOnly: negationSide.subtracting(statementSide), statementCues: statement.cues,
                negationCues: negation?.cues ?? 0, statementClauses: statement.clauseParities, keywords: keywords)
        }
        var postings: [String: [Int]] = [:]
        for (index, entry) in entries.enumerated() {
            for word in entry.topic { postings[word, default: []].append(index) }
        }
        self.postings = postings
        entryIndex = Dictionary(entries.enumerated().map { ($1.claim.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A sentence normalised once, for judging it and telling its polarity.
    public struct Sentence: Sendable {
        var words: SentenceWords.Result
        var present: Set<String>
    }

    /// Normalises a sentence once (``SentenceWords/normalise(_:)``).
    public func read(_ text: String) -> Sentence {
        let words = words.normalise(text)
        return Sentence(words: words, present: Set(words.words))
    }

    /// The claim the sentence is about, when one stands out; nil otherwise.
    public func judge(_ text: String) -> Judgement? { judge(read(text)) }

    /// As ``judge(_:)``, remembering the answer for the run: guides of one
    /// knowledge base repeat sentences (admonitions, boilerplate, templates).
    public func judgeRemembering(_ text: String) -> Judgement? {
        if let known = judged.lookup(text) { return known }
        let judgement = judge(text)
        judged.store(text, judgement)
        return judgement
    }

    public func judge(_ read: Sentence) -> Judgement? {
        let sentence = read.words
        let present = read.present
        guard !present.isEmpty else { return nil }
        let sentenceWeight = present.reduce(0) { $0 + (idf[$1] ?? unknownWeight) }
        // The words the sentence shares with each claim, through the postings.
        var sharedCount = [Int](repeating: 0, count: entries.count)
        var overlap = [Double](repeating: 0, count: entries.count)
        for word in present {
            guard let list = postings[word] else { continue }
            let weight = idf[word] ?? 0
            for index in list {
                sharedCount[index] += 1
                overlap[index] += weight
            }
        }
        var scored: [(index: Int, relevance: Double)] = []
        for index in entries.indices where sharedCount[index] >= 2 {
            // Fields read in place: copying an entry retains each of its sets.
            var relevance = overlap[index] / (sentenceWeight * entries[index].topicWeight).squareRoot()
            let hits = entries[index].keywords.filter { Self.contains(sentence.words, $0) }.count
            if hits > 0 { relevance += 0.08 * Double(min(hits, 3)) }
            scored.append((index, relevance))
        }
        scored.sort { $0.relevance > $1.relevance }
        guard let best = scored.first, best.relevance >= threshold else { return nil }
        let margin = best.relevance - (scored.dropFirst().first?.relevance ?? 0)
        guard margin >= minimumMargin else { return nil }
        let entry = entries[best.index]
        var (polarity, certain) = polarity(sentence, present: present, entry)
        if polarity == .asserts, Self.mixesOtherwise(sentence, entry) { certain = false }
        var judgement = Judgement(
            claim: entry.claim, polarity: polarity, certain: certain, relevance: best.relevance, margin: margin)
        let odd = sentence.cues % 2 == 1
        judgement.closeness = max(
            similarity(present, odd, entry.statement, entry.statementCues % 2 == 1),
            entry.negation.map { similarity(present, odd, $0, entry.negationCues % 2 == 1) } ?? 0)
        if let negation = entry.negation {
            judgement.byWords =
                similarity(present, false, entry.statement, false) >= similarity(present, false, negation, false)
                ? .asserts : .contradicts
        }
        return judgement
    }

    /// The weight of an odd number of negation cues, as one more word a
    /// sentence and a side share or not: about one and a half of the rarest word.
    static let negationWeight = 7.0
    /// How much closer to one side than the other a sentence must be for its polarity to be certain.
    /// How much the words only the negation has may weigh, against the statement's own, in a sentence that asserts.
    static let negationShare = 0.25
    static let polarityMargin = 0.03

    /// The polarity of a sentence about a claim chosen otherwise (named by id,
    /// or found by the keyword matcher): nil when the claim is not one of this matcher's.
    public func polarity(of text: String, about claim: Claim) -> (polarity: Polarity, certain: Bool)? {
        polarity(of: read(text), about: claim)
    }

    public func polarity(of read: Sentence, about claim: Claim) -> (polarity: Polarity, certain: Bool)? {
        guard let index = entryIndex[claim.id] else { return nil }
        var (polarity, certain) = polarity(read.words, present: read.present, entries[index])
        if polarity == .asserts, Self.mixesOtherwise(read.words, entries[index]) { certain = false }
        return (polarity, certain)
    }

    /// Whether the sentence's clauses disagree in polarity, and not as the
    /// claim's statement's do ("ListObjectsV2 never calls KMS; GetObject needs
    /// kms:Decrypt" mixes them, and so may a sentence that asserts it).
    static func mixesOtherwise(_ sentence: SentenceWords.Result, _ entry: Entry) -> Bool {
        sentence.mixedClauses && sentence.clauseParities != entry.statementClauses
    }

    /// Whether the sentence's clauses disagree in polarity ("cannot … nor the
    /// reverse", "is not X, but Y"): see ``SentenceWords/Result/mixedClauses``.
    func mixedClauses(_ text: String) -> Bool { words.normalise(text).mixedClauses }

    /// Which side the sentence is closer to, the statement or its negation,
    /// with an odd number of negation cues counted as one heavy word: "needs no
    /// KMS permission" is far from "needs kms:Decrypt" and close to its negation.
    /// Certain only when the margin is clear, the cues agree with the side, and
    /// (to assert) the sentence uses none of the words only the negation has.
    func polarity(_ sentence: SentenceWords.Result, present: Set<String>, _ entry: Entry) -> (Polarity, Bool) {
        let odd = sentence.cues % 2 == 1
        guard let negation = entry.negation else {
            // Without a negation only the cues tell: the same parity asserts, as
            // claims without one always were; another parity is not sure enough to call false.
            let agrees = odd == (entry.statementCues % 2 == 1)
            return (agrees ? .asserts : .contradicts, agrees)
        }
        let toStatement = similarity(present, odd, entry.statement, entry.statementCues % 2 == 1)
        let toNegation = similarity(present, odd, negation, entry.negationCues % 2 == 1)
        let difference = toStatement - toNegation
        let polarity: Polarity = difference >= 0 ? .asserts : .contradicts
        var certain = abs(difference) > Self.polarityMargin
        switch polarity {
        case .asserts:
            // Words only the negation uses weigh against asserting, unless the statement's own outweigh them.
            let forStatement = present.intersection(entry.statementOnly).reduce(0) { $0 + (idf[$1] ?? 0) }
            let forNegation = present.intersection(entry.negationOnly).reduce(0) { $0 + (idf[$1] ?? 0) }
            certain =
                certain && odd == (entry.statementCues % 2 == 1) && forNegation <= Self.negationShare * forStatement
        case .contradicts:
            certain = certain && odd == (entry.negationCues % 2 == 1)
        }
        return (polarity, certain)
    }

    /// Cosine of IDF-weighted word sets, each with its cue parity as a word.
    func similarity(_ sentence: Set<String>, _ sentenceOdd: Bool, _ side: Set<String>, _ sideOdd: Bool) -> Double {
        func weight(_ words: Set<String>, _ odd: Bool) -> Double {
            words.reduce(0) { $0 + (idf[$1] ?? unknownWeight) } + (odd ? Self.negationWeight : 0)
        }
        let shared =
            sentence.intersection(side).reduce(0) { $0 + (idf[$1] ?? 0) }
            + (sentenceOdd && sideOdd ? Self.negationWeight : 0)
        let norm = (weight(sentence, sentenceOdd) * weight(side, sideOdd)).squareRoot()
        return norm > 0 ? shared / norm : 0
    }

    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return false }
        for start in 0...(words.count - phrase.count) where words[start..<start + phrase.count].elementsEqual(phrase) {
            return true
        }
        return false
    }
}

/// Judgements by sentence, shared across threads, up to a bound.
final class JudgementMemo: Sendable {
    private let known = Mutex<[String: Judgement?]>([:])
    /// Sentences kept at most: past this, new ones are judged and not kept.
    static let limit = 200_000

    func lookup(_ text: String) -> Judgement?? { known.withLock { $0[text] } }

    func store(_ text: String, _ judgement: Judgement?) {
        known.withLock { known in
            if known.count < Self.limit { known[text] = judgement }
        }
    }
}
