import Foundation
import KBAWSCLI
import KBBlocks
import KBCloud
import KBCommandCheck
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBShell

extension Rule {
    /// The `kbtool:` front matter that sets up a guide's world is malformed.
    public static let transcriptSetup = Rule(
        "transcript-setup", .error,
        summary:
            "The `kbtool:` front matter is wrong: an unknown setting or mistyped value, a profile that is not a principal ARN, an undeclared default profile, or a policy title no block has.",
        why:
            "The simulated accounts then differ from what the guide describes (a profile without its policies, the wrong Region), so transcripts fail, or pass for the wrong reason.",
        fix:
            "Correct the setting: profiles map names to principal ARNs, or to `principal:` and `policies:`; `policies:` lists titles of this guide's JSON blocks.",
        example: "profile 'partner-app' attaches 'partner-policy.json', but no block has that title")
}

/// Runs a guide's terminal sessions (```` ```console ````, `shell-session`,
/// `sh-session`) against a simulated AWS built from its front matter, in order,
/// with one shell session per guide, and checks each command's output.
public struct TranscriptRunner: Sendable {
    /// Unsupported commands are errors rather than notes.
    public var strict: Bool
    /// The checker every `aws` command passes before it runs, the one bare
    /// blocks' commands get.
    public var commands: CommandDiagnostics

    /// The fence languages of transcripts (the classifier decides).
    public static let languages = BlockClassifier.transcriptLanguages

    public init(strict: Bool = false, commands: CommandDiagnostics = .shipped) {
        self.strict = strict
        self.commands = commands
    }

    public struct Report: Sendable {
        public var examples: [ExampleResult] = []
        /// Every finding: the setup's, then each command's (also in its example).
        public var diagnostics: [Diagnostic] = []
        /// Problems with the `kbtool:` front matter and the policies it attaches.
        public var setup: [Diagnostic] = []
        /// Files of the guide's folder the commands read (`file://…`), found or
        /// not: the results depend on them.
        public var filesRead: [String] = []

        public init() {}
    }

    /// `directory` is the guide's folder, for `file://` names no block carries.
    public func run(_ guide: Guide, directory: String?) -> Report {
        run(BlockClassifier.classify(guide), directory: directory)
    }

    /// Runs the blocks the classifier calls transcripts, in order.
    public func run(_ classified: ClassifiedGuide, directory: String?) -> Report {
        let guide = classified.guide
        var report = Report()
        let blocks = classified.blocks(.transcript).map(\.code)
        let (setup, setupDiagnostics) = TranscriptSetup.read(guide.frontMatter)
        report.setup += setupDiagnostics
        report.diagnostics += setupDiagnostics
        guard !blocks.isEmpty else { return report }

        var titled: [String: ClassifiedBlock] = [:]
        for block in classified.blocks {
            if let title = block.title, titled[title] == nil { titled[title] = block }
        }
        let name =
            guide.frontMatter?.id ?? ((guide.path as NSString).lastPathComponent as NSString).deletingPathExtension
        let world = World(seed: "kbtool:" + (setup.seed ?? name))
        world.setEncryptNewObjectsByDefault(setup.encryptNewObjectsByDefault)
        world.setGrantPropagationDelay(TimeInterval(setup.grantPropagationSeconds))
        let attached = Self.attachProfiles(setup, titled: titled, world: world)
        report.setup += attached
        report.diagnostics += attached
        let host = TranscriptHost(
            cli: AWSCLI(
                world: world, profiles: setup.cliProfiles, defaultProfile: setup.defaultProfile,
                defaultRegion: setup.region),
            titled: titled.mapValues { Array($0.code.literal.utf8) }, directory: directory)
        let shell = ShellInterpreter(host: host, variables: setup.variables)
        var session = Session(
            runner: self, guide: guide, host: host, shell: shell, setupVariables: Set(setup.variables.keys))
        for code in blocks {
            session.run(code, into: &report)
        }
        report.filesRead = host.filesRead.sorted()
        withExtendedLifetime(host) {}
        return report
    }

