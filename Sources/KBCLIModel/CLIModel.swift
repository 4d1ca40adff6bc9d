/// One `aws SERVICE OPERATION` as the CLI's grammar knows it: its API name, its
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

/// A service's operations, by their CLI names (`put-object`).
public struct ServiceModel: Sendable {
    public var operations: [String: OperationModel]
    /// Real operations of the service whose options the model does not describe:
    /// a command using one is "not executed", not a usage error.
    public var undescribed: Set<String>

    public init(operations: [String: OperationModel], undescribed: Set<String> = []) {
        self.operations = operations
        self.undescribed = undescribed
    }
}

/// The AWS CLI's command model: every service and operation the parser knows.
///
/// The parser and its callers see only this type; the table behind
/// ``CLIModel/current`` is written by hand today for the operations kbtool
/// emulates, and can be replaced by one generated from botocore's service models
/// (every service, every operation) without changing them.
public struct CLIModel: Sendable {
    public var services: [String: ServiceModel]

    public init(services: [String: ServiceModel]) {
        self.services = services
    }

    /// What a command line's `SERVICE OPERATION` names.
    public enum Lookup: Sendable {
        case operation(OperationModel)
        /// A service the model does not have: real AWS, not a usage error.
        case unknownService
        /// A real operation whose grammar the model does not describe.
        case undescribedOperation
        /// No such operation: the CLI refuses it, maybe with a close name.
        case invalidOperation(suggestion: String?)
    }

    public func lookup(service: String, operation: String) -> Lookup {
        guard let model = services[service] else { return .unknownService }
        if let found = model.operations[operation] { return .operation(found) }
        if model.undescribed.contains(operation) { return .undescribedOperation }
        return .invalidOperation(suggestion: OptionParser.closest(operation, in: Array(model.operations.keys)))
    }

    /// The model kbtool parses with: the services it emulates, written by hand.
    public static let current = CLIModel(services: [
        "kms": ServiceModel(operations: KMSModel.operations, undescribed: KMSModel.undescribed),
        "s3api": ServiceModel(operations: S3APIModel.operations, undescribed: S3APIModel.undescribed),
        "s3": ServiceModel(operations: S3Model.operations, undescribed: S3Model.undescribed),
        "iam": ServiceModel(operations: IAMModel.iam, undescribed: IAMModel.iamUndescribed),
        "sts": ServiceModel(operations: IAMModel.sts, undescribed: IAMModel.stsUndescribed),
    ])
}
