import KBAnalysis

/// A JSON block of a guide with its kind, in `--format json`.
public struct BlockEntry: Codable, Sendable {
    public var file: String
    public var line: Int
    public var kind: String
    public var evidence: String
    public var title: String?
}

/// A guide's cross-account flow, in `--format json`.
public struct FlowEntry: Codable, Sendable {
    public struct Step: Codable, Sendable {
        public var operation: String
        public var allowed: Bool
        public var intended: Bool
        public var denied: String?
        public var deniedBy: [String]
        public var reason: String?
    }

    public var file: String
    public var works: Bool
    public var missing: [String]
    public var partner: String
    public var bucket: String
    public var keyARN: String
    public var steps: [Step]
    public var placeholders: [Placeholder]

    public struct Placeholder: Codable, Sendable {
        public var placeholder: String
        public var actor: String
        public var value: String
    }

    public init(file: String, _ flow: FlowResult) {
        self.file = file
        works = flow.works
        missing = flow.missing
        partner = flow.partner
        bucket = flow.bucket
        keyARN = flow.keyARN
        placeholders = flow.substitutions.map {
            Placeholder(placeholder: $0.placeholder, actor: $0.actor, value: $0.value)
        }
        steps = flow.steps.map {
            Step(
                operation: $0.operation, allowed: $0.allowed, intended: $0.intended, denied: $0.denied,
                deniedBy: $0.deniedBy.map(\.rawValue), reason: $0.reason)
        }
    }
}
