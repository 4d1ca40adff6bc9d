import KBJMESPath

/// The (sub)command and its options, as argparse reads them.
extension CommandCheckRun {
    /// Resolves the command after the service (`get-object`, `wait
    /// instance-running`) from `rest[start...]`, then checks its options.
    mutating func checkCommand(_ service: CLIService, from start: Int) {
        var position = start
        var path: [String] = []
        var operation = service.operation("")
        while position < rest.count {
            let index = rest[position]
            guard !isOptionLike(index) else { break }
            guard !arguments[index].isDynamic else { return }
            let word = arguments[index].text
            if word == "help" && position == rest.count - 1 { return }
            if let found = service.operation((path + [word]).joined(separator: " ")) {
                path.append(word)
                operation = found
                position += 1
                guard found.hasSubcommands else { break }
                continue
            }
            // A command that runs by itself ends its path here: the word is a positional.
            if let current = operation, !current.hasSubcommands || !current.positionals.isEmpty { break }
            return unknownOperation(word, after: path, in: service, at: index)
        }
        let prefix = "`aws \(([service.name] + path).joined(separator: " "))`"
        guard let operation else {
            return problem(.missingArgument, "\(prefix) needs a command, such as `aws \(service.name) help`", at: nil)
        }
        if operation.hasSubcommands, !path.isEmpty, operation.options.isEmpty {
            return problem(.missingArgument, "\(prefix) needs a subcommand", at: rest[position - 1])
        }
        result.operation = path.joined(separator: " ")
        let remaining = Array(rest[position...])
        if remaining.count == 1, arguments[remaining[0]].text == "help" { return }
        checkOptions(remaining, of: operation, in: service, named: prefix)
    }

    mutating func unknownOperation(_ word: String, after path: [String], in service: CLIService, at index: Int) {
        let parent = ([service.name] + path).joined(separator: " ")
        let suggestion: CLISuggestion?
        let candidates: [String]
        if path.isEmpty {
            suggestion = try? model.closestOperation(to: word, in: service.name)
            candidates = service.operationNames.filter { !$0.isEmpty }
        } else {
            candidates = service.operationNames.filter { $0.hasPrefix(path.joined(separator: " ") + " ") }
                .map { String($0.split(separator: " ").last ?? "") }
            suggestion = CLIModel.closest(to: word, in: candidates).map { CLISuggestion(name: $0) }
        }
        if let other = suggestion?.otherCommand {
            return problem(
                .unknownCommand, "`aws \(parent)` has no command '\(word)'; `aws \(other) \(word)` has", at: index,
                notes: suggestion?.name.map { ["did you mean `aws \(parent) \($0)`?"] } ?? [])
        }
        if let name = suggestion?.name {
            // Fixed only when no other command is as close a spelling.
            let unique = CLIModel.unambiguous(word, in: candidates) == name
            return problem(
                .unknownCommand, "`aws \(parent)` has no command '\(word)'", at: index,
                notes: ["did you mean '\(name)'?"], replacement: unique && !name.contains(" ") ? name : nil)
        }
        problem(
            .unknownCommand,
            "`aws \(parent)` has no command '\(word)' in botocore \(model.botocoreVersion), the AWS CLI kbtool's model describes",
            at: index, notes: ["a command newer than botocore \(model.botocoreVersion) is unknown to kbtool"])
    }

    /// Options and positionals after the command, then what is missing, then each value.
    mutating func checkOptions(_ indices: [Int], of operation: CLIOperation, in service: CLIService, named: String) {
        var given: [GivenOption] = []
        var positionals: [Int] = []
        var position = 0
        while position < indices.count {
            let index = indices[position]
            position += 1
            guard isOptionLike(index) else {
                positionals.append(index)
                continue
            }
            let name = optionName(index)
            guard let option = resolveOption(name, at: index, in: operation, service: service, command: named) else {
                // Its values, if any, would read as stray arguments: skip them.
                while position < indices.count, !isOptionLike(indices[position]) { position += 1 }
                continue
            }
            var found = GivenOption(option: option, at: index, values: [])
            if hasInlineValue(index) {
                if option.arity == .none {
                    problem(.badValue, "\(option.name) takes no value", at: index)
                    continue
                }
                found.values = [GivenValue(index: index, inline: true)]
            } else {
                let limit: Int
                switch option.arity {
                case .none: limit = 0
                case .one, .optional: limit = 1
                case .exactly(let count): limit = count
                case .zeroOrMore, .oneOrMore: limit = .max
                }
                while found.values.count < limit, position < indices.count, !isOptionLike(indices[position]) {
                    if option.arity == .optional, !fitsOptionalValue(indices[position], option) { break }
                    found.values.append(GivenValue(index: indices[position], inline: false))
                    position += 1
                }
                let needed: Int
                switch option.arity {
                case .one, .oneOrMore: needed = 1
                case .exactly(let count): needed = count
                default: needed = 0
                }
                if found.values.count < needed {
                    problem(.missingArgument, "\(option.name) needs a value", at: index)
                    continue
                }
            }
            given.append(found)
        }
        checkPositionals(positionals, of: operation, command: named, given: &given)
        checkRequired(operation, given: given, command: named)
        for option in given { checkValues(option, operation: operation, service: service) }
    }

