import KBPolicyLint

/// A place where the prose before a block points back at an earlier one: "the
/// key policy above", "the bucket policy you created earlier", "the policy from
/// step 2", "the role you created in the previous step". Blocks tied this way
/// are one setup, whatever sections lie between them.
///
/// Only references back count: "the following policy" introduces the block
/// itself, and "see the policy below" points at one that has not been shown.
public enum BackReference: Hashable, Sendable {
    /// "in step 2", "the policy from step 2".
    case step(Int)
    /// "in the previous step", "the role you created in the preceding step".
    case previousStep
    /// "the preceding steps": every step before this one.
    case earlierSteps
    /// "the key policy above", "the preceding policy", "the bucket policy you
    /// created earlier": the nearest earlier block of that kind (nil: any policy).
    case earlier(PolicyKind?)

    /// Words that make a nearby policy an earlier one.
    static let backWords: Set<String> = ["above", "earlier", "previously", "preceding", "previous", "prior"]
    /// Words that say the reader made it.
    static let madeWords: Set<String> = ["created", "wrote", "saved", "attached", "added", "defined", "made"]
    /// What a reference names: a policy, an example of one, or its statement.
    static let nouns: Set<String> = ["policy", "policies", "example", "statement", "statements"]

    /// The references back in a paragraph, in order, without repeats.
    public static func references(in text: String) -> [BackReference] {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        var found: [BackReference] = []
        func add(_ reference: BackReference) { if !found.contains(reference) { found.append(reference) } }
        for (index, word) in words.enumerated() {
            let next = index + 1 < words.count ? words[index + 1] : ""
            if word == "step", let number = Int(next) {
                add(.step(number))
            } else if ["previous", "preceding", "prior", "last"].contains(word) {
                if next == "step" { add(.previousStep) }
                if next == "steps" { add(.earlierSteps) }
            }
            if nouns.contains(word), pointsBack(words, noun: index) {
                let before = words[max(0, index - 3)..<index].joined(separator: " ")
                add(.earlier(PolicyProse.kind(in: before + " " + (word.hasPrefix("polic") ? "policy" : word))))
            }
        }
        return found
    }

    /// Whether the noun at `index` is one shown before: a back word just before
    /// it ("the preceding policy", "the above key policy"), or just after it ("the
    /// policy above", "the key policy shown earlier", "the policy that you created
    /// earlier", "the policy you created in the previous step").
    static func pointsBack(_ words: [String], noun index: Int) -> Bool {
        let before = words[max(0, index - 3)..<index]
        if before.contains(where: backWords.contains) { return true }
        let after = Array(words[(index + 1)..<min(words.count, index + 7)])
        guard let first = after.first else { return false }
        if backWords.contains(first) { return true }
        if ["shown", "given"].contains(first), after.dropFirst().first.map(backWords.contains) == true { return true }
        // "the policy (that) you created …": what the reader made earlier on this page.
        let made = after.prefix(4).firstIndex(where: madeWords.contains)
        return made != nil && after.prefix(made!).contains("you")
    }
}
