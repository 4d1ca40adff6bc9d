import ArgumentParser
import Foundation
import KBAnalysis
import KBChecks
import KBDiagnostics
import KBGuide
import KBPolicyLint
import KBReporting

/// `kbtool verify [PATH...]`: checks guides and exits 1 when any error is found.
public struct VerifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check guides and report problems with file:line:column locations.",
        discussion: """
            Exit status: 0 when no error was found, 1 when at least one was, 2 for bad \
            usage or unreadable input.
            """
    )

    @OptionGroup var guides: GuidePaths
    var paths: [String] { guides.paths }

    @Option(help: "Output format: human (or text), json, sarif, github or junit.")
    var format: OutputFormat = .human

    @Option(help: "Also write SARIF 2.1.0 to this file (for code scanning), whatever --format prints.")
    var sarif: String?

    @Option(help: "Accept the findings listed in this file (from --write-baseline): fail only on new ones.")
    var baseline: String?

    @Option(help: "Write today's findings to this file as a baseline, then report as usual and exit 0.")
    var writeBaseline: String?

    @Flag(
        help: ArgumentHelp(
            "The paths are changed files: verify each knowledge base that holds one.",
            discussion:
                "For pre-commit hooks. The knowledge bases are kbtool.yml's paths (else content); a change to kbtool.yml verifies them all. Files in none are ignored."
        ))
    var changed = false

    @OptionGroup var colorOption: ColorOption
    var color: ColorChoice { colorOption.color }

    @Flag(help: "Fail on warnings too, and treat transcript commands kbtool cannot run as errors.")
    var strict = false

    @Flag(help: "Apply the unambiguous fixes (a missing comma, a letter's case) to the files, then verify again.")
    var fix = false

    @Flag(help: "Check every guide again, ignoring and not writing .kbtool-cache/.")
    var noCache = false

    @Option(
        help: ArgumentHelp(
            "The kind of the standalone policy files named: identity-policy, bucket-policy, key-policy, trust-policy, scp or rcp.",
            discussion: "Without it a file's kind comes from `kind:` in kbtool.yml, its name, then its structure."))
    var kind: String?

    public init() {}

    public func validate() throws {
        if let kind, PolicyKind(attribute: kind) == nil {
            let names = PolicyKind.allCases.map(\.rawValue)
            let hint = Suggestion.closest(to: kind, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw ValidationError("unknown policy kind '\(kind)'\(hint) (use one of \(names.joined(separator: ", ")))")
        }
    }

    public func run() throws {
        var paths = VerificationRun.defaultPaths(self.paths)
        if changed {
            paths = KnowledgeBases.containing(changedFiles: self.paths)
            guard !paths.isEmpty else {
                print("kbtool verify --changed: no changed file is in a knowledge base; nothing to verify")
                return
            }
        }
        var report: VerificationReport
        var accepted = 0
        let workingDirectory = FileManager.default.currentDirectoryPath
        do throws(InputError) {
            let baseline = try baseline.map { path throws(InputError) in
                try Baseline.read(path: path, workingDirectory: workingDirectory)
            }
            var run = try VerificationRun(paths: paths, strict: strict, cache: !noCache, keepsGuides: false)
            run.verifier.policyKind = kind.flatMap(PolicyKind.init(attribute:))
            // These formats list every item, example and fact, not only findings.
            run.verifier.needsFullResults = [.json, .junit, .sarif].contains(format) || sarif != nil
            let (verifier, files) = (run.verifier, run.files)
            var verified = try verifier.verify(files)
            if fix {
                let (applied, skipped) = FixApplier.apply(verified)
                var lines = applied.map { "fixed \($0.file):\($0.position.line):\($0.position.column): \($0.message)" }
                lines += skipped.map { "not fixed: \($0)" }
                lines.append("kbtool verify --fix: \(applied.count) fix\(applied.count == 1 ? "" : "es") applied")
                // Machine formats keep stdout to one document; the log goes to stderr.
                let log = lines.joined(separator: "\n") + "\n"
                if format == .human || format == .text {
                    print(log, terminator: "")
                } else {
                    FileHandle.standardError.write(Data(log.utf8))
                }
                if !applied.isEmpty { verified = try verifier.verify(files) }
            }
            verified.configuration += run.configurationFindings
            report = verified
            if let writeBaseline {
                try Self.write(baseline: report, to: writeBaseline, workingDirectory: workingDirectory)
            } else if let baseline {
                (report, accepted) = baseline.apply(to: report, workingDirectory: workingDirectory)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            if format == .json {
                // Tools reading stdout still get one JSON document.
                print(JSONDiagnosticWriter().renderFailure(error.description))
            } else if format == .sarif {
                print(SARIFWriter(toolVersion: KBTool.version, rules: .kbtool).renderFailure(error.description))
            }
            throw ExitCode(2)
        }
        if strict { report.failItemsWithWarnings() }
        if let sarif { try Self.write(sarif: report, to: sarif) }
        print(Self.render(report, format: format, colors: color.enabled()), terminator: "")
        if accepted > 0 {
            // A log line, not part of any document on stdout.
            FileHandle.standardError.write(
                Data(
                    "kbtool verify: \(accepted) finding\(accepted == 1 ? "" : "s") accepted by the baseline \(baseline ?? "")\n"
                        .utf8))
        }
        if writeBaseline != nil { return }
        if report.hasErrors || (strict && report.diagnostics.contains { $0.severity == .warning }) {
            throw ExitCode(1)
        }
    }

    /// `--sarif FILE`: the SARIF document beside whatever `--format` prints.
    static func write(sarif report: VerificationReport, to path: String) throws(ExitCode) {
        do {
            try Data(render(report, format: .sarif, colors: false).utf8).write(
                to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            FileHandle.standardError.write(
                Data("error: cannot write the SARIF file \(path): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Writes the baseline file atomically and says so on stderr (stdout keeps
    /// the report, in whatever format).
    static func write(baseline report: VerificationReport, to path: String, workingDirectory: String) throws(InputError)
    {
        let (text, count) = Baseline.render(report, path: path, workingDirectory: workingDirectory)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(description: "cannot write the baseline \(path): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(
            Data("kbtool verify: wrote \(count) finding\(count == 1 ? "" : "s") to the baseline \(path)\n".utf8))
    }

    /// The whole output for a report. The human form's last line ends with
    /// "N passed, N failed", so a CI log reads like a test run.
    static func render(_ report: VerificationReport, format: OutputFormat, colors: Bool) -> String {
        switch format {
        case .json:
            return JSONDiagnosticWriter().render(
                report.diagnostics, summary: report.summary, examples: report.examples, facts: report.facts,
                blocks: report.blocks, flows: report.flows)
                + "\n"
        case .sarif:
            return SARIFWriter(toolVersion: KBTool.version, rules: .kbtool).render(report)
        case .github:
            return GitHubWriter().render(report, summaryLine: summaryLine(report.summary))
        case .junit:
            return JUnitWriter().render(report)
        case .human, .text:
            let writer = HumanDiagnosticWriter(sources: report.sources, colors: colors)
            // Each guide's cross-account flow, run in the engine: works or not.
            let flows = report.flowSummaries.map { "cross-account flow of \($0.file): \($0.summary)\n" }.joined()
            return writer.render(report.diagnostics) + flows + summaryLine(report.summary) + "\n"
        }
    }

    static func summaryLine(_ summary: DiagnosticSummary) -> String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return "kbtool verify: \(count(summary.files, "file")), \(count(summary.errors, "error")), "
            + "\(count(summary.warnings, "warning")); \(summary.passed) passed, \(summary.failed) failed"
    }
}

/// The files a command names, the configuration that applies to them, and the
/// verifier set up with it: what `verify`, `build` and `serve` share.
struct VerificationRun {
    var configuration: Configuration
    /// Problems in `kbtool.yml`, and rules it names that kbtool does not have.
    var configurationFindings: [Diagnostic]
    var files: [InputFile]
    var verifier: Verifier

    /// `cache`: keep results of unchanged guides in `.kbtool-cache/` at the
    /// configuration's root. `keepsGuides`: parse every guide (to render it).
    /// `analysesKeptGuides`: classify and analyse the guides the cache answered
    /// (off for `build`, whose article cache renders only changed guides).
    init(
        paths: [String], strict: Bool, cache: Bool = true, keepsGuides: Bool = true, analysesKeptGuides: Bool = true
    ) throws(InputError) {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let (configuration, findings) = Configuration.discover(
            paths: paths, workingDirectory: workingDirectory, rules: .kbtool)
        files = try InputCollector.collect(paths).filter { configuration.includes(absolutePath: $0.absolutePath) }
        guard !files.isEmpty else { throw InputError(description: "kbtool.yml excludes every file named") }
        self.configuration = configuration
        configurationFindings = findings
        verifier = Verifier(strict: strict, configuration: configuration)
        verifier.keepsGuides = keepsGuides
        verifier.analysesKeptGuides = analysesKeptGuides
        if cache { verifier.cacheFolder = (configuration.root as NSString).appendingPathComponent(".kbtool-cache") }
    }

    /// The paths a command checks: those named, else kbtool.yml's `paths` (in
    /// the working directory), else `content`.
    static func defaultPaths(_ named: [String]) -> [String] {
        guard named.isEmpty else { return named }
        let workingDirectory = FileManager.default.currentDirectoryPath
        let configured = KnowledgeBases.configured(workingDirectory: workingDirectory)
        return configured.isEmpty ? ["content"] : configured
    }

    /// Verifies the files, configuration findings included.
    func report() throws(InputError) -> VerificationReport {
        var report = try verifier.verify(files)
        report.configuration += configurationFindings
        return report
    }
}