    /// `--sse` alone or `--sse aws:kms`: argparse takes the next word when it
    /// is not an option; kbtool takes it only when it is one of the choices
    /// (or unknown until the line runs), so a path after `--sse` stays a path.
    func fitsOptionalValue(_ index: Int, _ option: CLIOption) -> Bool {
        let choices = option.enumValues
        return choices.isEmpty || arguments[index].isDynamic || choices.contains(arguments[index].text)
    }

    /// The option a name means: exact, a `--no-` form, or (as argparse allows)
    /// the one option it abbreviates. Reports an unknown or ambiguous name.
    mutating func resolveOption(
        _ name: String, at index: Int, in operation: CLIOperation, service: CLIService, command: String
    ) -> CLIOption? {
        if let option = operation.option(named: name) { return option }
        let names = operation.options.filter { !$0.isPositional }.flatMap {
            [$0.name] + ($0.negation.map { [$0] } ?? [])
        }
        let extended = names.filter { $0.hasPrefix(name) }
        if name.count > 2, extended.count == 1, let only = extended.first { return operation.option(named: only) }
        // The CLI's main parser takes an abbreviated global option first (`--endpoint`).
        let globals = model.globalOptions.filter { $0.name.hasPrefix(name) }
        if name.count > 2, extended.isEmpty, globals.count == 1, let global = globals.first { return global }
        if name.count > 2, extended.count > 1 {
            problem(
                .unknownOption, "'\(name)' is ambiguous for \(command): it could be \(ValueShapeCheck.list(extended))",
                at: index)
            return nil
        }
        var suggestion = try? model.closestOption(to: name, in: service.name, result.operation ?? "")
        if suggestion == nil {
            // `create-alias --key-id` for the required `--target-key-id`: a required option it ends.
            let ending = operation.options.filter {
                $0.isRequired && !$0.isPositional && $0.name.hasSuffix("-" + name.dropFirst(2))
            }
            if ending.count == 1, let only = ending.first { suggestion = CLISuggestion(name: only.name) }
        }
        if let use = suggestion?.name { suggested.insert(use) }
        if let other = suggestion?.otherCommand, let use = suggestion?.name {
            problem(
                .unknownOption, "\(command) has no option '\(name)'; that is how `aws \(other)` spells it",
                at: index, notes: ["\(command) spells it '\(use)'"], replacement: use)
        } else if let use = suggestion?.name {
            let unique = names.filter { CLIModel.closest(to: name, in: [$0]) != nil }.count <= 1
            problem(
                .unknownOption, "\(command) has no option '\(name)'", at: index, notes: ["did you mean '\(use)'?"],
                replacement: unique ? use : nil)
        } else {
            problem(
                .unknownOption,
                "\(command) has no option '\(name)' in botocore \(model.botocoreVersion), the AWS CLI kbtool's model describes",
                at: index, notes: ["an option newer than botocore \(model.botocoreVersion) is unknown to kbtool"])
        }
        return nil
    }

    /// Positionals in order (`s3 cp SOURCE DESTINATION`, `get-object … OUTFILE`); extras are stray.
    mutating func checkPositionals(
        _ indices: [Int], of operation: CLIOperation, command: String,
        given: inout [GivenOption]
    ) {
        var remaining = indices[...]
        for option in operation.positionals {
            let count: Int
            switch option.arity {
            case .exactly(let exact): count = exact
            case .zeroOrMore, .oneOrMore: count = remaining.count
            case .optional: count = min(1, remaining.count)
            default: count = 1
            }
            let taken = remaining.prefix(count)
            remaining = remaining.dropFirst(count)
            if taken.count < count || (option.arity == .oneOrMore && taken.isEmpty) {
                if option.isRequired || option.arity != .optional {
                    problem(
                        .missingArgument,
                        "\(command) needs \(count > 1 ? "\(count) \(option.name)" : option.name), found \(taken.count)",
                        at: nil)
                }
            }
            if option.name == "outfile", let last = taken.last, let path = arguments[last].literal {
                result.writtenFiles.append(path)
            }
            if let first = taken.first {
                given.append(
                    GivenOption(option: option, at: first, values: taken.map { GivenValue(index: $0, inline: false) }))
            }
        }
        // An unquoted `$ARGS` may expand to no word or to several.
        if let stray = remaining.first, !indices.contains(where: { arguments[$0].splits }) {
            problem(
                .unknownOption, "\(command) does not take the argument '\(arguments[stray].text.prefix(60))'", at: stray
            )
        }
    }

    /// Required options, unless the input comes from `--cli-input-json`/`-yaml`
    /// or the line asks for a skeleton.
    mutating func checkRequired(_ operation: CLIOperation, given: [GivenOption], command: String) {
        let names = Set(given.map(\.option.name))
        // An unquoted `$ARGS` may hold the required options.
        if arguments.contains(where: \.splits) { return }
        if names.contains("--cli-input-json") || names.contains("--cli-input-yaml")
            || names.contains("--generate-cli-skeleton")
        {
            return
        }
        let missing = operation.options.filter {
            $0.isRequired && !$0.isPositional && !names.contains($0.name) && !suggested.contains($0.name)
        }
        guard !missing.isEmpty else { return }
        problem(
            .missingArgument, "\(command) needs \(ValueShapeCheck.list(missing.map(\.name)))",
            at: nil)
    }
}

/// `--query` as JMESPath.
enum QueryCheck {
    static func problem(_ text: String) -> String? {
        do {
            _ = try JMESPathExpression(text)
            return nil
        } catch {
            return "--query is not valid JMESPath: \(error.description)"
        }
    }
}
