import ArgumentParser
import Foundation
import KBChecks
import KBDiagnostics

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

    @Option(help: "Output format: human or json (one JSON document).")
    var format: OutputFormat = .human

    @Option(help: "Colour human output: auto, always or never. auto respects NO_COLOR.")
    var color: ColorChoice = .auto

    @Flag(help: "Treat transcript commands kbtool cannot run as errors, not notes.")
    var strict = false

    public init() {}

    public func run() throws {
        let report: VerificationReport
        do {
            let files = try InputCollector.collect(paths)
            report = try Verifier(strict: strict).verify(files)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            if format == .json {
                // Tools reading stdout still get one JSON document.
                print(JSONDiagnosticWriter().renderFailure(error.description))
            }
            throw ExitCode(2)
        }
        print(Self.render(report, format: format, colors: color.enabled()), terminator: "")
        if report.hasErrors { throw ExitCode(1) }
    }

    /// The whole output for a report. The human form's last line ends with
    /// "N passed, N failed", so a CI log reads like a test run.
    static func render(_ report: VerificationReport, format: OutputFormat, colors: Bool) -> String {
        switch format {
        case .json:
            return JSONDiagnosticWriter().render(report.diagnostics, summary: report.summary, examples: report.examples)
                + "\n"
        case .human:
            let writer = HumanDiagnosticWriter(sources: report.sources, colors: colors)
            return writer.render(report.diagnostics) + summaryLine(report.summary) + "\n"
        }
    }

    static func summaryLine(_ summary: DiagnosticSummary) -> String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return "kbtool verify: \(count(summary.files, "file")), \(count(summary.errors, "error")), "
            + "\(count(summary.warnings, "warning")); \(summary.passed) passed, \(summary.failed) failed"
    }
}
