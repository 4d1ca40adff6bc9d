import KBJSON

/// The `--output` formats of the AWS CLI that kbtool reproduces.
public enum CLIOutputFormat: String, Sendable, CaseIterable {
    case json, text, table
}

/// Prints a command's result the way AWS CLI v2 prints it, so that the transcripts
/// in guides can be checked byte for byte against what kbtool's emulated AWS answers.
///
/// The CLI parses a response into Python objects and hands them to its formatters;
/// each format here follows the behaviour of one of them (json.dump, awscli's text
/// and table modules), quirks included, as recorded in `scripts/cli-output-cases`.
public enum CLIOutput {
    /// `title` is the operation name (e.g. "DescribeKey"), used by table output.
    ///
    /// Results the CLI fails on while formatting (a table with rows of different
    /// lengths, text for a list mixing objects with other values) give what had reached
    /// stdout when it failed; the CLI's error message goes to stderr, not here.
    public static func render(_ value: JSONValue, format: CLIOutputFormat, title: String) -> String {
        let result = PyValue(value)
        switch format {
        case .json:
            // The CLI prints nothing for `{}`: that is how operations without a body answer.
            if case .dict(let members) = result, members.isEmpty { return "" }
            return json(result)
        case .text:
            return TextOutput.render(result)
        case .table:
            return TableOutput.render(result, title: title)
        }
    }

    /// JSON as AWS CLI v2 prints it: Python json.dumps(indent=4, ensure_ascii=False)
    /// followed by a newline; key order kept; `{}`/`[]` when empty.
    ///
    /// `render` differs in one respect: for a top-level `{}` the CLI prints nothing.
    public static func json(_ value: JSONValue) -> String {
        json(PyValue(value))
    }

    static func json(_ value: PyValue) -> String {
        var out = ""
        writeJSON(value, depth: 0, into: &out)
        out += "\n"
        return out
    }

    private static func writeJSON(_ value: PyValue, depth: Int, into out: inout String) {
        let inner = String(repeating: " ", count: 4 * (depth + 1))
        switch value {
        case .dict(let members) where members.isEmpty: out += "{}"
        case .list(let elements) where elements.isEmpty: out += "[]"
        case .dict(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                out += (index == 0 ? "\n" : ",\n") + inner
                writeJSONString(member.key, into: &out)
                out += ": "
                writeJSON(member.value, depth: depth + 1, into: &out)
            }
            out += "\n" + String(repeating: " ", count: 4 * depth) + "}"
        case .list(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                out += (index == 0 ? "\n" : ",\n") + inner
                writeJSON(element, depth: depth + 1, into: &out)
            }
            out += "\n" + String(repeating: " ", count: 4 * depth) + "]"
        case .str(let string): writeJSONString(string, into: &out)
        case .number(let literal): out += literal
        case .bool(let bool): out += bool ? "true" : "false"
        case .none: out += "null"
        }
    }

    /// With ensure_ascii=False Python escapes only the quote, the backslash and the
    /// C0 controls; everything else, DEL and non-ASCII included, is written as is.
    private static func writeJSONString(_ string: String, into out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += "\\u" + hex(scalar.value, digits: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// Lower-case hex, zero-padded to `digits`, as Python writes escapes.
func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
}
