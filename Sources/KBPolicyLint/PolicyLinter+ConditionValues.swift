import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyIPRange = Rule(
        "policy-ip-range", .note,
        summary: "A CIDR block has bits set past its mask, or `aws:SourceIp` mixes private addresses with public ones.",
        why:
            "The extra bits are ignored, so the block is wider than it reads; private addresses never match `aws:SourceIp`.",
        fix: "Write the block as the fix shows; compare private addresses with `aws:VpcSourceIp`.",
        example: "the bits of '203.0.113.77/24' after the /24 mask are ignored: write 203.0.113.0/24")

    public static let policyEmpty = Rule(
        "policy-empty", .note,
        summary: "An element is empty: no actions, resources, principals, condition values, conditions or Sid text.",
        why:
            "A statement with an empty Action, Resource or Principal never applies; an empty condition list holds or fails only by the operator's rule for missing keys.",
        fix: "Fill the element or remove it.",
        example: "'Action' is empty: the statement never applies")

    public static let policyVariable = Rule(
        "policy-variable", .error,
        summary:
            "A policy variable is malformed (no closing brace, empty, a space in its name, an unquoted default) or used where IAM does not substitute it.",
        why:
            "Variables work only in `Resource` and in String and Arn condition values, under Version 2012-10-17; elsewhere `${aws:username}` is plain text and matches nothing.",
        fix:
            "Write `${aws:username}` whole, with a default as `${aws:PrincipalTag/team, 'none'}`, only where IAM substitutes it.",
        example:
            "'${aws:username}' is not substituted here: policy variables work only in Resource and in Condition values")

    public static let policyConditionValueInvalid = Rule(
        "policy-condition-value-invalid", .error,
        summary:
            "A condition value cannot be one its key takes: two booleans, a malformed Region, service principal, VPC or VPC endpoint id, or only private addresses for `aws:SourceIp`.",
        why:
            "The condition never holds as meant (`aws:SourceIp` never carries a private address), so a guard is off or a grant unusable.",
        fix:
            "Write the value in the key's form: `us-east-1`, `athena.amazonaws.com`, `vpc-1a2b3c4d`; compare private addresses with `aws:VpcSourceIp`.",
        example: "'athena' is not a service principal; write it as SERVICE.amazonaws.com")
}

extension PolicyLinter {
    /// Values the operator cannot compare: a malformed date, number, address or
    /// boolean (the analyzer's "Type mismatch" warnings), an epoch date, a policy
    /// variable under an operator that does not substitute it.
    mutating func checkValues(_ condition: Condition, op: ConditionOperator) {
        for value in condition.values {
            let text = value.value
            if text.containsVariableOpening, Placeholders.find(in: text).isEmpty {
                if op.base.family != .string && op.base.family != .arn {
                    report(
                        .error, .policyVariable,
                        "policy variables are substituted only under String and Arn operators, not \(op.base.rawValue)",
                        at: value.range)
                }
                continue
            }
            let problem: String?
            switch op.base.family {
            case .numeric:
                problem = Double(text) == nil ? "'\(text)' is not a number" : nil
            case .date:
                if Double(text) != nil, !text.contains("-") {
                    report(
                        .warning, .policyConditionValue,
                        "'\(text)' is read as epoch seconds, which may not resolve to the time you mean; write the date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ",
                        at: value.range)
                    problem = nil
                } else {
                    problem =
                        Self.isDate(text)
                        ? nil : "'\(text)' is not a date (use ISO 8601 such as 2026-01-31T00:00:00Z, or epoch seconds)"
                }
            case .bool:
                problem = ["true", "false"].contains(text.lowercased()) ? nil : "'\(text)' is not true or false"
            case .ip:
                problem = Self.isNetwork(text) ? nil : "'\(text)' is not an IP address or CIDR block"
            case .null:
                problem =
                    ["true", "false"].contains(text.lowercased())
                    ? nil : "Null takes true (key absent) or false (key present)"
            case .arn:
                problem = text.hasPrefix("arn:") || text.hasPrefix("*") ? nil : "'\(text)' is not an ARN"
            case .binary:
                problem = Self.isBase64(text) ? nil : "'\(text)' is not base64"
            case .string:
                problem = nil
            }
            if let problem {
                report(.warning, .policyConditionValue, problem + " for \(op.base.rawValue)", at: value.range)
            }
        }
    }

    static func isDate(_ text: String) -> Bool { EvaluationProbe.date(text) }
    static func isNetwork(_ text: String) -> Bool { EvaluationProbe.network(text) }

    static func isBase64(_ text: String) -> Bool {
        guard text.utf8.count % 4 == 0 else { return false }
        let body = text.utf8.reversed().drop { $0 == UInt8(ascii: "=") }
        return text.utf8.count - body.count <= 2
            && body.allSatisfy { byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
            }
    }

