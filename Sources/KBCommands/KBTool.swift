import ArgumentParser
import Foundation
import KBChecks

/// The root command. Subcommands live in their own files.
public struct KBTool: ParsableCommand {
    public static let version = Verifier.version

    public static let configuration = CommandConfiguration(
        commandName: "kbtool",
        abstract: "Verify a knowledge base of cloud security guides and render it as a site.",
        version: VersionInfo.text,
        subcommands: [
            VerifyCommand.self, BuildCommand.self, ServeCommand.self, SimulateCommand.self, ExplainCommand.self,
            InitCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits with kbtool's statuses: 0 clean, 1 findings,
    /// 2 bad usage or unreadable input. (ArgumentParser alone would exit 64 on
    /// usage errors; CI scripts expect 2.)
    public static func main(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// How results are printed: for people (`human`, or `text`), for tools (`json`),
/// for code scanning (`sarif`), as GitHub annotations (`github`), or as a test
/// report (`junit`).
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case human, text, json, sarif, github, junit
}

/// Whether human output is coloured.
public enum ColorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case auto, always, never

    /// `auto` colours a terminal unless NO_COLOR is set to anything non-empty.
    func enabled(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            return isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
        }
    }
}