    /// Gives each profile's principal its identity policies (titled JSON blocks).
    static func attachProfiles(_ setup: TranscriptSetup, titled: [String: ClassifiedBlock], world: World)
        -> [Diagnostic]
    {
        var diagnostics: [Diagnostic] = []
        for (name, profile) in setup.profiles.sorted(by: { $0.key < $1.key }) {
            guard let principal = RequestPrincipal(profile.principal), principal.account != nil else {
                diagnostics.append(
                    Diagnostic(
                        .error, .transcriptSetup, "profile '\(name)': '\(profile.principal)' is not a principal ARN",
                        at: profile.range))
                continue
            }
            var documents: [PolicyDocument] = []
            for (title, range) in profile.policies {
                guard let block = titled[title] else {
                    let suggestion = Suggestion.closest(to: title, in: titled.keys)
                    diagnostics.append(
                        Diagnostic(
                            .error, .transcriptSetup,
                            "profile '\(name)' attaches '\(title)', but no block has that title",
                            at: range,
                            notes: suggestion.map { ["did you mean '\($0)'?"] }
                                ?? ["give the policy's fence a title: ```json title=\"\(title)\""]))
                    continue
                }
                // Attached policies are read as strict JSON, whatever the fence says.
                let code = block.code
                let parsed =
                    block.dialect == .strict
                    ? block.json ?? JSONParser.parse(code.literal) : JSONParser.parse(code.literal)
                let policy =
                    block.dialect == .strict && block.policy != nil
                    ? block.policy : parsed.value.map { PolicyParser.parse($0, locate: code.locator) }
                guard let policy, !parsed.issues.contains(where: \.isError),
                    !policy.diagnostics.contains(where: { $0.severity == .error })
                else {
                    // Attached anyway it would grant nothing, and every later denial would mislead.
                    diagnostics.append(
                        Diagnostic(
                            .error, .transcriptSetup,
                            "profile '\(name)' attaches '\(title)', which is not a valid policy, so it was not attached",
                            at: range,
                            related: [RelatedLocation(range: code.range, message: "the block titled '\(title)'")]))
                    continue
                }
                documents.append(policy.document)
            }
            switch principal.kind {
            case .user, .role, .assumedRole:
                // A profile without policies names a role a transcript may create.
                guard !profile.policies.isEmpty else { continue }
                let roleOrUser = principal.identityARN ?? profile.principal
                do {
                    try world.setPrincipal(roleOrUser, identityPolicies: documents)
                } catch {
                    diagnostics.append(
                        Diagnostic(.error, .transcriptSetup, "profile '\(name)': \(error.message)", at: profile.range))
                }
            default:
                if !documents.isEmpty {
                    diagnostics.append(
                        Diagnostic(
                            .warning, .transcriptSetup,
                            "profile '\(name)' is an account root; identity policies do not apply to it",
                            at: profile.range))
                }
            }
        }
        return diagnostics
    }
}

/// The `aws` command and the guide's files, for the shell.
final class TranscriptHost: ShellHost {
    let cli: AWSCLI
    let titled: [String: [UInt8]]
    let directory: String?
    /// What each `aws` run of the current command line returned.
    var results: [CLIResult] = []
    /// Paths in the guide's folder read from disk.
    var filesRead: Set<String> = []

    init(cli: AWSCLI, titled: [String: [UInt8]], directory: String?) {
        self.cli = cli
        self.titled = titled
        self.directory = directory
    }

    func run(_ invocation: ShellInvocation) -> ShellOutcome? {
        guard invocation.arguments.first == "aws" else { return runTool(invocation) }
        let written = invocation.files
        let result = cli.run(
            Array(invocation.arguments.dropFirst()), environment: invocation.environment, input: invocation.input,
            readFile: { [self] path in written[ShellPath.normalize(path)] ?? readFile(path) })
        results.append(result)
        return ShellOutcome(
            stdout: Array(result.stdout.utf8), stderr: result.stderr, status: result.status,
            writtenFiles: result.writtenFiles,
            unsupported: result.unsupported ? invocation.arguments.prefix(3).joined(separator: " ") : nil)
    }

    /// A titled block of the guide, else a file in the guide's folder (never
    /// outside it: a guide cannot make kbtool read `/etc/passwd`).
    func readFile(_ path: String) -> [UInt8]? {
        let path = ShellPath.normalize(path)
        if let block = titled[path] { return block }
        guard let directory, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { return nil }
        filesRead.insert(path)
        return FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(path)).map(
            Array.init)
    }
}

extension RequestPrincipal {
    /// The user or role ARN behind a principal (a session's role).
    var identityARN: String? {
        guard let account else { return nil }
        switch kind {
        case .user(let name): return "arn:aws:iam::\(account):user/\(name)"
        case .role(let name), .assumedRole(let name, _): return "arn:aws:iam::\(account):role/\(name)"
        default: return nil
        }
    }
}
