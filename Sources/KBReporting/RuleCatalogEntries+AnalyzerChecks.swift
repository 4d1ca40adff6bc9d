import KBDiagnostics

extension RuleCatalogEntries {
    /// The policy rules that reproduce IAM Access Analyzer's checks kbtool had not
    /// covered before (the README's table maps every check to its rule).
    static let analyzerChecks: [RuleDocumentation] = [
        RuleDocumentation(
            id: "policy-arn-resource",
            summary: "An ARN's resource part is empty, or its type is one edit away from a type its service has.",
            why:
                "ARNs match case by case and letter by letter: `stateMachine` is not `statemachine`, `key/` is not `keys/`. The statement grants nothing on such an ARN, and AWS's analyzer reports it as an invalid ARN resource.",
            fix:
                "Write the type as the service spells it (the message suggests it), or give the resource after the fifth colon.",
            severity: .error, example: "'keys' is not a kind of kms resource; did you mean 'key'?"),
        RuleDocumentation(
            id: "policy-unsupported-for-kind",
            summary: "A bucket policy names another service's action or ARN; a key policy another service's.",
            why:
                "A resource policy governs its own resource: S3 refuses a bucket policy with KMS actions or ARNs, and a reader who put the key permission there still lacks it.",
            fix:
                "Grant the other service's permission where it belongs: in the caller's identity policy, or in the key policy.",
            severity: .error,
            example: "a bucket policy governs s3 resources: 'kms:Decrypt' is not an action it can grant or deny"),
        RuleDocumentation(
            id: "policy-condition-key-format",
            summary:
                "A condition key has no `service:` prefix, or a tag key (`aws:ResourceTag`) has no tag name after it.",
            why: "IAM refuses the policy; a condition on such a key could never hold.",
            fix: "Write the key as `service:name`, and tag keys with the tag's name: `aws:ResourceTag/Project`.",
            severity: .error,
            example: "'aws:ResourceTag' needs the tag's key after a slash, e.g. aws:ResourceTag/Project"),
        RuleDocumentation(
            id: "policy-duplicate-condition-key",
            summary: "One operator block names a condition key twice in different case.",
            why:
                "Key names ignore case, so the two collide: AWS refuses the policy, and which value applies is anyone's guess.",
            fix: "Keep one spelling and merge the values into one list.",
            severity: .error,
            example:
                "'AWS:PrincipalTag/Team' repeats 'aws:PrincipalTag/team' in another case; condition keys ignore case, so write it once"
        ),
        RuleDocumentation(
            id: "policy-missing-qualifier",
            summary:
                "A multivalued key (type `ArrayOf…`, such as `aws:TagKeys`) is compared without `ForAnyValue:` or `ForAllValues:`.",
            why:
                "A request can carry several values for the key; without a set qualifier it is unclear whether one or all must match, and Access Analyzer reports an error.",
            fix:
                "Use `ForAnyValue:` when one matching value is enough, `ForAllValues:` when every value must be in the list (and pair it with a Null check if the key must be present).",
            severity: .error,
            example:
                "'aws:TagKeys' can have several values in one request: say how to compare them with ForAnyValue:StringEquals (any value matches) or ForAllValues:StringEquals (every value matches)"
        ),
        RuleDocumentation(
            id: "policy-condition-value-invalid",
            summary:
                "A condition value cannot be one its key takes: two booleans, a malformed Region, service principal, VPC or VPC endpoint id, or only private addresses for `aws:SourceIp`.",
            why:
                "The condition never holds as meant (`aws:SourceIp` never carries a private address), so a guard is off or a grant unusable.",
            fix:
                "Write the value in the key's form: `us-east-1`, `athena.amazonaws.com`, `vpc-1a2b3c4d`; compare private addresses with `aws:VpcSourceIp`.",
            severity: .error, example: "'athena' is not a service principal; write it as SERVICE.amazonaws.com"),
        RuleDocumentation(
            id: "policy-variable",
            summary:
                "A policy variable is malformed (no closing brace, empty, a space in its name, an unquoted default) or used where IAM does not substitute it.",
            why:
                "Variables work only in `Resource` and in String and Arn condition values, under Version 2012-10-17; elsewhere `${aws:username}` is plain text and matches nothing.",
            fix:
                "Write `${aws:username}` whole, with a default as `${aws:PrincipalTag/team, 'none'}`, only where IAM substitutes it.",
            severity: .error,
            example:
                "'${aws:username}' is not substituted here: policy variables work only in Resource and in Condition values"
        ),
        RuleDocumentation(
            id: "policy-service-principal-key",
            summary:
                "A statement for service principals only tests a key their requests never carry (`aws:PrincipalOrgID`, `aws:PrincipalTag/…`).",
            why: "The condition never holds for the service, so the grant it guards never works.",
            fix: "Restrict a service principal with `aws:SourceArn` or `aws:SourceAccount`.",
            severity: .error,
            example:
                "requests from a service principal do not carry 'aws:PrincipalOrgID': the condition never holds for cloudfront.amazonaws.com"
        ),
        RuleDocumentation(
            id: "policy-trust-action",
            summary:
                "A trust policy's action does not fit its principal (SAML with web identity), IAM Roles Anywhere lacks one of its three actions, or a key is tested whose setting action is missing.",
            why:
                "The role cannot be assumed as the statement intends: STS needs the action that matches the principal and the keys it sets.",
            fix:
                "Use `sts:AssumeRoleWithSAML` for a SAML provider, `sts:AssumeRoleWithWebIdentity` for an OIDC provider; add `sts:TagSession` or `sts:SetSourceIdentity` for their keys.",
            severity: .error,
            example:
                "'sts:SourceIdentity' is set by sts:SetSourceIdentity: add sts:SetSourceIdentity to this statement's actions, or the condition is never evaluated"
        ),
        RuleDocumentation(
            id: "policy-retired",
            summary:
                "A service, action or condition key that an earlier Service Authorization Reference listed and the current one does not.",
            why:
                "AWS still accepts the name, but the service or action is gone (DeepRacer, CodeStar) or renamed: the permission grants nothing new and misleads readers.",
            fix:
                "Remove it, or use the service's current name; the message says since when the reference no longer lists it.",
            severity: .warning,
            example:
                "AWS CodeStar ('codestar', used here by 'codestar:CreateProject' and reported once per policy) is retired since 2026-10-27: the Service Authorization Reference no longer lists it"
        ),
        RuleDocumentation(
            id: "policy-wildcard-without-like",
            summary: "A `StringEquals`-family value contains `*` or `?`.",
            why:
                "Equals operators compare literally: `finance-*` matches only the text `finance-*`, so the condition almost never holds.",
            fix: "Use `StringLike` (or `StringNotLike`) if the characters are wildcards.",
            severity: .warning,
            example:
                "StringEquals compares 'finance-*' literally, '*' and '?' included; if they are wildcards, use StringLike"
        ),
        RuleDocumentation(
            id: "policy-pass-role-broad",
            summary:
                "An Allow grants `iam:PassRole` (by name, wildcard or NotAction) on every role (`*`, `role/*`, NotResource) without `iam:PassedToService`.",
            why:
                "Passing a role hands its permissions to a service the caller controls: passing any role to any service is a path to any permission.",
            fix: "Name the roles in `Resource`, or add a condition on `iam:PassedToService` naming the service.",
            severity: .warning,
            example:
                "iam:PassRole on every resource: it lets the caller hand any role, and its permissions, to any service"),
        RuleDocumentation(
            id: "policy-create-slr-broad",
            summary:
                "An Allow grants `iam:CreateServiceLinkedRole` on every role without `iam:AWSServiceName`.",
            why:
                "The caller can create a service-linked role for any service, with the permissions AWS gives that service.",
            fix: "Name the service-linked role ARNs, or add a condition on `iam:AWSServiceName`.",
            severity: .warning,
            example:
                "iam:CreateServiceLinkedRole on every resource: it lets the caller create a service-linked role for any service"
        ),
        RuleDocumentation(
            id: "policy-tag-key-unsupported",
            summary:
                "A tag condition key (`aws:ResourceTag/…`, `aws:RequestTag/…`, `aws:TagKeys`) with listed actions that do not carry it, or with NotAction (a warning in a Deny, a note in an Allow).",
            why:
                "For those actions the key is absent: an Allow never grants them, a Deny never denies them, whatever the resource's tags.",
            fix:
                "Move the actions to a statement without the tag condition, restricting them by resource name instead; list actions rather than NotAction.",
            severity: .warning,
            example:
                "route53:DeleteHostedZone does not carry 'aws:ResourceTag/status', so this statement never denies it"),
        RuleDocumentation(
            id: "policy-paired-condition-key",
            summary: "`aws:VpcSourceIp` is tested without `aws:SourceVpc` or `aws:SourceVpce`.",
            why:
                "Private address ranges repeat across VPCs: the address alone admits the same range in any VPC, other accounts' included.",
            fix: "Add `aws:SourceVpc` (or `aws:SourceVpce`) to the same condition.",
            severity: .warning,
            example:
                "aws:VpcSourceIp matches that address in any VPC: pair it with aws:SourceVpc (or aws:SourceVpce) in the same condition"
        ),
        RuleDocumentation(
            id: "policy-service-principal-source",
            summary:
                "A bucket or key policy allows a service principal without `aws:SourceArn`, `aws:SourceAccount` or their organization forms.",
            why:
                "The service acts for every customer: without naming the source, another account's use of the service can reach this resource (the confused deputy).",
            fix:
                "Add `aws:SourceAccount` (your account) or `aws:SourceArn` (the trail, distribution or queue that writes here).",
            severity: .warning,
            example:
                "cloudtrail.amazonaws.com may act here for any AWS customer: name the source with aws:SourceArn or aws:SourceAccount"
        ),
        RuleDocumentation(
            id: "policy-oidc-condition",
            summary:
                "A trust policy trusts a web identity provider without conditions on its claims, GitHub without `…:sub`, or with a `sub` that admits any repository.",
            why: "Anyone with an account at the provider (any GitHub repository's workflows) could assume the role.",
            fix:
                "Add conditions on the provider's `aud` and `sub`; for GitHub name the organization, repository and branch.",
            severity: .warning,
            example:
                "'repo:example-org/*' admits repositories you may not own: name the organization, repository and branch"
        ),
        RuleDocumentation(
            id: "policy-principal-id",
            summary: "A principal is an IAM role's or user's unique id (`AROA…`, `AIDA…`) rather than its ARN.",
            why:
                "IAM shows ids for principals that were deleted; a new role or user with the same name gets a new id, and the policy no longer names it.",
            fix: "Write the role's or user's ARN.",
            severity: .warning,
            example: "'AROAEXAMPLEID1234567' is an IAM role's unique id: write its ARN"),
        RuleDocumentation(
            id: "policy-empty",
            summary:
                "An element is empty: no actions, resources, principals, condition values, conditions or Sid text.",
            why:
                "A statement with an empty Action, Resource or Principal never applies; an empty condition list holds or fails only by the operator's rule for missing keys.",
            fix: "Fill the element or remove it.",
            severity: .note, example: "'Action' is empty: the statement never applies"),
        RuleDocumentation(
            id: "policy-ip-range",
            summary:
                "A CIDR block has bits set past its mask, or `aws:SourceIp` mixes private addresses with public ones.",
            why:
                "The extra bits are ignored, so the block is wider than it reads; private addresses never match `aws:SourceIp`.",
            fix: "Write the block as the fix shows; compare private addresses with `aws:VpcSourceIp`.",
            severity: .note,
            example: "the bits of '203.0.113.77/24' after the /24 mask are ignored: write 203.0.113.0/24"),
        RuleDocumentation(
            id: "policy-null-qualifier",
            summary: "`ForAllValues:Null` or `ForAnyValue:Null`.",
            why: "With a set qualifier Null is always true (ForAllValues) or always false (ForAnyValue).",
            fix: "Use `Null` on its own (the finding carries the fix).",
            severity: .note, example: "ForAllValues:Null is always true; use Null on its own"),
        RuleDocumentation(
            id: "policy-like-any-value",
            summary: "`StringLike` or `ArnLike` with the value `\"*\"`.",
            why: "It matches any value, so it only says the key is present: the Null operator says that plainly.",
            fix: "Write `{\"Null\": {\"KEY\": \"false\"}}`.",
            severity: .note,
            example:
                "StringLike '*' matches any value, so this only says 'aws:PrincipalTag/team' is present: write {\"Null\": {\"aws:PrincipalTag/team\": \"false\"}}"
        ),
        RuleDocumentation(
            id: "policy-arn-wildcard-service",
            summary: "An ARN's service field is a pattern, such as `arn:aws:*code*:…`.",
            why: "It matches every service whose prefix fits, those AWS launches later included.",
            fix: "Name the service.",
            severity: .note,
            example: "the service '*code*' in this ARN is a pattern: it may match services added later"),
        RuleDocumentation(
            id: "policy-service-principal-key-advice",
            summary: "A statement for a service principal relies on `aws:Referer`.",
            why:
                "The Referer header is set by whoever sends the request; `aws:SourceArn` and `aws:SourceAccount` are set by AWS.",
            fix: "Restrict the service with `aws:SourceArn` or `aws:SourceAccount`.",
            severity: .note,
            example:
                "to restrict a service acting on your behalf, compare aws:SourceArn or aws:SourceAccount rather than aws:Referer"
        ),
        RuleDocumentation(
            id: "policy-irrelevant-key",
            summary: "`s3:ResourceAccount` in a bucket policy.",
            why: "A bucket policy's resource is always in the bucket's account: the condition restricts nothing there.",
            fix: "Use the key in identity policies, to keep callers to buckets of known accounts.",
            severity: .note,
            example:
                "s3:ResourceAccount says nothing in a bucket policy (the bucket's account is its own); use it in identity policies"
        ),
        RuleDocumentation(
            id: "policy-audience-claim",
            summary: "An OIDC provider's `aud` claim is compared with a set qualifier.",
            why:
                "Providers differ: `aud` may hold one value or several. With ForAllValues a token without the claim also passes.",
            fix: "Check the provider's token: compare a single-valued `aud` without a qualifier.",
            severity: .note,
            example:
                "confirm that this identity provider's 'aud' claim is multivalued: if it holds one value, compare it without ForAnyValue"
        ),
    ]
}
