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

    @Argument(help: "Guides (*.md, *.mdx) or folders of them.")
    var paths: [String] = ["content"]

    @Option(help: "Output format: human (or text), json, sarif, github or junit.")
    var format: OutputFormat = .human

    @Option(help: "Colour human output: auto, always or never. auto respects NO_COLOR.")
    var color: ColorChoice = .auto

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
        var report: VerificationReport
        do throws(InputError) {
            var run = try VerificationRun(paths: paths, strict: strict, cache: !noCache, keepsGuides: false)
            run.verifier.policyKind = kind.flatMap(PolicyKind.init(attribute:))
            // These formats list every item, example and fact, not only findings.
            run.verifier.needsFullResults = [.json, .junit, .sarif].contains(format)
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
            verified.diagnostics += run.configurationFindings
            report = verified
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            if format == .json {
                // Tools reading stdout still get one JSON document.
                print(JSONDiagnosticWriter().renderFailure(error.description))
            } else if format == .sarif {
                print(SARIFWriter(toolVersion: KBTool.version).renderFailure(error.description))
            }
            throw ExitCode(2)
        }
        if strict {
            // Under --strict a warning fails its item too, so reports agree with the exit status.
            for index in report.items.indices
            where report.items[index].findings.contains(where: { $0.severity == .warning }) {
                report.items[index].passed = false
            }
        }
        print(Self.render(report, format: format, colors: color.enabled()), terminator: "")
        if report.hasErrors || (strict && report.diagnostics.contains { $0.severity == .warning }) {
            throw ExitCode(1)
        }
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
            return SARIFWriter(toolVersion: KBTool.version).render(report)
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

    /// Rules named in kbtool.yml that kbtool does not have: a typo silences nothing.
    static func unknownRules(_ configuration: Configuration) -> [Diagnostic] {
        configuration.ruleEntries.compactMap { entry in
            guard RuleCatalog.rules[entry.rule] == nil else { return nil }
            let suggestion = Suggestion.closest(to: entry.rule, in: RuleCatalog.rules.keys)
            return Diagnostic(
                .warning, .configuration, "kbtool has no rule '\(entry.rule)'", at: entry.range,
                notes: suggestion.map { ["did you mean '\($0)'?"] } ?? ["`kbtool explain` lists the rules"])
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
    init(paths: [String], strict: Bool, cache: Bool = true, keepsGuides: Bool = true) throws(InputError) {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let (configuration, findings) = Configuration.discover(paths: paths, workingDirectory: workingDirectory)
        files = try InputCollector.collect(paths).filter { configuration.includes(absolutePath: $0.absolutePath) }
        guard !files.isEmpty else { throw InputError(description: "kbtool.yml excludes every file named") }
        self.configuration = configuration
        configurationFindings = findings + VerifyCommand.unknownRules(configuration)
        verifier = Verifier(strict: strict, configuration: configuration)
        verifier.keepsGuides = keepsGuides
        if cache { verifier.cacheFolder = (configuration.root as NSString).appendingPathComponent(".kbtool-cache") }
    }

    /// Verifies the files, configuration findings included.
    func report() throws(InputError) -> VerificationReport {
        var report = try verifier.verify(files)
        report.diagnostics += configurationFindings
        return report
    }
}
