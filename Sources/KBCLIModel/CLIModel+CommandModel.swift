/// The generated model as the parser's grammar: every service and operation
/// of the CLI, each option read the way the CLI reads its type. What it
/// cannot give is what running a command needs beyond the grammar (which
/// operations kbtool runs, how a handler reads an SSE-C key); the emulated
/// operations' hand-written specs supply that (``EmulatedCommands``).
extension CLIModel: CommandModel {
    public func lookup(service: String, operation: String) -> CommandLookup {
        guard let model = try? self.service(service) else {
            return .invalidService(suggestion: closestService(to: service))
        }
        guard let found = model.operation(operation), !found.hasSubcommands || !found.options.isEmpty else {
            if model.operations.keys.contains(where: { $0.hasPrefix(operation + " ") }) {
                // `aws ec2 wait instance-running`: a group whose commands take a further word.
                return .undescribedOperation
            }
            let suggestion = (try? closestOperation(to: operation, in: service))?.name
            return .invalidOperation(suggestion: suggestion)
        }
        return .operation(Self.operationModel(found))
    }

    /// An operation's options as the parser's specs.
    static func operationModel(_ operation: CLIOperation) -> OperationModel {
        var specs: [OptionSpec] = []
        var positionals: [String] = []
        for option in operation.options {
            guard option.isPositional else {
                specs.append(
                    OptionSpec(String(option.name.dropFirst(2)), kind(of: option), required: option.isRequired))
                continue
            }
            switch option.arity {
            case .exactly(let count): positionals += (1...max(count, 1)).map { "\(option.name)\($0)" }
            case .optional, .zeroOrMore: positionals.append(option.name + "?")
            default: positionals.append(option.name)
            }
        }
        return OperationModel(apiName: operation.apiName ?? operation.name, options: specs, positionals: positionals)
    }

    /// How the parser takes an option's value, from the type botocore gives it.
    static func kind(of option: CLIOption) -> OptionSpec.Kind {
        switch option.arity {
        case .none: return .boolean
        case .optional: return .optionalString(default: option.enumValues.first ?? "")
        case .zeroOrMore, .oneOrMore, .exactly: return .list
        case .one: break
        }
        switch option.type {
        case .integer, .long: return .integer
        case .blob: return option.isStreaming ? .inputFile : .blob
        case .structure, .map, .document: return .structure
        case .list(let element) where element.isComplex: return .structure
        default: return .string
        }
    }
}

/// The grammar transcripts are parsed with: the operations kbtool runs, by
/// their hand-written specs (what the handlers read), and every other
/// command of the CLI from the generated model, so a misspelt service,
/// operation or option of any service is the CLI's usage error, and a valid
/// command of a service kbtool does not emulate is "not executed".
public struct EmulatedCommands: CommandModel {
    public var table: CommandTable
    /// Nil when the compiled-in model cannot be read: the table alone answers.
    public var model: CLIModel?

    public init(table: CommandTable = .emulated, model: CLIModel? = try? CLIModel.shipped.get()) {
        self.table = table
        self.model = model
    }

    public static let shipped = EmulatedCommands()

    public func lookup(service: String, operation: String) -> CommandLookup {
        let emulated = table.lookup(service: service, operation: operation)
        if case .operation = emulated { return emulated }
        guard let model else { return emulated }
        let generated = model.lookup(service: service, operation: operation)
        if case .operation(let grammar) = generated { return .notEmulated(grammar) }
        return generated
    }
}
