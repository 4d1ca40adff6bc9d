import KBPolicyLint

/// What a code block of a guide is. Checks, the transcript runner, the analysis
/// and the site all switch on it, so a block is read one way everywhere: a
/// policy in a bare fence is checked and rendered as a policy.
///
/// New kinds go here (and in ``BlockClassifier``): an excerpt of a statement, a
/// log, INI or JSON Lines, shell blocks that run `aws`.
public enum BlockKind: Sendable, Hashable, CustomStringConvertible {
    /// A policy document of a known kind.
    case policy(PolicyKind)
    /// A lone statement (`{"Effect": …, "Action": …}`): a fragment of a policy.
    case statement
    /// A service's configuration document.
    case configuration(ConfigurationKind)
    /// JSON that is no policy or configuration kbtool knows (a response, sample
    /// data), or JSON text that does not parse.
    case jsonData
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
        case .configuration(.bucketEncryption): return "bucket encryption configuration"
        // Kept as the `blocks` list has always said it.
        case .jsonData: return "not a policy"
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

    /// Whether the block holds JSON text (parsed or not).
    public var isJSON: Bool {
        switch self {
        case .policy, .statement, .configuration(.bucketEncryption), .jsonData: return true
        case .transcript, .shellCommands, .other: return false
        }
    }
}
