import Foundation
import KBAWSCLI
import KBCloud
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBShell

extension RuleID {
    /// A command printed something other than the output the guide shows.
    public static let transcriptOutput = RuleID("transcript-output")
    /// A command with no expected output failed.
    public static let transcriptFailed = RuleID("transcript-failed")
    /// The command line itself is wrong: an unknown option or profile, a missing file, bad quoting.
    public static let transcriptCommand = RuleID("transcript-command")
    /// A command kbtool does not emulate, or one skipped because an earlier one failed.
    public static let transcriptNotRun = RuleID("transcript-not-run")
}

/// Runs a guide's terminal sessions (```` ```console ````, `shell-session`,
/// `sh-session`) against a simulated AWS built from its front matter, in order,
/// with one shell session per guide, and checks each command's output.
public struct TranscriptRunner: Sendable {
    /// Unsupported commands are errors rather than notes.
    public var strict: Bool

    public static let languages: Set<String> = ["console", "shell-session", "sh-session"]

    public init(strict: Bool = false) {
        self.strict = strict
    }

    public struct Report: Sendable {
        public var examples: [ExampleResult] = []
        public var diagnostics: [Diagnostic] = []
        /// Files of the guide's folder the commands read (`file://…`), found or
        /// not: the results depend on them.
        public var filesRead: [String] = []

        public init() {}
    }

    /// `directory` is the guide's folder, for `file://` names no block carries.
    public func run(_ guide: Guide, directory: String?) -> Report {
        var report = Report()
        let blocks = guide.codeBlocks.filter { $0.language.map(Self.languages.contains) ?? false }
        let (setup, setupDiagnostics) = TranscriptSetup.read(guide.frontMatter)
        report.diagnostics += setupDiagnostics
        guard !blocks.isEmpty else { return report }

        var titled: [String: CodeBlock] = [:]
        for code in guide.codeBlocks {
            if let title = code.attribute("title"), titled[title] == nil { titled[title] = code }
        }
        let name =
            guide.frontMatter?.id ?? ((guide.path as NSString).lastPathComponent as NSString).deletingPathExtension
        let world = World(seed: "kbtool:" + (setup.seed ?? name))
        world.setEncryptNewObjectsByDefault(setup.encryptNewObjectsByDefault)
        world.setGrantPropagationDelay(TimeInterval(setup.grantPropagationSeconds))
        report.diagnostics += Self.attachProfiles(setup, titled: titled, world: world)
        let host = TranscriptHost(
            cli: AWSCLI(
                world: world, profiles: setup.cliProfiles, defaultProfile: setup.defaultProfile,
                defaultRegion: setup.region),
            titled: titled.mapValues { Array($0.literal.utf8) }, directory: directory)
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
    static func attachProfiles(_ setup: TranscriptSetup, titled: [String: CodeBlock], world: World) -> [Diagnostic] {
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
                guard let code = titled[title] else {
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
                let parsed = JSONParser.parse(code.literal)
                let policy = parsed.value.map { PolicyParser.parse($0, locate: code.locator) }
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
