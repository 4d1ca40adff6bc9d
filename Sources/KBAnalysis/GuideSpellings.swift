import KBBlocks
import KBDiagnostics
import KBGuide
import KBPolicy
import KBPolicyLint

/// One value spelt two ways within a setup: a bucket, a placeholder.
extension GuideAnalysis {
    /// Names close enough to be one bucket misspelt: a few edits apart.
    static func bucketSpellings(_ scenario: GuideScenario) -> (diagnostics: [Diagnostic], misspelt: [String: String]) {
        var counts: [String: Int] = [:]
        // Names with characters a bucket name cannot have ("*** manifest bucket ***") are stand-ins.
        let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
        for mention in scenario.buckets
        where Placeholders.find(in: mention.value).isEmpty && mention.value.allSatisfy(nameCharacters.contains) {
            counts[mention.value, default: 0] += 1
        }
        let names = Array(
            counts.keys.sorted { counts[$0]! > counts[$1]! || (counts[$0]! == counts[$1]! && $0 < $1) }.prefix(200))
        var diagnostics: [Diagnostic] = []
        var misspelt: [String: String] = [:]
        for (index, main) in names.enumerated() where misspelt[main] == nil {
            for other in names.dropFirst(index + 1) where misspelt[other] == nil && similar(main, other) {
                misspelt[other] = main
                let wrong = scenario.buckets.filter { $0.value == other }
                let right = scenario.buckets.filter { $0.value == main }
                diagnostics.append(
                    Diagnostic(
                        .warning, .guideBucketSpelling,
                        "the bucket is '\(other)' here but '\(main)' elsewhere in the guide; they are probably one bucket",
                        at: wrong[0].range,
                        related: (right.prefix(3) + wrong.dropFirst().prefix(2)).map {
                            RelatedLocation(
                                range: $0.range, message: "'\($0.value)' in \(scenario.blocks[$0.block].name)")
                        },
                        notes: ["a policy that names the wrong bucket grants nothing on the real one"]))
            }
        }
        return (diagnostics, misspelt)
    }

    static func placeholderSpellings(_ blocks: [ClassifiedBlock]) -> [Diagnostic] {
        var seen: [(text: String, range: SourceRange, block: String)] = []
        for block in blocks {
            guard let document = block.document else { continue }
            let locate = block.code.locator
            var values: [Located<String>] = []
            for statement in document.statements {
                values += statement.resources?.values ?? []
                values += statement.principal?.entries.map(\.value) ?? []
            }
            for value in values {
                for placeholder in Placeholders.find(in: value.value)
                where !seen.contains(where: { $0.text == placeholder }) {
                    seen.append((placeholder, locate.range(value.range), block.name))
                }
            }
        }
        var diagnostics: [Diagnostic] = []
        var reported: Set<String> = []
        // Bounded: a guide with hundreds of placeholders is compared on its first 200.
        let candidates = Array(seen.prefix(200))
        for (index, first) in candidates.enumerated() where !reported.contains(first.text) {
            for second in candidates.dropFirst(index + 1)
            where !reported.contains(second.text) && similar(first.text, second.text) {
                reported.insert(second.text)
                diagnostics.append(
                    Diagnostic(
                        .warning, .guidePlaceholderSpelling,
                        "'\(second.text)' and '\(first.text)' are spelled alike: probably one placeholder",
                        at: second.range,
                        related: [RelatedLocation(range: first.range, message: "'\(first.text)' in \(first.block)")],
                        notes: ["a reader filling in one of them will miss the other; spell them the same"]))
            }
        }
        return diagnostics
    }

    /// Different strings a few edits apart (at most a quarter of the length),
    /// unless they differ by what tells parties and places apart: a single
    /// letter or digit (`ACCOUNT_A`/`ACCOUNT_B`), a Region, an environment.
    static func similar(_ a: String, _ b: String) -> Bool {
        guard a != b else { return false }
        // Words of a descriptive placeholder count as words too ("… destination bucket 2").
        let separators: (Character) -> Bool = { "-_.<>(),".contains($0) || $0.isWhitespace }
        let left = a.lowercased().split(whereSeparator: separators)
        let right = b.lowercased().split(whereSeparator: separators)
        if enumerated(a.split(whereSeparator: separators), b.split(whereSeparator: separators)) { return false }
        if left.count == right.count {
            let differing = zip(left, right).filter { $0 != $1 }
            let markers: Set<String> = [
                "prod", "dev", "staging", "stage", "test", "qa", "us", "eu", "ap", "sa", "ca", "me", "af",
            ]
            if differing.contains(where: {
                $0.0.count <= 2 && $0.1.count <= 2 || markers.contains(String($0.0)) || markers.contains(String($0.1))
            }) {
                return false
            }
        }
        let distance = Suggestion.editDistance(
            Array(a.lowercased().unicodeScalars), Array(b.lowercased().unicodeScalars))
        return distance <= max(1, min(a.count, b.count) / 4)
    }

    /// Names that number or letter a series, or derive one from another: `Account1-ID`
    /// and `Account2-ID`, `AccountA-ID` and `AccountB-ID`, `BUCKET` and `BUCKET1`, `BUCKET`
    /// and `BUCKET-logs`. Guides name several accounts and buckets this way on purpose.
    static func enumerated(_ left: [Substring], _ right: [Substring]) -> Bool {
        let (short, long) = left.count <= right.count ? (left, right) : (right, left)
        // One name is the other with whole words added before or after it.
        if short.count < long.count {
            let lowered = { (words: ArraySlice<Substring>) in words.map { $0.lowercased() } }
            let shortWords = lowered(short[...])
            return lowered(long.prefix(short.count)) == shortWords || lowered(long.suffix(short.count)) == shortWords
        }
        let differing = zip(left, right).filter { $0.lowercased() != $1.lowercased() }
        guard !differing.isEmpty else { return false }
        return differing.allSatisfy { pair in
            let (x, y) = (Array(pair.0), Array(pair.1))
            var common = 0
            while common < min(x.count, y.count), x[common].lowercased() == y[common].lowercased() { common += 1 }
            let (tailX, tailY) = (x[common...], y[common...])
            // A serial mark: digits, or a single capital letter (AccountA, AccountB).
            func serial(_ tail: ArraySlice<Character>) -> Bool {
                tail.isEmpty || (tail.count <= 3 && tail.allSatisfy(\.isNumber))
                    || (tail.count == 1 && tail.first!.isUppercase)
            }
            return common > 0 && serial(tailX) && serial(tailY)
        }
    }
}
