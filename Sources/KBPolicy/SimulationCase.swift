import KBDiagnostics
import KBJSON

/// One `kbtool simulate` case: a request and the policies around it, read from
/// JSON (see the README for the format).
public struct SimulationCase: Sendable {
    public var request: EvaluationRequest
    public var policies: PolicySet

    /// Reads a case; throws a message naming the element that is wrong and where.
    public static func parse(_ value: JSONValue, locate: SourceLocator) throws(EvaluationError) -> SimulationCase {
        var reader = Reader(locate: locate)
        return try reader.simulationCase(value)
    }

    struct Reader {
        let locate: SourceLocator

        func fail(_ message: String, at value: JSONValue) -> EvaluationError {
            let range = locate.range(value.range)
            return EvaluationError(description: "\(range.file):\(range.start.line):\(range.start.column): \(message)")
        }

        mutating func simulationCase(_ value: JSONValue) throws(EvaluationError) -> SimulationCase {
            guard let members = value.members else { throw fail("a case must be a JSON object", at: value) }
            let known = [
                "request", "identityPolicies", "resourcePolicy", "permissionsBoundaries", "sessionPolicy",
                "serviceControlPolicies", "resourceControlPolicies", "implicitRCPFullAWSAccess",
            ]
            if let unknown = members.first(where: { !known.contains($0.key) }) {
                let hint = Suggestion.closest(to: unknown.key, in: known).map { "; did you mean '\($0)'?" } ?? ""
                throw fail("unknown case field '\(unknown.key)'\(hint)", at: unknown.value)
            }
            guard let requestValue = value["request"] else { throw fail("the case has no 'request'", at: value) }
            let request = try self.request(requestValue)
            guard let identityValue = value["identityPolicies"], case .array = identityValue.kind else {
                throw fail("the case needs 'identityPolicies': an array of policies (it may be empty)", at: value)
            }
            var policies = PolicySet()
            policies.identityPolicies = try list(identityValue, "identityPolicies")
            policies.resourcePolicy = try optionalPolicy(value["resourcePolicy"])
            policies.permissionsBoundaries = try list(value["permissionsBoundaries"], "permissionsBoundaries")
            policies.sessionPolicy = try optionalPolicy(value["sessionPolicy"])
            policies.serviceControlPolicies = try levels(value["serviceControlPolicies"], "serviceControlPolicies")
            policies.resourceControlPolicies = try levels(value["resourceControlPolicies"], "resourceControlPolicies")
            if let flag = value["implicitRCPFullAWSAccess"], flag.kind != .null {
                guard let implicit = flag.bool else {
                    throw fail("'implicitRCPFullAWSAccess' must be true or false", at: flag)
                }
                policies.implicitRCPFullAWSAccess = implicit
            }
            return SimulationCase(request: request, policies: policies)
        }

        func request(_ value: JSONValue) throws(EvaluationError) -> EvaluationRequest {
            guard value.members != nil else { throw fail("'request' must be an object", at: value) }
            func string(_ key: String, required: Bool = true) throws(EvaluationError) -> String? {
                guard let field = value[key], field.kind != .null else {
                    if required { throw fail("'request' needs '\(key)'", at: value) }
                    return nil
                }
                guard let text = field.string else { throw fail("'\(key)' must be a string", at: field) }
                return text
            }
            let principalText = try string("principal")!
            guard let principal = RequestPrincipal(principalText) else {
                throw fail(
                    "'\(principalText)' is not a principal: give an IAM user, role or root ARN, an assumed-role session ARN, an account id, a service such as s3.amazonaws.com, or \"anonymous\"",
                    at: value["principal"]!)
            }
            var context = RequestContext()
            if let contextValue = value["context"], contextValue.kind != .null {
                guard let entries = contextValue.members else {
                    throw fail("'context' must be an object", at: contextValue)
                }
                for entry in entries {
                    if let text = entry.value.string {
                        context[entry.key] = [text]
                    } else if let items = entry.value.elements {
                        var values: [String] = []
                        for item in items {
                            guard let text = item.string else {
                                throw fail("context values must be strings or arrays of strings", at: item)
                            }
                            values.append(text)
                        }
                        context[entry.key] = values
                    } else if let flag = entry.value.bool {
                        context[entry.key] = [flag ? "true" : "false"]
                    } else if let number = entry.value.number {
                        context[entry.key] = [number.literal]
                    } else {
                        throw fail("context values must be strings or arrays of strings", at: entry.value)
                    }
                }
            }
            return EvaluationRequest(
                principal: principal, action: try string("action")!, resource: try string("resource")!,
                resourceAccount: try string("resourceAccount", required: false), context: context)
        }

        func policy(_ value: JSONValue) throws(EvaluationError) -> PolicyDocument {
            let parsed = PolicyParser.parse(value, locate: locate)
            if let error = parsed.diagnostics.first(where: { $0.severity == .error }) {
                let range = error.range
                throw EvaluationError(
                    description: "\(range.file):\(range.start.line):\(range.start.column): \(error.message)")
            }
            return parsed.document
        }

        func optionalPolicy(_ value: JSONValue?) throws(EvaluationError) -> PolicyDocument? {
            guard let value, value.kind != .null else { return nil }
            return try policy(value)
        }

        func list(_ value: JSONValue?, _ name: String) throws(EvaluationError) -> [PolicyDocument] {
            guard let value, value.kind != .null else { return [] }
            guard let elements = value.elements else { throw fail("'\(name)' must be an array of policies", at: value) }
            var result: [PolicyDocument] = []
            for element in elements { result.append(try policy(element)) }
            return result
        }

        func levels(_ value: JSONValue?, _ name: String) throws(EvaluationError) -> [[PolicyDocument]] {
            guard let value, value.kind != .null else { return [] }
            guard let elements = value.elements else {
                throw fail("'\(name)' must be an array of levels, each an array of policies", at: value)
            }
            var result: [[PolicyDocument]] = []
            for element in elements {
                guard element.elements != nil else {
                    throw fail("each level of '\(name)' must be an array of policies (root level first)", at: element)
                }
                result.append(try list(element, name))
            }
            return result
        }
    }
}