    /// Values some keys must have the shape of (the analyzer's value errors):
    /// Regions, service principals, VPC and endpoint ids, public addresses, a
    /// single boolean; and numeric bounds where one value would do.
    mutating func checkValueFormats(_ condition: Condition, op: ConditionOperator) {
        let key = condition.key.value.lowercased()
        guard op.base != .null else { return }
        let literals = condition.values.filter { !$0.value.containsVariableOpening && !Wildcard.isPattern($0.value) }
        func invalid(_ value: Located<String>, _ message: String) {
            report(.error, .policyConditionValueInvalid, message, at: value.range)
        }
        if op.base == .bool, Set(condition.values.map { $0.value.lowercased() }).count > 1 {
            invalid(condition.values[1], "'\(condition.key.value)' holds one boolean: give true or false, not both")
        }
        switch key {
        case "aws:requestedregion":
            for value in literals where !Self.isRegion(value.value) {
                invalid(value, "'\(value.value)' is not an AWS Region")
            }
        case "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:principalservicename",
            "aws:principalservicenameslist":
            for value in literals where !Self.isServicePrincipal(value.value) {
                invalid(value, "'\(value.value)' is not a service principal; write it as SERVICE.amazonaws.com")
            }
        case "kms:viaservice":
            for value in literals
            where !Self.isServicePrincipal(value.value) || value.value.split(separator: ".").count < 4 {
                invalid(
                    value,
                    "'\(value.value)' is not a service endpoint; kms:ViaService takes SERVICE.REGION.amazonaws.com")
            }
        case "aws:sourcevpc":
            for value in literals where !Self.isResourceID(value.value, prefix: "vpc-") {
                invalid(value, "'\(value.value)' is not a VPC id: vpc- and 8 or 17 letters and digits")
            }
        case "aws:sourcevpce":
            for value in literals where !Self.isResourceID(value.value, prefix: "vpce-") {
                invalid(value, "'\(value.value)' is not a VPC endpoint id: vpce- and 8 or 17 letters and digits")
            }
        default:
            break
        }
        if op.base.family == .ip { checkAddresses(condition, op: op) }
        if op.base.family == .numeric { checkNumericBounds(condition, op: op) }
    }

    static func isServicePrincipal(_ text: String) -> Bool {
        let lowered = text.lowercased()
        guard lowered == text, lowered.hasSuffix(".amazonaws.com") || lowered.hasSuffix(".amazonaws.com.cn") else {
            return false
        }
        return lowered.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E
        }
    }

    static func isResourceID(_ text: String, prefix: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let rest = text.dropFirst(prefix.count)
        return (rest.count == 8 || rest.count == 17) && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// aws:SourceIp sees public addresses only; host bits past the prefix are ignored.
    mutating func checkAddresses(_ condition: Condition, op: ConditionOperator) {
        let parsed = condition.values.compactMap { value in
            EvaluationProbe.networkParts(value.value).map { (value, $0) }
        }
        for (value, network) in parsed {
            let masked = Self.masked(network.bytes, prefix: network.prefix)
            if masked != network.bytes {
                let address = Self.format(masked, prefix: network.prefix)
                report(
                    .note, .policyIPRange,
                    "the bits of '\(value.value)' after the /\(network.prefix) mask are ignored: write \(address)",
                    at: value.range, fix: (value.range, "\"\(address)\"", "write \(address)"))
            }
        }
        guard condition.key.value.lowercased() == "aws:sourceip", !parsed.isEmpty else { return }
        let privates = parsed.filter { Self.isPrivate($0.1.bytes) }
        if privates.count == parsed.count {
            report(
                .error, .policyConditionValueInvalid,
                "aws:SourceIp holds public addresses only, and every address here is private: "
                    + (op.base.isNegated ? "the condition always holds" : "the condition never holds"),
                at: condition.key.range,
                notes: ["for requests through a VPC endpoint, compare aws:VpcSourceIp instead"])
        } else if !privates.isEmpty {
            for (value, _) in privates {
                report(
                    .note, .policyIPRange,
                    "'\(value.value)' is a private address, which aws:SourceIp never holds; compare aws:VpcSourceIp for those",
                    at: value.range)
            }
        }
    }

    static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(prefix - index * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(0xFF >> UInt8(bits))
        }
    }

    static func format(_ bytes: [UInt8], prefix: Int) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") + "/\(prefix)" }
        let groups = stride(from: 0, to: 16, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "/\(prefix)"
    }

    /// RFC 1918, loopback, link-local and unique local addresses.
    static func isPrivate(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 {
            return bytes[0] == 10 || bytes[0] == 127 || (bytes[0] == 172 && (16...31).contains(bytes[1]))
                || (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 169 && bytes[1] == 254)
        }
        return bytes[0] & 0xFE == 0xFC || (bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80)
            || (bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1)
    }

    /// `NumericLessThan: [2700, 3600]` is `NumericLessThan: 3600`.
    mutating func checkNumericBounds(_ condition: Condition, op: ConditionOperator) {
        let below: Bool
        switch op.base {
        case .numericLessThan, .numericLessThanEquals: below = true
        case .numericGreaterThan, .numericGreaterThanEquals: below = false
        default: return
        }
        let numbers = condition.values.compactMap { value in Double(value.value).map { (value, $0) } }
        guard numbers.count > 1, let bound = (below ? numbers.max { $0.1 < $1.1 } : numbers.min { $0.1 < $1.1 }) else {
            return
        }
        for (value, number) in numbers where number != bound.1 {
            report(
                .note, .policyRedundant,
                "'\(value.value)' is redundant: with \(op.base.rawValue) the \(below ? "greatest" : "least") value, \(bound.0.value), decides alone",
                at: value.range, related: [(bound.0.range, "'\(bound.0.value)' is here")])
        }
    }

    /// Empty value lists: the condition's meaning then hangs on the operator alone.
    mutating func checkEmptyValues(_ condition: Condition, op: ConditionOperator) {
        guard condition.values.isEmpty else { return }
        let message: String
        switch (op.qualifier, op.ifExists) {
        case (.forAllValues, _):
            message =
                "ForAllValues with no values holds only when the request has no '\(condition.key.value)': say that with Null true"
        case (.forAnyValue, _):
            message = "ForAnyValue with no values never holds: the statement never applies"
        case (nil, true):
            message =
                "IfExists with no values holds only when the request has no '\(condition.key.value)': say that with Null true"
        case (nil, false):
            message = "'\(condition.key.value)' has no values to compare: give values, or remove it"
        }
        report(.note, .policyEmpty, message, at: condition.key.range)
    }
}
