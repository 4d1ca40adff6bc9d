/// One `aws SERVICE OPERATION` as the parser needs it: its API name, its
/// options and its positional arguments. No engine: what running it does is a
/// handler's business (KBAWSCLI).
public struct OperationModel: Sendable {
    /// The API's name (`PutObject`): errors and table titles use it.
    public var apiName: String
    public var options: [OptionSpec]
    /// Positional arguments in order (`get-object … OUTFILE`, `s3 cp SRC DST`);
    /// a name ending in `?` is optional.
    public var positionals: [String] = []

    public init(apiName: String, options: [OptionSpec], positionals: [String] = []) {
        self.apiName = apiName
        self.options = options
        self.positionals = positionals
    }
}

/// What a command line's `SERVICE OPERATION` names in a command model.
public enum CommandLookup: Sendable {
    case operation(OperationModel)
    /// A service the model does not have: real AWS, not a usage error.
    case unknownService
    /// A real operation whose grammar the model does not describe.
    case undescribedOperation
    /// No such operation: the CLI refuses it, maybe with a close name.
    case invalidOperation(suggestion: String?)
}

/// What the parser needs of a command model: an operation's grammar by its
/// service and name. ``CLIParser`` and its callers see only this, so the
/// hand-written ``CommandTable`` can give way to a model generated from
/// botocore's (``CLIModel``, every service and operation) without changing them.
public protocol CommandModel: Sendable {
    func lookup(service: String, operation: String) -> CommandLookup
}

/// The commands kbtool emulates, written by hand: each service's operations
/// by their CLI names (`put-object`).
public struct CommandTable: CommandModel {
    public struct Service: Sendable {
        public var operations: [String: OperationModel]
        /// Real operations of the service whose options the table does not
        /// describe: a command using one is "not executed", not a usage error.
        public var undescribed: Set<String>

        public init(operations: [String: OperationModel], undescribed: Set<String> = []) {
            self.operations = operations
            self.undescribed = undescribed
        }
    }

    public var services: [String: Service]

    public init(services: [String: Service]) {
        self.services = services
    }

    public func lookup(service: String, operation: String) -> CommandLookup {
        guard let model = services[service] else { return .unknownService }
        if let found = model.operations[operation] { return .operation(found) }
        if model.undescribed.contains(operation) { return .undescribedOperation }
        return .invalidOperation(suggestion: OptionParser.closest(operation, in: Array(model.operations.keys)))
    }

    /// The services kbtool emulates.
    public static let emulated = CommandTable(services: [
        "kms": Service(
            operations: KMSModel.operations.merging(KMSGrantModel.operations) { first, _ in first },
            undescribed: KMSModel.undescribed),
        "s3api": Service(
            operations: S3APIModel.operations.merging(S3APIBucketConfigModel.operations) { first, _ in first },
            undescribed: S3APIModel.undescribed),
        "s3": Service(
            operations: S3Model.operations.merging(S3PresignModel.operations) { first, _ in first },
            undescribed: S3Model.undescribed),
        "iam": Service(operations: IAMModel.iam, undescribed: IAMModel.iamUndescribed),
        "sts": Service(operations: IAMModel.sts, undescribed: IAMModel.stsUndescribed),
    ])
}
