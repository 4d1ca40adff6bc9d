import KBCLIModel

/// Runs one parsed operation against the world and says what to print.
typealias Handler = @Sendable (Invocation) throws(CommandFailure) -> CommandOutput

/// The emulation of every operation kbtool runs, by service and CLI name. The
/// grammar of each (its options and positionals) is KBCLIModel's; an operation
/// the model describes without a handler here is "not emulated".
enum Handlers {
    static let all: [String: [String: Handler]] = [
        "kms": KMSCommands.handlers.merging(KMSGrantCommands.handlers) { first, _ in first },
        "s3api": S3APICommands.handlers.merging(S3APIBucketConfigCommands.handlers) { first, _ in first },
        "s3": S3Commands.handlers.merging(S3PresignCommand.handlers) { first, _ in first },
        "iam": IAMCommands.iam,
        "sts": IAMCommands.sts,
    ]
}
