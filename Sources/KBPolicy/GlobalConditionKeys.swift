/// The `aws:` condition keys every service understands, with their types, from
/// IAM's "AWS global condition context keys" reference. Tag keys are templates.
public enum GlobalConditionKeys {
    public static let all: [String: String] = [
        "aws:PrincipalArn": "ARN", "aws:PrincipalAccount": "String", "aws:PrincipalOrgID": "String",
        "aws:PrincipalOrgPaths": "ArrayOfString", "aws:PrincipalTag/${TagKey}": "String",
        "aws:PrincipalIsAWSService": "Bool", "aws:PrincipalServiceName": "String",
        "aws:PrincipalServiceNamesList": "ArrayOfString", "aws:PrincipalType": "String", "aws:userid": "String",
        "aws:username": "String", "aws:FederatedProvider": "String", "aws:TokenIssueTime": "Date",
        "aws:MultiFactorAuthAge": "Numeric", "aws:MultiFactorAuthPresent": "Bool",
        "aws:Ec2InstanceSourceVpc": "String", "aws:Ec2InstanceSourcePrivateIPv4": "IPAddress",
        "aws:SourceIdentity": "String", "aws:RoleSessionName": "String", "aws:SourceIp": "IPAddress",
        "aws:SourceVpc": "String", "aws:SourceVpcArn": "ARN", "aws:SourceVpce": "String", "aws:VpceAccount": "String",
        "aws:VpceOrgID": "String", "aws:VpceOrgPaths": "ArrayOfString", "aws:VpcSourceIp": "IPAddress",
        "aws:CalledVia": "ArrayOfString", "aws:CalledViaFirst": "String", "aws:CalledViaLast": "String",
        "aws:ViaAWSService": "Bool", "aws:CurrentTime": "Date", "aws:EpochTime": "Date", "aws:referer": "String",
        "aws:RequestedRegion": "String", "aws:RequestTag/${TagKey}": "String", "aws:TagKeys": "ArrayOfString",
        "aws:SecureTransport": "Bool", "aws:SourceAccount": "String", "aws:SourceArn": "ARN",
        "aws:SourceOrgID": "String", "aws:SourceOrgPaths": "ArrayOfString", "aws:UserAgent": "String",
        "aws:ResourceAccount": "String", "aws:ResourceOrgID": "String", "aws:ResourceOrgPaths": "ArrayOfString",
        "aws:ResourceTag/${TagKey}": "String", "aws:AssumedRoot": "Bool",
        // Requests made through AWS's managed MCP servers.
        "aws:ViaAWSMCPService": "Bool", "aws:CalledViaAWSMCP": "String", "aws:IsMcpServiceAction": "Bool",
    ]

    private static let byLowercase: [String: String] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.key.lowercased(), $0.value) })
    /// The templated keys (`aws:PrincipalTag/${TagKey}`), found once.
    private static let templates: [(template: String, type: String)] = all.filter { $0.key.containsVariableOpening }
        .map { ($0.key, $0.value) }

    /// The type of a global key (case-insensitive), tag templates included; nil when
    /// `key` is not a global key.
    public static func type(of key: String) -> String? {
        let lowered = key.lowercased()
        guard lowered.hasPrefix("aws:") else { return nil }
        if let type = byLowercase[lowered] { return type }
        for (template, type) in templates where ConditionKeyPattern.matches(template: template, key: key) {
            return type
        }
        return nil
    }

    /// Whether `key` is a multi-valued (ArrayOf…) key.
    public static func isMultiValued(_ type: String) -> Bool { type.hasPrefix("ArrayOf") }
}
