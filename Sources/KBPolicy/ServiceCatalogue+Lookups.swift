import Synchronization

extension ServiceCatalogue {
    /// Every service's condition keys by lowercased name, and the templated ones
    /// (`…/${TagKey}`): some keys are listed under a service other than their
    /// prefix (`saml:aud` under STS).
    struct KeyIndex: Sendable {
        var keys: [String: ConditionKey]
        /// Current templates first, so a retired one only answers what no current one does.
        var templates: [ConditionKey]
    }

    /// The action named `service:Name` (case-insensitive), or nil.
    public func action(_ qualified: String) -> (Service, Action)? {
        guard let colon = qualified.utf8.firstIndex(of: UInt8(ascii: ":")),
            let service = service(String(qualified[..<colon]))
        else {
            return nil
        }
        let name = qualified[qualified.index(after: colon)...].lowercased()
        return service.actions[name].map { (service, $0) }
    }

    /// Every action of a service that a wildcard name pattern such as `Get*` matches.
    public func actions(of service: Service, matching namePattern: String) -> [Action] {
        if !Wildcard.isPattern(namePattern) {
            return service.actions[namePattern.lowercased()].map { [$0] } ?? []
        }
        let key = service.prefix + ":" + namePattern.lowercased()
        if let known = expansions.withLock({ $0[key] }) { return known }
        let matched = service.actions.values.filter {
            Wildcard.matchesBytes(namePattern, $0.name, ignoringASCIICase: true)
        }.sorted { $0.name < $1.name }
        expansions.withLock { $0[key] = matched }
        return matched
    }

    /// The type of a condition key such as `s3:prefix` or `aws:ResourceTag/Project`,
    /// looked up across the services' lists and the global keys. Nil when unknown.
    public func conditionKeyType(_ key: String) -> String? {
        if let global = GlobalConditionKeys.type(of: key) { return global }
        if let known = conditionKey(key) { return known.type }
        // Web identity providers' keys (token.actions.githubusercontent.com:sub,
        // accounts.google.com:aud) are named after the provider's host.
        if let colon = key.firstIndex(of: ":"), key[..<colon].contains(".") { return "String" }
        return nil
    }

    /// A service's condition key as the catalogue lists it (a templated key for an
    /// instance such as `s3:ExistingObjectTag/Project`), retired ones last: first
    /// under its own prefix, then under any service.
    public func conditionKey(_ key: String) -> ConditionKey? {
        let lowered = key.lowercased()
        if let colon = lowered.firstIndex(of: ":"), let service = service(String(lowered[..<colon])) {
            if let exact = service.conditionKeys[lowered], exact.retired == nil { return exact }
            if let match = service.templateKeys.first(where: {
                $0.retired == nil && ConditionKeyPattern.matches(template: $0.name, key: key)
            }) {
                return match
            }
        }
        let index = conditionKeyIndex()
        if let exact = index.keys[lowered], exact.retired == nil { return exact }
        let template = index.templates.first { ConditionKeyPattern.matches(template: $0.name, key: key) }
        if let template, template.retired == nil { return template }
        return index.keys[lowered] ?? template
    }

    /// Built on first use: most lookups find their key under its own service.
    func conditionKeyIndex() -> KeyIndex {
        if let built = keyIndex.withLock({ $0 }) { return built }
        var index = KeyIndex(keys: [:], templates: [])
        // Only the K lines are decoded: found on the bytes, without splitting the file.
        var lines: [Substring] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            if end - start > 2, bytes[start] == UInt8(ascii: "K"), bytes[start + 1] == 0x09 {
                lines.append(Substring(String(decoding: bytes[start..<end], as: UTF8.self)))
            }
            start = end + 1
        }
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let key = ConditionKey(name: String(fields[1]), type: String(fields[2]), retired: Self.date(fields, 3))
            let lowered = key.name.lowercased()
            if index.keys[lowered] == nil || index.keys[lowered]?.retired != nil { index.keys[lowered] = key }
            if key.name.contains("${") { index.templates.append(key) }
        }
        index.templates.sort { ($0.retired == nil ? 0 : 1) < ($1.retired == nil ? 0 : 1) }
        keyIndex.withLock { $0 = index }
        return index
    }
}

/// Condition key templates such as `kms:EncryptionContext:${EncryptionContextKey}`,
/// `aws:ResourceTag/${TagKey}` or `codebuild:secondarySources/${id}.location`: each
/// `${…}` stands for one or more characters. Names compare case-insensitively.
public enum ConditionKeyPattern {
    public static func matches(template: String, key: String) -> Bool {
        guard template.containsVariableOpening else {
            // Most keys are plain names: compare them folding ASCII case, without copies.
            return template.utf8.count == key.utf8.count
                && zip(template.utf8, key.utf8).allSatisfy { a, b in
                    a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A)
                }
        }
        // Literal pieces between the placeholders, lowercased.
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        var bytes = Array(template.lowercased().utf8)[...]
        while let byte = bytes.first {
            if byte == UInt8(ascii: "$"), bytes.dropFirst().first == UInt8(ascii: "{"),
                let close = bytes.firstIndex(of: UInt8(ascii: "}"))
            {
                pieces.append(current)
                current = []
                bytes = bytes[(close + 1)...]
            } else {
                current.append(byte)
                bytes = bytes.dropFirst()
            }
        }
        pieces.append(current)
        let text = Array(key.lowercased().utf8)
        guard let first = pieces.first, text.starts(with: first) else { return false }
        // Greedy-free search: each placeholder takes at least one byte, then the
        // next literal piece is found at its earliest place (the last piece must end the key).
        var position = first.count
        for (offset, piece) in pieces.enumerated().dropFirst() {
            let isLast = offset == pieces.count - 1
            if isLast {
                return text.count - piece.count >= position + 1 && text.suffix(piece.count).elementsEqual(piece)
            }
            var found: Int?
            var start = position + 1
            while start + piece.count <= text.count {
                if text[start..<start + piece.count].elementsEqual(piece) {
                    found = start
                    break
                }
                start += 1
            }
            guard let found else { return false }
            position = found + piece.count
        }
        return position == text.count
    }
}
