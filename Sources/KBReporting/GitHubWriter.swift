import Foundation
import KBChecks
import KBDiagnostics

/// GitHub Actions workflow commands (`::error file=…,line=…::message`), which
/// GitHub turns into annotations on the diff. A step shows at most ten
/// annotations of each kind, so the rest are counted in one summary line.
public struct GitHubWriter: Sendable {
    public static let annotationLimit = 10

    public init() {}

    public func render(_ report: VerificationReport, summaryLine: String) -> String {
        var out = ""
        var shown: [Severity: Int] = [:]
        var hidden = 0
        for diagnostic in Diagnostic.sortedForOutput(report.diagnostics) {
            guard shown[diagnostic.severity, default: 0] < Self.annotationLimit else {
                hidden += 1
                continue
            }
            shown[diagnostic.severity, default: 0] += 1
            let command: String
            switch diagnostic.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            let range = diagnostic.range
            var properties = [
                "file=\(Self.property(range.file))", "line=\(range.start.line)", "col=\(range.start.column)",
            ]
            if range.end.line >= range.start.line {
                properties += ["endLine=\(range.end.line)"]
                if range.end.line == range.start.line { properties += ["endColumn=\(range.end.column)"] }
            }
            properties.append("title=\(Self.property("kbtool \(diagnostic.rule.rawValue)"))")
            let message = ([diagnostic.message] + diagnostic.notes.map { "help: \($0)" }).joined(separator: "\n")
            out += "::\(command) \(properties.joined(separator: ","))::\(Self.data(message))\n"
        }
        if hidden > 0 {
            out +=
                "::warning title=kbtool::\(hidden) more finding\(hidden == 1 ? "" : "s") not shown as annotations (GitHub shows ten of each kind); run kbtool verify locally for all of them\n"
        }
        return out + summaryLine + "\n"
    }

    /// Escapes a message: `%`, CR and LF.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a property value: also `:` and `,`.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
