import KBDiagnostics

/// What to suggest for a misspelt or misplaced name. When the word is right
/// for another command family (`aws s3 cp --ssekms-key-id` is `s3api`'s
/// spelling), `otherCommand` names where it belongs.
public struct CLISuggestion: Sendable, Equatable {
    /// The name to use here: a service, an operation, or an option of this command.
    public var name: String?
    /// The command (`s3api put-object`, `s3api`) where the typed word is valid.
    public var otherCommand: String?

    public init(name: String?, otherCommand: String? = nil) {
        self.name = name
        self.otherCommand = otherCommand
    }
}

extension CLIModel {
    /// The two command families that spell the same S3 settings differently.
    private static let families = ["s3": "s3api", "s3api": "s3"]

    /// The top-level command closest to a misspelt one (`kms` for `ksm`).
    public func closestService(to word: String) -> String? {
        if serviceNames.contains(word) { return word }
        return Self.closest(to: word, in: serviceNames)
    }

    /// The operation of `service` closest to a misspelt one (`get-object` for
    /// `get-objects`); for `s3`/`s3api`, one the other family has
    /// (`aws s3 put-object` → `s3api`).
    public func closestOperation(to word: String, in service: String) throws(CLIModelError) -> CLISuggestion? {
        guard let model = try self.service(service) else { return nil }
        let names = model.operationNames.filter { !$0.isEmpty }
        if model.operations[word] != nil { return CLISuggestion(name: word) }
        if let other = Self.families[service], let otherModel = try self.service(other),
            otherModel.operations[word] != nil
        {
            return CLISuggestion(name: Self.closest(to: word, in: names), otherCommand: other)
        }
        return Self.closest(to: word, in: names).map { CLISuggestion(name: $0) }
    }

    /// The option of `operation` closest to `word`, as a command line spells it.
    /// An option the other command family spells differently maps to this
    /// command's spelling (`aws s3 cp --ssekms-key-id` → `--sse-kms-key-id`,
    /// belonging to `s3api put-object`); else the option equal but for dashes
    /// and case, else the nearest by edit distance (global options included).
    public func closestOption(to word: String, in service: String, _ operation: String) throws(CLIModelError)
        -> CLISuggestion?
    {
        guard let command = try self.operation(service, operation) else { return nil }
        if command.option(named: word) != nil || globalOption(named: word) != nil { return CLISuggestion(name: word) }
        if let equivalent = command.equivalents.first(where: { $0.otherOption == word }) {
            return CLISuggestion(name: equivalent.option, otherCommand: equivalent.otherCommand)
        }
        if service == "s3api", let family = try self.service("s3") {
            let here = "s3api \(operation)"
            for name in family.operationNames {
                guard let other = family.operations[name] else { continue }
                if let equivalent = other.equivalents.first(where: { $0.otherCommand == here && $0.option == word }) {
                    return CLISuggestion(name: equivalent.otherOption, otherCommand: "s3 \(name)")
                }
            }
        }
        var names = command.options.filter { !$0.isPositional }.flatMap { [$0.name] + ($0.negation.map { [$0] } ?? []) }
        names += globalOptions.flatMap { [$0.name] + ($0.negation.map { [$0] } ?? []) }
        return Self.closest(to: word, in: names).map { CLISuggestion(name: $0) }
    }

    /// Equal but for dashes, underscores and case first (`--ssekms-key-id` and
    /// `--sse-kms-key-id`), then the nearest within a third of the word's
    /// length, then the only name the word begins (`--role-session`).
    static func closest(to word: String, in names: [String]) -> String? {
        let key = normalised(word)
        if let same = names.first(where: { normalised($0) == key }) { return same }
        if let near = Suggestion.closest(to: word, in: names) { return near }
        guard key.count >= 4 else { return nil }
        let extended = Set(names.filter { normalised($0).hasPrefix(key) })
        return extended.count == 1 ? extended.first : nil
    }

    /// The closest name when no other comes within one edit of it: a
    /// spelling `--fix` may write without asking (`get-object` for
    /// `get-objects`, but nothing for `ksm`, as near `ssm` as `kms`).
    static func unambiguous(_ word: String, in names: [String]) -> String? {
        guard let best = closest(to: word, in: names) else { return nil }
        if normalised(best) == normalised(word) { return best }
        let target = Array(word.lowercased().unicodeScalars)
        func distance(_ name: String) -> Int {
            Suggestion.editDistance(target, Array(name.lowercased().unicodeScalars))
        }
        let reach = distance(best) + 1
        let rivals = names.filter {
            $0 != best && abs($0.unicodeScalars.count - target.count) <= reach && distance($0) <= reach
        }
        return rivals.isEmpty ? best : nil
    }

    private static func normalised(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" })
    }
}
