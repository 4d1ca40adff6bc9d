import KBPolicy

/// One step of what the engine did for an operation, for traces in transcripts
/// and on the site.
public enum EngineEvent: Sendable {
    /// A call was authorized (or not) by the policy model.
    case authorization(service: String, action: String, resource: String, evaluation: Evaluation)
    /// S3 called KMS on the caller's behalf.
    case serviceCall(from: String, to: String, operation: String)
    /// Key material was used: which key, which backing version.
    case keyUsed(keyARN: String, materialVersion: UInt32, purpose: String)
    /// Data was encrypted or decrypted under an encryption context.
    case crypto(operation: String, bytes: Int, context: [String: String])
    /// S3 replicated an object (or failed to): the source object's ARN, the
    /// destination bucket's, COMPLETED or FAILED, and the failure reason.
    case replication(source: String, destination: String, status: String, reason: String?)
}

/// An operation's result with the events that produced it.
public struct Traced<Value: Sendable>: Sendable {
    public var value: Value
    public var events: [EngineEvent]

    public init(_ value: Value, events: [EngineEvent]) {
        self.value = value
        self.events = events
    }
}

/// An AWS-style error: the error code AWS uses, its message, and the events up to
/// the failure (the denied authorization among them).
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var events: [EngineEvent]

    public init(_ code: String, _ message: String, events: [EngineEvent] = []) {
        self.code = code
        self.message = message
        self.events = events
    }

    public var description: String { "\(code): \(message)" }
}
