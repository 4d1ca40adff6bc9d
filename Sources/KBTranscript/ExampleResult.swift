import KBCloud
import KBDiagnostics
import KBPolicy

/// One command of a transcript and what running it showed: the unit that
/// `kbtool verify --format json` reports under `examples` and the site marks.
public struct ExampleResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case pass, fail, error, skipped, unsupported
    }

    public var file: String
    /// The line of the command's `$`.
    public var line: Int
    public var command: String
    public var status: Status
    /// The output the guide shows.
    public var expected: String
    /// What the command printed (standard output, then standard error).
    public var actual: String
    /// Why a command was skipped, not executed, or is in error.
    public var reason: String?
    public var trace: [TraceStep]
    /// The diagnostics about this command (not encoded: they are reported with the rest).
    public var findings: [Diagnostic] = []

    enum CodingKeys: String, CodingKey {
        case file, line, command, status, expected, actual, reason, trace
    }
}

/// One step of what the engine did for a command, flattened for JSON and HTML.
public struct TraceStep: Sendable, Hashable, Codable {
    /// `authorization`, `call`, `key` or `crypto`.
    public var kind: String
    /// One line in words, for terminals.
    public var summary: String
    public var service: String?
    public var action: String?
    public var resource: String?
    /// `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied` for authorizations.
    public var decision: String?
    public var reason: String?
    /// The statements that decided, as "policy: statement".
    public var decidedBy: [String]?
    public var keyARN: String?
    public var materialVersion: UInt32?
    public var context: [String: String]?

    init(_ event: EngineEvent) {
        switch event {
        case .authorization(let service, let action, let resource, let evaluation):
            kind = "authorization"
            self.service = service
            self.action = action
            self.resource = resource
            decision = evaluation.decision.rawValue
            reason = evaluation.reason
            decidedBy = evaluation.decidedBy
            summary = "\(service): \(action) on \(resource): \(evaluation.decision.rawValue) (\(evaluation.reason))"
        case .serviceCall(let from, let to, let operation):
            kind = "call"
            service = to
            action = operation
            summary = "\(from) → \(to) \(operation) on the caller's behalf"
        case .keyUsed(let keyARN, let version, let purpose):
            kind = "key"
            self.keyARN = keyARN
            materialVersion = version
            reason = purpose
            summary = "\(purpose) with \(keyARN), key material version \(version)"
        case .crypto(let operation, let bytes, let context):
            kind = "crypto"
            action = operation
            self.context = context
            let pairs = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            summary = "\(operation) \(bytes) bytes\(pairs.isEmpty ? "" : " under context {\(pairs)}")"
        case .replication(let source, let destination, let status, let failure):
            kind = "replication"
            service = "s3"
            action = "ReplicateObject"
            resource = source
            decision = status
            reason = failure
            summary = "replication of \(source) to \(destination): \(status)\(failure.map { " (\($0))" } ?? "")"
        }
    }
}
