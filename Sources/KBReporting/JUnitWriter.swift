import KBChecks
import KBDiagnostics

/// JUnit XML, for CI test dashboards: one test suite per file, one test case per
/// checked item (a JSON block, a transcript command, a fact, a guide's prose
/// checks), failed when an error decided it.
public struct JUnitWriter: Sendable {
    public init() {}

    public func render(_ report: VerificationReport) -> String {
        var byFile: [String: [CheckedItem]] = [:]
        var order: [String] = []
        for item in report.items {
            if byFile[item.range.file] == nil { order.append(item.range.file) }
            byFile[item.range.file, default: []].append(item)
        }
        let total = report.items.count
        let failures = report.items.filter { !$0.passed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"kbtool verify\" tests=\"\(total)\" failures=\"\(failures)\">\n"
        for file in order {
            let items = byFile[file]!
            out +=
                "  <testsuite name=\"\(Self.escape(file))\" tests=\"\(items.count)\" failures=\"\(items.filter { !$0.passed }.count)\">\n"
            for item in items {
                let name = "line \(item.range.start.line): \(item.name)"
                out += "    <testcase classname=\"\(Self.escape(file))\" name=\"\(Self.escape(name))\""
                guard !item.passed else {
                    out += "/>\n"
                    continue
                }
                let errors = item.findings.filter { $0.severity == .error }
                let detail = errors.map { diagnostic in
                    "\(diagnostic.range.file):\(diagnostic.range.start.line):\(diagnostic.range.start.column): \(diagnostic.message) [\(diagnostic.rule)]"
                        + diagnostic.notes.map { "\n  help: \($0)" }.joined()
                }.joined(separator: "\n")
                out += ">\n      <failure message=\"\(Self.escape(errors.first?.message ?? "failed"))\">"
                out += Self.escape(detail) + "</failure>\n    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// XML text and attribute escaping; characters XML 1.0 forbids are replaced.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || (0xFFFE...0xFFFF).contains(value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
