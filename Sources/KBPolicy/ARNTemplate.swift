/// An ARN template from the Service Authorization Reference, such as
/// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`, and the question policy
/// checks ask of it: could a resource pattern written in a policy name a resource
/// of this type?
///
/// Variables stand for at least one character. Only the template's last variable
/// may contain `/` or `:` (object keys, role paths, Lambda qualifiers), and not
/// when it names something atomic such as a bucket or a key id: that is what tells
/// `arn:aws:s3:::bucket/*` (objects) from a bucket. A variable that names a path
/// (`${LogGroupName}`, `${…Path…}`) may contain `/` wherever it stands.
public struct ARNTemplate: Sendable {
    enum Part: Equatable {
        case literal(Unicode.Scalar)
        /// A variable; `free` when it may contain `/` and `:`.
        case variable(free: Bool)
        /// A variable that may contain `/` but not `:` (a log group's name).
        case path
    }

    /// Whether a variable's name says its values hold slashes.
    static func isPath(_ name: String) -> Bool { name == "LogGroupName" || name.containsBytes("Path") }

    let parts: [Part]
    /// The literal text before the first variable, as bytes: a pattern whose own
    /// literal start disagrees with it cannot overlap (most types are ruled out so).
    let head: [UInt8]

    /// Last-position variables that still cannot contain `/` or `:`.
    static let atomicNames: Set<String> = [
        "BucketName", "KeyId", "AccessPointName", "AccessPointAlias", "JobId", "AwsUserName", "RoleName",
        "RoleSessionName", "ConfigId", "Account", "Region", "Partition",
    ]

    public init(_ template: String) {
        var parts: [Part] = []
        var lastName = ""
        let bytes = Array(template.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            // Every template is ASCII: read it byte by byte.
            parts.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{"),
                    let close = bytes[index...].firstIndex(of: UInt8(ascii: "}"))
                {
                    lastName = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
                    parts.append(Self.isPath(lastName) ? .path : .variable(free: false))
                    index = close + 1
                } else {
                    parts.append(.literal(Unicode.Scalar(bytes[index])))
                    index += 1
                }
            }
            self.init(parts: parts, lastName: lastName)
            return
        }
        var scalars = Substring(template).unicodeScalars
        while let scalar = scalars.first {
            if scalar == "$", scalars.dropFirst().first == "{", let close = scalars.firstIndex(of: "}") {
                lastName = String(
                    String.UnicodeScalarView(scalars[scalars.index(scalars.startIndex, offsetBy: 2)..<close]))
                parts.append(Self.isPath(lastName) ? .path : .variable(free: false))
                scalars = scalars[scalars.index(after: close)...]
            } else {
                parts.append(.literal(scalar))
                scalars.removeFirst()
            }
        }
        self.init(parts: parts, lastName: lastName)
    }

    private init(parts: [Part], lastName: String) {
        var parts = parts
        if let last = parts.lastIndex(where: { $0 != .literal("/") && $0 != .literal(":") }),
            parts[last] == .variable(free: false) || parts[last] == .path, !Self.atomicNames.contains(lastName)
        {
            parts[last] = .variable(free: true)
        }
        self.parts = parts
        var head: [UInt8] = []
        for part in parts {
            guard case .literal(let scalar) = part, scalar.isASCII else { break }
            head.append(UInt8(scalar.value))
        }
        self.head = head
    }

