import ArgumentParser
import Foundation
import KBAnalysis
import KBChecks
import KBDiagnostics
import KBGuide
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

    @OptionGroup var colorOption: ColorOption
    var color: ColorChoice { colorOption.color }

    @Flag(help: "Fail on warnings too, and treat transcript commands kbtool cannot run as errors.")
    var strict = false

    @Flag(help: "Apply the unambiguous fixes (a missing comma, a letter's case) to the files, then verify again.")
    var fix = false

    @Flag(help: "Check every guide again, ignoring and not writing .kbtool-cache/.")
    var noCache = false

    public init() {}

    public func run() throws {
        var report: VerificationReport
        do throws(InputError) {
            var run = try VerificationRun(paths: paths, strict: strict, cache: !noCache, keepsGuides: false)
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
            verified.configuration += run.configurationFindings
            report = verified
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
    init(paths: [String], strict: Bool, cache: Bool = true, keepsGuides: Bool = true) throws(InputError) {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let (configuration, findings) = Configuration.discover(
            paths: paths, workingDirectory: workingDirectory, rules: .kbtool)
        files = try InputCollector.collect(paths).filter { configuration.includes(absolutePath: $0.absolutePath) }
        guard !files.isEmpty else { throw InputError(description: "kbtool.yml excludes every file named") }
        self.configuration = configuration
        configurationFindings = findings
        verifier = Verifier(strict: strict, configuration: configuration)
        verifier.keepsGuides = keepsGuides
        if cache { verifier.cacheFolder = (configuration.root as NSString).appendingPathComponent(".kbtool-cache") }
    }

    /// Verifies the files, configuration findings included.
    func report() throws(InputError) -> VerificationReport {
        var report = try verifier.verify(files)
        report.configuration += configurationFindings
        return report
    }
}
