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
        // Built under the lock: a second thread waits rather than building it again.
        keyIndex.withLock { built in
            if let built { return built }
            let index = buildConditionKeyIndex()
            built = index
            return index
        }
    }

    private func buildConditionKeyIndex() -> KeyIndex {
        var index = KeyIndex(keys: [:], templates: [])
        // Only the K lines are decoded: found on the bytes, without splitting the file.
        var keys: [ConditionKey] = []
        bytes.withUnsafeBufferPointer { bytes in
            func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                defer { start = end + 1 }
                guard end - start > 2, bytes[start] == UInt8(ascii: "K"), bytes[start + 1] == 0x09 else { continue }
                var fields: [Range<Int>] = []
                var fieldStart = start
                for offset in start..<end where bytes[offset] == 0x09 {
                    fields.append(fieldStart..<offset)
                    fieldStart = offset + 1
                }
                fields.append(fieldStart..<end)
                guard fields.count >= 3 else { continue }
                let retired = fields.count > 3 && !fields[3].isEmpty ? text(fields[3]) : nil
                keys.append(ConditionKey(name: text(fields[1]), type: text(fields[2]), retired: retired))
            }
        }
        for key in keys {
            let lowered = key.name.lowercased()
            if index.keys[lowered] == nil || index.keys[lowered]?.retired != nil { index.keys[lowered] = key }
            if key.name.containsVariableOpening { index.templates.append(key) }
        }
        index.templates.sort { ($0.retired == nil ? 0 : 1) < ($1.retired == nil ? 0 : 1) }
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
        // The text before the first placeholder must start the key: most templates
        // (another service's) fail here, before any copy.
        var keyBytes = key.utf8.makeIterator()
        for byte in template.utf8 {
            if byte == UInt8(ascii: "$") { break }
            guard let other = keyBytes.next() else { return false }
            let a = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            let b = other >= 0x41 && other <= 0x5A ? other | 0x20 : other
            if a != b { return false }
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