    /// Whether the pattern's literal start and the template's agree as far as both go.
    func headsAgree(_ pattern: [UInt8]) -> Bool {
        var index = 0
        for byte in pattern {
            if index == head.count || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?")
                || byte == UInt8(ascii: "$")
            {
                return true
            }
            if byte != head[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether some resource matches both this template and the policy pattern
    /// (`*` and `?` wildcards; policy variables count as `*`). Runs a breadth-first
    /// search over the product of the two automata: polynomial, never exponential.
    public func overlaps(pattern: String) -> Bool {
        overlaps(Pattern(pattern))
    }

    /// A resource pattern from a policy, read once: one pattern is compared with
    /// every ARN format of a service.
    public struct Pattern: Sendable {
        let bytes: [UInt8]
        /// Neither a wildcard nor a variable: most ARNs in policies.
        let isLiteral: Bool
        let tokens: [Wildcard.Token]

        public init(_ pattern: String) {
            bytes = Array(pattern.utf8)
            isLiteral = !bytes.contains {
                $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "$")
            }
            tokens = ARNTemplate.patternTokens(pattern, bytes: bytes)
        }
    }

    public func overlaps(_ pattern: Pattern) -> Bool {
        guard headsAgree(pattern.bytes) else { return false }
        if pattern.isLiteral, let literal = matchesLiteral(pattern.bytes) { return literal }
        let tokens = pattern.tokens
        struct State: Hashable {
            var p: Int
            var t: Int
            /// Inside template variable `t` with at least one character consumed.
            var inVariable: Bool
        }
        // Visited states in a flat table indexed by (p, t, inVariable).
        let width = parts.count + 1
        var seenTable = [Bool](repeating: false, count: (tokens.count + 1) * width * 2)
        func firstVisit(_ state: State) -> Bool {
            let slot = ((state.p * width) + state.t) * 2 + (state.inVariable ? 1 : 0)
            if seenTable[slot] { return false }
            seenTable[slot] = true
            return true
        }
        var queue = [State(p: 0, t: 0, inVariable: false)]
        while let state = queue.popLast() {
            guard firstVisit(state) else { continue }
            // Moves that consume nothing: a `*` matching empty, a variable ending.
            if state.p < tokens.count, tokens[state.p] == .anyRun {
                queue.append(State(p: state.p + 1, t: state.t, inVariable: state.inVariable))
            }
            if state.inVariable {
                queue.append(State(p: state.p, t: state.t + 1, inVariable: false))
            }
            if state.p == tokens.count, state.t == parts.count, !state.inVariable { return true }
            guard state.t < parts.count || state.inVariable else { continue }
            // What the template accepts next.
            let templatePart: Part =
                state.inVariable ? parts[state.t] : (state.t < parts.count ? parts[state.t] : .literal("\0"))
            guard state.p < tokens.count else { continue }
            let token = tokens[state.p]
            let nextP = token == .anyRun ? state.p : state.p + 1
            switch templatePart {
            case .literal(let scalar):
                guard !state.inVariable else { continue }
                let accepts: Bool
                switch token {
                case .literal(let c): accepts = c == scalar
                case .anyOne, .anyRun: accepts = true
                }
                if accepts { queue.append(State(p: nextP, t: state.t + 1, inVariable: false)) }
            case .variable(let free):
                let accepts: Bool
                switch token {
                case .literal(let c): accepts = free || (c != "/" && c != ":")
                case .anyOne, .anyRun: accepts = true
                }
                if accepts { queue.append(State(p: nextP, t: state.t, inVariable: true)) }
            case .path:
                let accepts: Bool
                switch token {
                case .literal(let c): accepts = c != ":"
                case .anyOne, .anyRun: accepts = true
                }
                if accepts { queue.append(State(p: nextP, t: state.t, inVariable: true)) }
            }
        }
        return false
    }

    /// For a pattern without wildcards or variables (most ARNs in policies), a
    /// direct match: a variable that cannot hold `/` or `:` ends at the next one.
    /// Nil when the template is too ambiguous for that, and the search decides.
    func matchesLiteral(_ text: [UInt8]) -> Bool? {
        var t = 0
        for (index, part) in parts.enumerated() {
            switch part {
            case .literal(let scalar):
                guard scalar.isASCII else { return nil }
                guard t < text.count, text[t] == UInt8(scalar.value) else { return false }
                t += 1
            case .path:
                return nil
            case .variable(let free):
                if free {
                    guard index == parts.count - 1 else { return nil }
                    return t < text.count
                }
                let next = index + 1 < parts.count ? parts[index + 1] : nil
                guard next == nil || next == .literal("/") || next == .literal(":") else { return nil }
                let start = t
                while t < text.count, text[t] != UInt8(ascii: "/"), text[t] != UInt8(ascii: ":") { t += 1 }
                guard t > start else { return false }
            }
        }
        return t == text.count
    }

    static func patternTokens(_ pattern: String, bytes: [UInt8]) -> [Wildcard.Token] {
        // A policy variable stands for some value: treat it as `*`.
        if bytes.allSatisfy({ $0 < 0x80 }) {
            var tokens: [Wildcard.Token] = []
            tokens.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{"),
                    let close = bytes[index...].firstIndex(of: UInt8(ascii: "}"))
                {
                    tokens.append(.anyRun)
                    index = close + 1
                    continue
                }
                tokens.append(
                    byte == UInt8(ascii: "*")
                        ? .anyRun : byte == UInt8(ascii: "?") ? .anyOne : .literal(Unicode.Scalar(byte)))
                index += 1
            }
            return tokens
        }
        var text = Substring(pattern)
        var tokens: [Wildcard.Token] = []
        while let scalar = text.unicodeScalars.first {
            if scalar == "$", text.dropFirst().first == "{", let close = text.firstIndex(of: "}") {
                tokens.append(.anyRun)
                text = text[text.index(after: close)...]
                continue
            }
            tokens.append(scalar == "*" ? .anyRun : scalar == "?" ? .anyOne : .literal(scalar))
            text = Substring(text.unicodeScalars.dropFirst())
        }
        return tokens
    }
}
