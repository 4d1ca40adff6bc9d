import KBPolicyLint

/// What a code block of a guide is. Checks, the transcript runner, the analysis
/// and the site all switch on it, so a block is read one way everywhere: a
/// policy in a bare fence is checked and rendered as a policy.
///
/// New kinds go here (and in ``BlockClassifier``).
public enum BlockKind: Sendable, Hashable, CustomStringConvertible {
    /// A policy document of a known kind.
    case policy(PolicyKind)
    /// A lone statement (`{"Effect": …, "Action": …}`), or statements shown one
    /// after another: an excerpt of a policy.
    case statement
    /// Another service's resource policy (an SNS topic's, an SQS queue's, a VPC
    /// endpoint's), named as the guide's readers know it: checked as JSON, not
    /// taken for a bucket or key policy.
    case servicePolicy(String)
    /// A service's configuration document.
    case configuration(ConfigurationKind)
    /// JSON that is no policy or configuration kbtool knows (a response, sample
    /// data), or JSON text that does not parse.
    case jsonData
    /// One JSON document per line (a data set, a stream of records).
    case jsonLines
    /// A schema or pseudo-JSON shown to explain a shape (`"Protocol": "http"|"https"`,
    /// `<number>`, `"Data": blob`), not meant to parse.
    case illustration
    /// An AWS CLI configuration or credentials file (`[profile x]`, `key = value`).
    case cliConfig
    /// Log lines (`[06/Feb/2019:00:00:38 +0000] …`).
    case logLines
    /// A terminal session (`console`, `shell-session`, `sh-session`): commands
    /// after `$ ` with their output, which kbtool runs and checks.
    case transcript
    /// Commands to type (`bash`, `sh`, `shell`, `zsh`), shown without output.
    case shellCommands
    /// Code in another language, or plain text.
    case other

    /// Configuration documents kbtool reads.
    public enum ConfigurationKind: Sendable, Hashable {
        /// An S3 default-encryption configuration (`{"Rules": [...]}`).
        case bucketEncryption
    }

    /// The words `--format json` and the site show for the kind.
    public var description: String {
        switch self {
        case .policy(let kind): return kind.displayName
        case .statement: return "policy statement"
        case .servicePolicy(let name): return name
        case .configuration(.bucketEncryption): return "bucket encryption configuration"
        // Kept as the `blocks` list has always said it.
        case .jsonData: return "not a policy"
        case .jsonLines: return "JSON Lines"
        case .illustration: return "illustration"
        case .cliConfig: return "CLI configuration"
        case .logLines: return "log lines"
        case .transcript: return "transcript"
        case .shellCommands: return "shell commands"
        case .other: return "other"
        }
    }

    /// The policy kind, for a policy document.
    public var policyKind: PolicyKind? {
        if case .policy(let kind) = self { return kind }
        return nil
    }

    /// Whether the block holds JSON text (parsed or not), checked as JSON.
    public var isJSON: Bool {
        switch self {
        case .policy, .statement, .servicePolicy, .configuration(.bucketEncryption), .jsonData: return true
        case .jsonLines, .illustration, .cliConfig, .logLines, .transcript, .shellCommands, .other: return false
        }
    }

    /// Whether readers are shown it as policy text to paste: its JSON defects are errors.
    public var isPolicyText: Bool {
        switch self {
        case .policy, .statement, .servicePolicy: return true
        default: return false
        }
    }
}
