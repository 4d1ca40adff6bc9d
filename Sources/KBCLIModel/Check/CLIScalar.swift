import Foundation
import KBPolicyLint

/// One scalar value as the CLI converts it: Python's `int()` and `float()` for
/// numbers, `true`/`false` for booleans in shorthand, and the model's enum
/// values (which the service enforces). Placeholders are values, never errors.
enum CLIScalar {
    /// What is wrong with `text` as a value of `type`, or nil.
    static func problem(_ text: String, _ type: CLIValueType, option: String) -> String? {
        switch type {
        case .integer, .long, .float, .double, .boolean, .enumeration: break
        // Any text is a string, a blob or a timestamp to the CLI: nothing to convert.
        default: return nil
        }
        if case .enumeration(let values) = type, !values.contains(text), !text.contains("$"), !text.contains("<"),
            let close = CLIModel.closest(to: text, in: values)
        {
            // A near miss of a listed value is a typo, even when it is shouted like a placeholder.
            return "'\(text.prefix(60))' is not a valid value for \(option) (did you mean '\(close)'?)"
        }
        guard !isPlaceholder(text) else { return nil }
        switch type {
        case .integer, .long:
            guard parsesAsInteger(text) else { return "\(option) takes an integer, not '\(text.prefix(60))'" }
        case .float, .double:
            guard parsesAsFloat(text) else { return "\(option) takes a number, not '\(text.prefix(60))'" }
        case .boolean:
            let lowered = text.lowercased()
            guard lowered == "true" || lowered == "false" else {
                return "\(option) takes true or false, not '\(text.prefix(60))'"
            }
        case .enumeration(let values):
            guard !values.contains(text) else { return nil }
            return "'\(text.prefix(60))' is not a valid value for \(option): it takes \(ValueShapeCheck.list(values))"
        default:
            return nil
        }
        return nil
    }

    /// Python's `int()`: optional spaces and sign, digits with single
    /// underscores between them.
    static func parsesAsInteger(_ text: String) -> Bool {
        var scalars = Array(text.trimmingSpaces.unicodeScalars)[...]
        if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
        guard let first = scalars.first, let last = scalars.last, first != "_", last != "_" else { return false }
        var previous: Unicode.Scalar = " "
        for scalar in scalars {
            guard ("0"..."9").contains(scalar) || (scalar == "_" && previous != "_") else { return false }
            previous = scalar
        }
        return true
    }

    /// Python's `float()`: a decimal or exponent number, `inf` or `nan`.
    static func parsesAsFloat(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces.replacingOccurrences(of: "_", with: "")
        if ["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"].contains(
            trimmed.lowercased())
        {
            return true
        }
        return !trimmed.isEmpty && Double(trimmed) != nil
            && trimmed.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || "+-.eE".unicodeScalars.contains($0) }
    }

    /// A JSON number literal with no fraction or exponent.
    static func isIntegerLiteral(_ literal: String) -> Bool {
        !literal.contains(".") && !literal.contains("e") && !literal.contains("E")
    }

    /// A stand-in for a real value: `<bucket>`, `${ACCOUNT_ID}`, `KEY_SPEC`,
    /// `your-key-id`, `...`, or words that name what belongs there.
    static func isPlaceholder(_ text: String) -> Bool {
        if text.contains("...") || text.contains("…") || text.contains("<") || text.contains("{")
            || text.contains("$")
        {
            return true
        }
        if !Placeholders.find(in: text).isEmpty { return true }
        // Shouted words naming what goes there (KEY_SPEC, NUMBER_OF_DAYS, POLICY-NAME).
        let words = text.split(whereSeparator: { $0 == "_" || $0 == "-" }).map(String.init)
        let shouted = text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || "_-".unicodeScalars.contains($0) }
        let naming: Set<String> = [
            "SPEC", "TYPE", "VALUE", "NUMBER", "NAME", "ID", "ARN", "EXAMPLE", "YOUR", "MY", "PLACEHOLDER", "KEY",
            "DAYS", "COUNT", "SIZE", "STATUS", "MODE", "ALGORITHM", "CLASS", "STATE", "OPTION", "REPLACE", "LEVEL",
        ]
        if shouted, words.contains(where: naming.contains) { return true }
        let lowered = text.lowercased()
        return lowered.hasPrefix("your") || lowered.hasPrefix("my-") || lowered.hasPrefix("example")
            || lowered.contains("placeholder") || lowered == "string" || lowered == "integer" || lowered == "value"
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
