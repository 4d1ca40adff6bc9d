import KBDiagnostics

/// The documentation of each rule. Keep ids in sync with the `RuleID`s the checks
/// define; a test fails when a rule has no entry.
enum RuleCatalogEntries {
    static let all: [RuleDocumentation] =
        [
            // MARK: JSON blocks
            RuleDocumentation(
                id: "json-syntax", summary: "A JSON block is not valid RFC 8259 JSON.",
                why:
                    "Readers paste policy blocks into the console or the CLI, which reject invalid JSON; a guide that shows broken JSON fails its readers at the first step.",
                fix:
                    "Apply the suggested fix (kbtool verify --fix applies the unambiguous ones), or mark the block `jsonc`/`json5` if it is meant to carry comments.",
                severity: .error, example: "expected ',' between array elements"),
            RuleDocumentation(
                id: "json-duplicate-key", summary: "A JSON object has the same key twice.",
                why:
                    "Parsers commonly keep only the last occurrence and drop the earlier one without a word: two `StringEquals` blocks under one `Condition` leave only the second condition in force.",
                fix:
                    "Merge the two members into one (for a condition operator, put all its keys under a single `StringEquals`), or delete the one that is not meant.",
                severity: .error, example: "duplicate key \"Sid\": only the last one takes effect"),
            RuleDocumentation(
                id: "json-limit",
                summary: "A JSON block is nested deeper than 128 levels or is larger than 4 MiB; it is not parsed.",
                why:
                    "No policy comes near these limits (the largest quota, a key policy's, is 32 KB), so the block is generated or corrupted; kbtool checks nothing inside it.",
                fix:
                    "Shrink or split the block; if it is sample data rather than a policy, move it to a file and link to it.",
                severity: .error, example: "JSON nested deeper than 128 levels"),
            RuleDocumentation(
                id: "json-unicode",
                summary: "A `\\u` escape holds an unpaired UTF-16 surrogate, such as a lone `\\uD800`.",
                why:
                    "RFC 8259 leaves its meaning open: parsers reject it, replace it with U+FFFD (as kbtool does) or keep it, so the value AWS stores or compares may differ from the one the reader sees.",
                fix:
                    "Write the complete surrogate pair (`\\uD83D\\uDE00`) or the character itself, or remove the escape.",
                severity: .warning, example: "unpaired UTF-16 surrogate in a \\u escape; it is read as U+FFFD"),

            // MARK: Front matter
            RuleDocumentation(
                id: "front-matter-yaml", summary: "The front matter is not valid YAML, or repeats a key.",
                why:
                    "Docusaurus fails to build the page, and kbtool reads none of its fields: the guide's id, slug and `kbtool:` settings (profiles, Region, variables) are all ignored.",
                fix:
                    "Correct the YAML at the reported position: quote values containing `: ` or ` #` or starting with `[`, `{`, `*`, `&` or `@`, and keep each key once.",
                severity: .error, example: "invalid YAML in front matter: did not find expected ',' or ']'"),
            RuleDocumentation(
                id: "front-matter-unclosed",
                summary: "Line 1 opens front matter with `---`, but no later line closes it.",
                why:
                    "The fields are not read as front matter: the page loses its id, title and slug, and kbtool checks the file as plain markdown without its `kbtool:` settings.",
                fix:
                    "Add a line holding only `---` after the last field, or remove the opening `---` if the file has no front matter.",
                severity: .error, example: "front matter opened with '---' is never closed"),
            RuleDocumentation(
                id: "front-matter-limit",
                summary:
                    "The front matter is nested deeper than 64 levels or holds more than 20,000 values; it is not read.",
                why:
                    "Front matter that size is generated or hostile input; kbtool stops reading it to stay bounded, so none of its fields, `kbtool:` settings included, take effect.",
                fix:
                    "Keep front matter to the Docusaurus fields and the `kbtool:` settings; move bulky data into the guide or a separate file.",
                severity: .error,
                example: "front matter is nested deeper than 64 levels or has more than 20000 values"),
            RuleDocumentation(
                id: "front-matter-type",
                summary:
                    "A known Docusaurus field has a value Docusaurus rejects, the front matter is not a mapping, or `id` contains `/`.",
                why:
                    "Docusaurus validates these fields and refuses to build the site. YAML typing causes most cases: `title: true` is a boolean, `title: [a, b]` a list, `sidebar_position: first` a string.",
                fix:
                    "Give the field the type the message names; quote scalars YAML would read as another type (`title: \"true\"`). For an id, drop the `/` and set `slug` to change the URL.",
                severity: .error, example: "front matter field 'sidebar_position' must be a number, found a string"),
            RuleDocumentation(
                id: "front-matter-unknown-key",
                summary: "A front matter field is not a known Docusaurus field but is within a few edits of one.",
                why:
                    "Docusaurus ignores unknown fields, so a misspelt `sidebar_label` or `slug` has no effect and the page gets the wrong label or URL without any error.",
                fix:
                    "Rename the field to the suggested one (the finding carries the fix). Fields far from every known name are not reported; kbtool's own settings belong under `kbtool:`.",
                severity: .warning, example: "unknown front matter field 'sidbar_label'; did you mean 'sidebar_label'?"),
            RuleDocumentation(
                id: "front-matter-slug",
                summary:
                    "A `slug` is empty, has a `.` or `..` segment, contains `\\`, `?`, `#`, `%` or a control character, or is a URL.",
                why:
                    "Such a slug puts the page outside its docs folder or yields a route that cannot be served, so links and the sidebar lead somewhere other than the guide.",
                fix:
                    "Use a plain path: `/cross-account/kms-bucket` (from the site root) or `kms-bucket` (relative to the folder). Link to external pages from the body instead.",
                severity: .error,
                example: "slug '../../outside' has a '.' or '..' segment, which would place the page outside its folder"
            ),
            RuleDocumentation(
                id: "front-matter-duplicate-id", summary: "Two guides in one docs folder have the same doc id.",
                why:
                    "Docusaurus refuses to build with duplicate doc ids, and sidebars and `pagination_next` references to the id become ambiguous.",
                fix:
                    "Give one guide its own `id`, or rename its file. Number prefixes are dropped, so `01-intro.md` and `intro.md` are both the doc `intro`.",
                severity: .error, example: "doc id 'np/intro' is already used by duplicates/np/01-intro.md"),
            RuleDocumentation(
                id: "front-matter-duplicate-slug",
                summary:
                    "Two guides in one docs folder resolve to the same route, whether from `slug` or from their path and id.",
                why:
                    "Only one page can be served at a route: Docusaurus warns (or fails, with `onDuplicateRoutes: 'throw'`) and links to the other guide land on the wrong page.",
                fix: "Change the `slug` of one guide; where neither has a slug, rename a file or set a distinct `id`.",
                severity: .error, example: "route '/same-route' is already used by duplicates/a.md"),

            // MARK: Links
            RuleDocumentation(
                id: "link-anchor",
                summary: "A link's `#fragment` matches no heading id or HTML anchor on the target page.",
                why:
                    "A broken anchor fails silently: the reader lands at the top of the page instead of the policy or step the text points to. Anchors are case-sensitive, and a heading's id changes when the heading is reworded.",
                fix:
                    "Link to the id kbtool suggests, or pin the heading's id with `{#custom-id}` so rewording it breaks no links. `#` and `#top` always mean the top of the page.",
                severity: .error, example: "link to '#key-policy' on sub/guide-b.md matches no heading or anchor"),
            RuleDocumentation(
                id: "link-file", summary: "A relative link or image points to a file that does not exist.",
                why:
                    "The published page shows a dead link or a missing image, often the policy file or diagram a step depends on.",
                fix:
                    "Correct the path relative to the guide (kbtool suggests a close sibling) or add the file; `./other` may omit `.md`/`.mdx`. External URLs and site-absolute paths are not checked.",
                severity: .error, example: "link target 'sub/guide-c.md' does not exist"),

            // MARK: Markdown
            RuleDocumentation(
                id: "encoding", summary: "A guide contains bytes that are not valid UTF-8; the first one is reported.",
                why:
                    "Docusaurus and editors reject the file or show replacement characters, and an invalid byte inside an ARN, key id or policy makes the copied value differ from the intended one.",
                fix:
                    "Re-save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`) and check the reported character; kbtool checks the rest with U+FFFD in its place.",
                severity: .error, example: "invalid UTF-8 byte 0xE9; the file must be UTF-8"),
            RuleDocumentation(
                id: "markdown-unclosed-fence",
                summary: "A code fence is never closed, so the rest of its container is one code block.",
                why:
                    "Headings, prose and later policy blocks or transcripts after it render as code, and kbtool checks none of them as what they are meant to be.",
                fix:
                    "Close the block with a line of at least as many backticks (or tildes, matching the opening) as the opening fence.",
                severity: .warning,
                example: "code fence is never closed, so everything after it up to line 212 is code"),
            RuleDocumentation(
                id: "markdown-nesting",
                summary:
                    "Block containers (lists, block quotes) are nested more than 100 levels deep; deeper content is skipped.",
                why:
                    "No guide needs that depth; it comes from generated or malformed markdown, and any link, JSON block or transcript below the limit goes unchecked.",
                fix: "Flatten the nesting: use sections and shorter lists instead of deeply indented containers.",
                severity: .warning, example: "markdown nested deeper than 100 levels; the content below is not checked"),
            RuleDocumentation(
                id: "file-too-large",
                summary: "An input file (guide or policy file) is larger than 16 MiB; it is not parsed.",
                why:
                    "No hand-written guide is that large; the limit keeps a run bounded in time and memory, and nothing in the file is checked.",
                fix: "Split the guide into several pages, or move generated data out of the checked folders.",
                severity: .error,
                example: "the file is 20971520 bytes, more than the 16777216-byte limit; split it"),
            RuleDocumentation(
                id: "guide-empty",
                summary: "A guide has no content: the file is empty, or holds only front matter.",
                why:
                    "Its page would be blank, and a reader following a link to it finds nothing; usually a stub committed by mistake.",
                fix: "Write the guide, or remove the file (or mark it `draft: true`).",
                severity: .warning, example: "the guide has only front matter, no content"),
            RuleDocumentation(
                id: "file-unreadable",
                summary:
                    "A file found among the guides cannot be read: no permission, a symbolic link to nothing, or a FIFO, device or socket with a guide's name.",
                why:
                    "Its content is not checked; kbtool reports it and verifies the other files rather than stop or block.",
                fix: "Fix the permissions or the link, or move the special file out of the checked folders.",
                severity: .error,
                example: "cannot read the file: it is a FIFO or other special file, not a regular file"),
            RuleDocumentation(
                id: "site-path",
                summary:
                    "kbtool build cannot place a page where its slug or id says: the route climbs out of the site (`..`), holds a character a path cannot, or another page already took it.",
                why:
                    "A page must never be written outside the output folder, and two pages on one path would silently hide one of them.",
                fix: "Give the page a slug without `.` or `..` segments, and one no other guide uses.",
                severity: .error,
                example:
                    "the page's route '/../../tmp/pwned' has a '..' segment; it would be written outside the site, so the page is placed by its file name"
            ),

            // MARK: Policies
            RuleDocumentation(
                id: "policy-action-format", summary: "An action is not written `service:Name` (it has no colon).",
                why:
                    "AWS rejects the policy: every action needs its service prefix, and only `\"*\"` on its own stands for all actions.",
                fix: "Add the service prefix, e.g. `s3:GetObject` or `kms:Decrypt`.",
                severity: .error,
                example: "'GetObject' is not an action: actions are written service:Name, e.g. s3:GetObject"),
            RuleDocumentation(
                id: "policy-action-resource-mismatch",
                summary:
                    "An action applies to none of the statement's resources (by the resource types the Service Authorization Reference lists for it).",
                why:
                    "AWS accepts the statement but it never grants that action: `s3:ListBucket` on object ARNs or `kms:Decrypt` on an alias ARN does nothing, and the reader's request is denied with no hint why. Actions the reference lists without resource types are not compared: some of them do check an ARN.",
                fix:
                    "Add a resource of a type the message lists: the bucket ARN for `s3:ListBucket`, the key ARN for KMS actions.",
                severity: .warning,
                example:
                    "s3:ListBucket applies to bucket (arn:${Partition}:s3:::${BucketName}), and no Resource of this statement is one, so it is never granted"
            ),
            RuleDocumentation(
                id: "policy-allow-not-action", summary: "An Allow statement uses `NotAction`.",
                why:
                    "It grants every action of every service except those listed, including actions AWS adds later; with a broad Resource that is close to administrator access.",
                fix: "List the actions to allow in `Action`. Keep `NotAction` for Deny statements.",
                severity: .warning,
                example:
                    "Allow with NotAction grants every action of every service except those listed, including ones added later"
            ),
            RuleDocumentation(
                id: "policy-allow-not-principal", summary: "An Allow statement uses `NotPrincipal`.",
                why:
                    "It grants the actions to every principal except those listed, in every account and anonymous callers included, which is never what a cross-account grant means.",
                fix:
                    "Name the principals to allow in `Principal`. To exclude callers, use a Deny with a condition on `aws:PrincipalArn` instead.",
                severity: .warning,
                example:
                    "Allow with NotPrincipal grants access to every principal except those listed, anonymous users included; AWS's NotPrincipal page calls it unsupported"
            ),
            RuleDocumentation(
                id: "policy-allow-not-resource", summary: "An Allow statement uses `NotResource`.",
                why:
                    "It grants the actions on every resource except those listed, in every account and including resources created later.",
                fix: "List the resources to allow in `Resource`. Keep `NotResource` for Deny statements.",
                severity: .warning,
                example:
                    "Allow with NotResource grants the actions on every resource except those listed, in every account"
            ),
            RuleDocumentation(
                id: "policy-arn-format",
                summary:
                    "A resource is neither `\"*\"` nor a well-formed ARN: no `arn:` prefix, too few fields, an unknown partition, an upper-case service, an account that is not 12 digits (or `aws`), a malformed Region, or a Region or account where the service's ARNs have none (or none where they need one).",
                why:
                    "AWS rejects a resource that is not an ARN, and a malformed one matches nothing; `s3://bucket/*`, truncated account ids and an account in an S3 bucket ARN are common copy errors.",
                fix:
                    "Write the full ARN: `arn:aws:s3:::BUCKET` and `arn:aws:s3:::BUCKET/*` (no Region, no account) for S3, `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID` for a key.",
                severity: .error,
                example:
                    "'s3://amzn-s3-demo-bucket/*' is not an ARN: resources are \"*\" or arn:partition:service:region:account:resource"
            ),
            RuleDocumentation(
                id: "policy-arn-service",
                summary:
                    "A resource ARN belongs to a service none of the statement's actions belong to or take resources of (`ssm:SendCommand` takes EC2 instances).",
                why:
                    "That resource never matches any action of the statement, so it grants nothing; usually the KMS key ARN went into the S3 statement and the KMS permission the reader needs is missing.",
                fix:
                    "Move the ARN to a statement with actions of its service, e.g. a separate statement allowing `kms:Decrypt` and `kms:GenerateDataKey` on the key ARN.",
                severity: .warning,
                example:
                    "'arn:aws:kms:us-east-1:111122223333:key/abc' is a kms ARN, and none of this statement's actions (s3) applies to kms resources"
            ),
            RuleDocumentation(
                id: "policy-condition-key-unknown",
                summary:
                    "A condition key is neither a global `aws:` key nor a condition key of any service in the catalogue (past versions included), or is `aws:ARN`.",
                why:
                    "No request carries an unknown key: a positive operator on it never holds, so an Allow grants nothing and a Deny never applies; a typo such as `aws:PrincipleTag` silently turns a guard off.",
                fix:
                    "Correct the key name, e.g. `aws:PrincipalTag/team`, `kms:ViaService`, `s3:x-amz-server-side-encryption-aws-kms-key-id`.",
                severity: .error,
                example: "'aws:PrincipleTag/team' is not a global condition key"),
            RuleDocumentation(
                id: "policy-condition-key-unused",
                summary:
                    "A service condition key (not `aws:`) applies to none of the statement's actions of that service (keys a role session carries to other services, such as `lambda:SourceFunctionArn`, excepted).",
                why:
                    "Requests for those actions never carry the key: with a positive operator the statement never applies, with a negated or IfExists operator the condition always holds and restricts nothing.",
                fix:
                    "Put the condition on the statement whose actions carry the key (e.g. `kms:ViaService` with KMS actions in the key policy), or use a key those actions support.",
                severity: .warning,
                example:
                    "'kms:ViaService' applies to none of this statement's actions (s3:GetObject), so requests never carry it"
            ),
            RuleDocumentation(
                id: "policy-condition-operator",
                summary: "A condition operator is not one IAM defines (operators are case-sensitive).",
                why:
                    "AWS rejects the policy as malformed, so the step that applies it fails; a condition with an unknown operator could never match anyway.",
                fix:
                    "Use the suggested operator with its exact spelling, e.g. `StringEquals`, `ArnLike`, `ForAnyValue:StringLike`, `BoolIfExists`.",
                severity: .error, example: "unknown condition operator 'StringEqualz'; did you mean 'StringEquals'?"),
            RuleDocumentation(
                id: "policy-condition-type",
                summary:
                    "A condition operator does not fit its key's type, e.g. `StringEquals` on the IP address key `aws:SourceIp`, or `StringLike` on an ARN key (Arn operators on String keys pass: AWS accepts them).",
                why:
                    "The comparison does not do what the author meant: a string match on `aws:SourceIp` ignores CIDR ranges and matches almost nothing, leaving a Deny ineffective or an Allow unusable.",
                fix:
                    "Use an operator of the family the note names: `IpAddress` for `aws:SourceIp`, `Bool` for `aws:SecureTransport`, `Arn*` or `String*` for ARN keys, `Date*` or `Numeric*` for dates.",
                severity: .warning,
                example: "StringEquals compares String values, but 'aws:SourceIp' is of type IPAddress"),
            RuleDocumentation(
                id: "policy-condition-value",
                summary:
                    "A condition value cannot be compared by its operator: not a number, date, IP address or CIDR, boolean, base64 or ARN as the operator needs; or a date in epoch seconds.",
                why:
                    "AWS usually accepts the policy, but the value never compares as intended, so a guard such as a source-network Deny or an expiry date does nothing.",
                fix:
                    "Write the value in the operator's format: digits for Numeric, ISO 8601 (`2026-01-31T00:00:00Z`) or epoch seconds for Date, `true`/`false` for Bool and Null, `203.0.113.0/24` for IpAddress, a full ARN for Arn.",
                severity: .warning,
                example:
                    "'tomorrow' is not a date (use ISO 8601 such as 2026-01-31T00:00:00Z, or epoch seconds) for DateLessThan"
            ),
            RuleDocumentation(
                id: "policy-conflicting-elements",
                summary:
                    "A statement has both `Action` and `NotAction`, `Resource` and `NotResource`, or `Principal` and `NotPrincipal`.",
                why: "AWS rejects the statement, and a reader cannot tell which of the two the author meant.",
                fix: "Keep one element of the pair, normally the positive one (`Action`, `Resource`, `Principal`).",
                severity: .error, example: "a statement cannot have both 'Action' and 'NotAction'"),
            RuleDocumentation(
                id: "policy-cross-account-admin",
                summary:
                    "A bucket or key policy allows another account `*`, `s3:*`, `kms:*` or a permissions-management action such as `s3:PutBucketPolicy`.",
                why:
                    "Through a bucket policy the other account can rewrite the policy, change encryption or delete data; in a key policy such grants mostly fail across accounts but show an intent nobody should copy.",
                fix:
                    "Grant only the data actions the partner needs (`s3:GetObject`, `s3:PutObject`, `kms:Decrypt`, `kms:GenerateDataKey`). The check needs the owner account: `account=` on the block, or a key policy's root statement.",
                severity: .warning,
                example: "'s3:*' gives account 444455556666 administrative control: list only the actions it needs"),
            RuleDocumentation(
                id: "policy-duplicate-sid",
                summary:
                    "Two statements of one policy have the same `Sid` (an error where IAM or Organizations refuse it, a warning in bucket and key policies).",
                why:
                    "IAM requires unique Sids (Access Analyzer recommends them in other policy types too), and readers or tools that refer to a statement by its Sid cannot tell the two apart.",
                fix: "Rename one statement, or merge the two if they are meant to be one.",
                severity: .error, example: "duplicate Sid 'Read': a Sid must be unique within a policy"),
            RuleDocumentation(
                id: "policy-effect",
                summary: "`Effect` is not exactly `Allow` or `Deny` (the value is case-sensitive).",
                why: "AWS rejects the policy; `allow` or `ALLOW` is the usual slip in policies typed by hand.",
                fix:
                    "Write `\"Allow\"` or `\"Deny\"` with that capitalisation (the finding carries the fix for a case error).",
                severity: .error, example: "'Effect' is case-sensitive: \"allow\" should be \"Allow\""),
            RuleDocumentation(
                id: "policy-key-lockout",
                summary:
                    "A key policy has no unconditioned Allow for its own account's root (`arn:aws:iam::OWNER:root` or the bare account id).",
                why:
                    "Without it IAM policies in the owner account cannot grant use of the key, and if the principals the policy names are deleted nobody can manage the key short of AWS Support.",
                fix:
                    "Add the default key policy's statement: Allow `kms:*` on `\"Resource\": \"*\"` to `{\"AWS\": \"arn:aws:iam::OWNER:root\"}`, then restrict individual users with IAM policies.",
                severity: .warning,
                example:
                    "no statement gives the key's own account (its root) access: IAM policies in that account cannot grant use of this key, and if the principals named here are deleted nobody can manage it"
            ),
            RuleDocumentation(
                id: "policy-kind-unknown", summary: "A block's `kind=` attribute names no policy kind.",
                why:
                    "The kind decides which checks apply (Principal required or forbidden, size quota, Sid characters); with an unknown kind only the grammar of the block is checked.",
                fix:
                    "Use `identity-policy`, `bucket-policy`, `key-policy`, `trust-policy`, `scp` or `rcp`, or a short form such as `key`.",
                severity: .error, example: "unknown policy kind 'key-polcy'; did you mean 'key-policy'?"),
            RuleDocumentation(
                id: "policy-kms-cross-account-ineffective",
                summary:
                    "A key policy grants another account KMS actions that never work across accounts, such as `kms:PutKeyPolicy` or the admin half of `kms:*`.",
                why:
                    "Only cryptographic operations, DescribeKey, GetKeyRotationStatus, GetPublicKey and the grant operations work on a key in another account; the rest are denied whatever the policies say, so a step relying on them fails.",
                fix:
                    "Grant the external account only what works across accounts, typically `kms:Decrypt`, `kms:GenerateDataKey`, `kms:Encrypt` and `kms:DescribeKey`; keep administration in the owner account.",
                severity: .warning,
                example:
                    "granting kms:ScheduleKeyDeletion to account 444455556666 has no effect: KMS allows only cryptographic operations and a few read-only ones across accounts"
            ),
            RuleDocumentation(
                id: "policy-missing-element",
                summary:
                    "The policy has no `Statement` (or an empty one), or a statement has no `Effect` or no `Action`/`NotAction`.",
                why:
                    "AWS rejects the policy; a block labelled with `kind=` that is not a policy at all also ends up here.",
                fix:
                    "Add the missing element: the document needs `Statement`, and every statement `Effect` and `Action` (or `NotAction`).",
                severity: .error, example: "the statement has no 'Action' or 'NotAction'"),
            RuleDocumentation(
                id: "policy-missing-principal",
                summary:
                    "A statement in a bucket, key or trust policy or an RCP has neither `Principal` nor `NotPrincipal`.",
                why:
                    "A resource policy must say whom it applies to; AWS rejects the statement, and one that got through would match nobody.",
                fix:
                    "Add `Principal`, e.g. `{\"AWS\": \"arn:aws:iam::444455556666:role/ReportWriter\"}`; if the block is an identity policy, label it `kind=identity-policy`.",
                severity: .error,
                example: "a statement in a bucket policy needs a 'Principal'; without one it applies to nobody"),
            RuleDocumentation(
                id: "policy-missing-resource",
                summary:
                    "A statement has neither `Resource` nor `NotResource` in a kind that needs one (every kind but trust policies).",
                why:
                    "AWS rejects the policy; in key policies the element is easy to forget because its only sensible value is `\"*\"`.",
                fix:
                    "Add `Resource`: bucket and object ARNs in a bucket policy, `\"*\"` (this key) in a key policy, exact ARNs in an identity policy.",
                severity: .error, example: "a statement in a key policy needs 'Resource' or 'NotResource'"),
            RuleDocumentation(
                id: "policy-null-redundant",
                summary:
                    "A `Null` check for `false` on a key that another positive condition of the statement already requires.",
                why:
                    "A positive operator (not IfExists) already fails when the key is missing, so the check only lengthens the policy and suggests a protection it does not add.",
                fix:
                    "Delete the `Null` condition. It is only useful with negated or IfExists operators, which kbtool does not flag.",
                severity: .note,
                example:
                    "this Null check only restates that 'aws:PrincipalTag/team' is present, which the statement's other condition on it already requires"
            ),
            RuleDocumentation(
                id: "policy-placeholder",
                summary:
                    "A principal, action, resource or condition holds a stand-in such as `<bucket-name>`, `${BUCKET}`, `ACCOUNT_ID` or `arn-of-the-KMS-key`.",
                why:
                    "A policy pasted with a placeholder is rejected or, worse, accepted and matching nothing. Each placeholder is reported once per guide, and the format checks of the principal, action, resource or key holding it are skipped.",
                fix:
                    "Use realistic example values (accounts 111122223333 and 444455556666, `amzn-s3-demo-bucket`) so the policy can be checked and simulated, or tell readers what to substitute.",
                severity: .note,
                example: "'<bucket-name>' is a placeholder for an S3 bucket name; replace it before use"),
            RuleDocumentation(
                id: "policy-principal-format",
                summary:
                    "A principal is malformed: a wildcard inside an ARN, neither an account id nor an IAM or STS ARN, a bad service principal or canonical user id, a federated provider outside a trust policy or not a provider, `\"*\"` in a trust policy.",
                why:
                    "AWS rejects the policy or the principal matches nobody; `arn:aws:iam::ACCOUNT:role/*` reads as every role, but principal ARNs take no wildcards.",
                fix:
                    "Name an account id or a role or user ARN; to match several roles use `{\"AWS\": \"*\"}` with an `ArnLike` condition on `aws:PrincipalArn` and `aws:PrincipalAccount`.",
                severity: .error,
                example:
                    "wildcards are not allowed inside a principal ARN: 'arn:aws:iam::444455556666:role/*' matches nothing"
            ),
            RuleDocumentation(
                id: "policy-principal-not-allowed",
                summary:
                    "An identity policy or SCP has `Principal` or `NotPrincipal`, or a trust policy uses `NotPrincipal`.",
                why:
                    "AWS rejects the policy: an identity policy applies to whoever it is attached to. The block is often a resource policy whose kind came from a misleading title or `kind=`.",
                fix:
                    "Remove the element, or label the block with its real kind (`kind=bucket-policy`, `kind=key-policy`, `kind=trust-policy`).",
                severity: .error,
                example: "an identity policy cannot have 'Principal': it applies to whoever it is attached to"),
            RuleDocumentation(
                id: "policy-public-principal",
                summary:
                    "An Allow in a bucket or key policy has `Principal: \"*\"` and no condition that narrows who can match.",
                why:
                    "The statement grants its actions to every AWS account and, for S3, to anonymous callers: the bucket becomes public, the key usable by any AWS principal.",
                fix:
                    "Name the accounts or roles, or keep `\"*\"` with a positive condition on `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn` or `kms:CallerAccount`.",
                severity: .warning,
                example:
                    "Principal \"*\" without a condition that narrows it grants this to anyone, in any account, anonymous users included"
            ),
            RuleDocumentation(
                id: "policy-redundant",
                summary:
                    "An action or resource that another entry of the same element covers (a repeat, or a narrower pattern, before or after the wider one), a numeric bound another makes moot, a statement that repeats another, a role session next to its role in a trust policy.",
                why:
                    "It grants nothing more and counts towards the size quota; often it is an edit that went wrong, where a different action or ARN was meant.",
                fix: "Delete the entry, or replace it with the action or ARN that was intended.",
                severity: .note, example: "'kms:PutKeyPolicy' is redundant: 'kms:*' already covers it"),
            RuleDocumentation(
                id: "policy-resource-not-allowed", summary: "A trust policy has `Resource` or `NotResource`.",
                why: "AWS rejects it: the role the trust policy belongs to is the resource.",
                fix: "Remove the element; limit who may assume the role with `Principal` and conditions.",
                severity: .error,
                example: "a trust policy has no 'Resource': the role it is attached to is the resource"),
            RuleDocumentation(
                id: "policy-service-wildcard",
                summary: "An action's service prefix contains a wildcard, as in `s*:GetObject`.",
                why: "Only the action name may be a pattern; AWS rejects the policy.",
                fix:
                    "Write the service prefix in full (`s3:Get*`) and list each service's actions; `\"*\"` alone means every action.",
                severity: .error,
                example:
                    "the service prefix 's*' cannot contain a wildcard; only the action name can (or \"*\" on its own)"
            ),
            RuleDocumentation(
                id: "policy-set-operator-single-valued",
                summary: "`ForAllValues:` is used with a single-valued condition key.",
                why:
                    "Set operators are for multivalued keys. `ForAllValues` also holds when the key is missing, so an Allow meant to require `kms:ViaService` grants requests without it.",
                fix:
                    "Drop the qualifier (the finding carries the fix): `StringEquals`, not `ForAllValues:StringEquals`.",
                severity: .warning,
                example:
                    "ForAllValues is for multivalued keys, but 'kms:ViaService' has a single value; with it the condition also holds when the key is missing"
            ),
            RuleDocumentation(
                id: "policy-shape",
                summary:
                    "A policy element has the wrong JSON type, e.g. a bare ARN string as `Principal` or a number in `Action`.",
                why:
                    "AWS rejects the policy. kbtool leaves the element out and checks the rest, so further findings may follow from it.",
                fix:
                    "Give the element the shape the message names, e.g. `\"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"}`, and strings or arrays of strings for `Action` and `Resource`.",
                severity: .error,
                example: "'Principal' must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::444455556666:root\"}"),
            RuleDocumentation(
                id: "policy-sid-format",
                summary:
                    "A `Sid` in an identity or trust policy, SCP or RCP has characters other than ASCII letters and digits (bucket and key policies take any text).",
                why:
                    "IAM rejects identity policies whose Sid has hyphens, underscores or spaces, so a statement copied from a key policy breaks when attached to a role.",
                fix: "Use letters and digits only, e.g. `AllowPartnerRead` (the finding suggests the cleaned-up Sid).",
                severity: .error,
                example:
                    "Sid 'read-objects' contains '-'; a Sid in an identity policy may contain only ASCII letters and digits"
            ),
            RuleDocumentation(
                id: "policy-size",
                summary:
                    "A policy exceeds its kind's quota: SCP/RCP 5,120 characters (an error), key 32 KB, bucket 20 KB, identity 10,240 and trust 2,048 characters without white space (warnings).",
                why:
                    "AWS refuses to store a policy over its quota. Organizations' quota is fixed; an identity policy's depends on where it is attached (a managed policy 6,144, a role's inline policies 10,240), and a trust policy's can be raised, so those are warnings, as in Access Analyzer.",
                fix:
                    "Combine statements that share a principal and resources, drop redundant entries, or split an identity policy into several managed policies.",
                severity: .error,
                example: "this identity policy is 10301 characters without white space; the limit is 10240"),
            RuleDocumentation(
                id: "policy-unknown-action", summary: "An action, or action pattern, matches no action of its service.",
                why:
                    "A misspelt action grants nothing: AWS either rejects the policy or accepts it, and the reader's request is denied without an obvious cause.",
                fix:
                    "Use the suggested action, or look the name up in the Service Authorization Reference; a pattern must match at least one real action.",
                severity: .error, example: "unknown action 's3:GetObjcet'; did you mean 's3:GetObject'?"),
            RuleDocumentation(
                id: "policy-unknown-element",
                summary:
                    "A policy, statement or principal element is not in the policy grammar, or has the wrong case.",
                why:
                    "AWS rejects unknown elements; `Statment`, `Actions` or `action` are typical typos, and a misspelt element never takes effect.",
                fix:
                    "Rename it to the suggested element. Names are case-sensitive: `Version`, `Statement`, `Action`, `Principal`, `AWS`, `Service`.",
                severity: .error, example: "unknown statement element 'Actions'; did you mean 'Action'?"),
            RuleDocumentation(
                id: "policy-unknown-service",
                summary: "An action's service prefix is not a service in the AWS catalogue.",
                why: "No such service exists, so the entry grants nothing in an Allow and guards nothing in a Deny.",
                fix:
                    "Use the prefix from the Service Authorization Reference (`s3`, `kms`, `iam`, `sts`); kbtool suggests the closest one.",
                severity: .error, example: "unknown service prefix 's4'; did you mean 's3'?"),
            RuleDocumentation(
                id: "policy-version", summary: "`Version` is not a string, or not `2012-10-17` or `2008-10-17`.",
                why:
                    "AWS rejects other values. Writing today's date is a common mistake: the version names the policy language, not when the policy was written.",
                fix: "Use `\"Version\": \"2012-10-17\"` (the finding carries the fix).",
                severity: .error,
                example: "'Version' must be \"2012-10-17\" (or the old \"2008-10-17\"), found \"2024-01-01\""),
            RuleDocumentation(
                id: "policy-version-missing", summary: "The policy has no `Version`.",
                why:
                    "AWS then reads it as 2008-10-17, where policy variables such as `${aws:username}` are literal text, so resources and conditions built on them silently match nothing.",
                fix: "Add `\"Version\": \"2012-10-17\"` as the first element.",
                severity: .warning,
                example:
                    "the policy has no 'Version', so AWS reads it as 2008-10-17 and treats policy variables as plain text"
            ),
            RuleDocumentation(
                id: "policy-version-old", summary: "`Version` is `2008-10-17`, the old policy language.",
                why:
                    "Policy variables are literal text under it, and readers carry the old version into the new policies they write from the guide.",
                fix:
                    "Use `\"2012-10-17\"` (the finding carries the fix) and check that any `${...}` text is meant as a variable.",
                severity: .warning,
                example: "Version 2008-10-17 is the old policy language: policy variables are plain text"),
            RuleDocumentation(
                id: "policy-wildcard-action",
                summary:
                    "An Allow lists an action pattern such as `s3:Get*` (not `service:*`); the note lists what it expands to.",
                why:
                    "A pattern grants every matching action, including ones AWS adds later: `s3:Get*` also reads bucket policies, ACLs and access point settings, not only objects.",
                fix:
                    "List the actions the guide needs (e.g. `s3:GetObject`); keep the pattern only if every action it expands to is intended.",
                severity: .note,
                example:
                    "'kms:GenerateDataKey*' grants 4 actions: kms:GenerateDataKey, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:GenerateDataKeyWithoutPlaintext"
            ),

            // MARK: Transcripts
            RuleDocumentation(
                id: "transcript-output",
                summary: "A transcript command printed something other than the output the guide shows.",
                why:
                    "The guide promises a result (a response, an AccessDenied) that readers will not get; usually a policy, key setting or earlier step has drifted from the text.",
                fix:
                    "Read the diff: correct the expected output if the command is right, else the policy or command. JSON compares only the keys shown, and `...` matches any text; for a denial the finding names the denying policy layer.",
                severity: .error,
                example:
                    "the output differs from what the guide shows: [0].ApplyServerSideEncryptionByDefault.SSEAlgorithm: expected \"aws:kms\", the command printed \"AES256\""
            ),
            RuleDocumentation(
                id: "transcript-failed",
                summary: "A transcript command shown without expected output exited with a non-zero status.",
                why:
                    "A command without output reads as \"this succeeds\"; when it fails, every later step builds on a state the reader does not have.",
                fix:
                    "Fix the command or the policies it depends on (the finding names the denying layer), or show the expected error line `An error occurred (CODE) when calling the OP operation: MESSAGE`.",
                severity: .error,
                example:
                    "the command failed (exit status 254): An error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied"
            ),
            RuleDocumentation(
                id: "transcript-command",
                summary:
                    "A transcript command line is wrong itself: it does not parse, or has an unknown option or profile, a missing `file://` source or an unset variable.",
                why:
                    "The AWS CLI or the shell would refuse it or expand it to nothing, so readers who copy it get a usage error instead of the step's result.",
                fix:
                    "Correct the reported text: take the suggested option, declare the profile under `kbtool: profiles:`, title the block `file://` names, or set the variable earlier or under `kbtool: variables:`.",
                severity: .error, example: "Unknown options: --sse"),
            RuleDocumentation(
                id: "transcript-not-run",
                summary:
                    "A transcript command was not run: kbtool does not emulate it, or it uses a variable that an earlier command which failed or did not run should have set.",
                why:
                    "Its output is not checked, so the guide can be wrong there without an error; with `--strict`, commands kbtool does not emulate are errors.",
                fix:
                    "For a skipped command, fix the command on the line the note names, or set the variable under `kbtool: variables:` if that command is in a `kb=skip` block. Mark blocks kbtool does not emulate `kb=skip`.",
                severity: .note, example: "not executed: kbtool does not emulate `aws ec2 describe-vpcs`"),
            RuleDocumentation(
                id: "transcript-setup",
                summary:
                    "The `kbtool:` front matter is wrong: an unknown setting or mistyped value, a profile that is not a principal ARN, an undeclared default profile, or a policy title no block has.",
                why:
                    "The simulated accounts then differ from what the guide describes (a profile without its policies, the wrong Region), so transcripts fail, or pass for the wrong reason.",
                fix:
                    "Correct the setting: profiles map names to principal ARNs, or to `principal:` and `policies:`; `policies:` lists titles of this guide's JSON blocks.",
                severity: .error,
                example: "profile 'partner-app' attaches 'partner-policy.json', but no block has that title"),

            // MARK: Configuration
            RuleDocumentation(
                id: "configuration",
                summary:
                    "`kbtool.yml` is malformed: not a YAML mapping, an unknown setting, a rule level other than error, warning, note or off, or `include`/`exclude` not a list of globs.",
                why:
                    "The rule levels and file selection the team agreed on are then not applied as written, so CI fails or passes on other findings than intended.",
                fix:
                    "Keep to the three settings: `rules` maps rule ids to `error`, `warning`, `note` or `off`; `include` and `exclude` list glob patterns relative to the file's folder.",
                severity: .error, example: "unknown setting 'rule' in kbtool.yml"),

            // MARK: The guide as a whole
            RuleDocumentation(
                id: "guide-bucket-spelling",
                summary:
                    "Two bucket names a few letters apart appear in the guide's policies: probably one bucket misspelt.",
                why:
                    "A policy that names the misspelt bucket grants nothing on the real one; the reader's access fails with no hint that a letter is wrong.",
                fix: "Spell the bucket the same way in every block; the related locations list each spelling.",
                severity: .warning,
                example:
                    "the bucket is 'example-reprts' here but 'example-reports' elsewhere in the guide; they are probably one bucket"
            ),
            RuleDocumentation(
                id: "guide-flow",
                summary:
                    "The guide's cross-account flow (the partner's PutObject, GetObject and ListBucket on the owner's SSE-KMS bucket), run in the engine with the guide's own policies: whether it works, and which policy denies if not.",
                why:
                    "Each policy can be valid on its own while the set does not work: across accounts the identity policy, the bucket policy and the key policy must all allow every request.",
                fix:
                    "Change the block the finding points at; the note gives the evaluator's reason. A note says when the guide lacks a policy the flow needs, or never grants an action (then it is not taken as part of the flow).",
                severity: .error,
                example:
                    "the partner's GetObject is denied by the key policy (kms:Decrypt on arn:aws:kms:us-east-1:111122223333:key/…)"
            ),
            RuleDocumentation(
                id: "guide-identity-not-covered",
                summary:
                    "The partner's identity policy grants a bucket resource that no bucket policy statement covers.",
                why:
                    "Across accounts the bucket policy must allow the request too, so the identity policy's grant on that resource is dead, and readers are told it works.",
                fix:
                    "Add the resource to the bucket policy's statement for the partner, or drop it from the identity policy.",
                severity: .warning,
                example:
                    "the identity policy grants 'arn:aws:s3:::example-reports/archive/*', which the bucket policy does not cover"
            ),
            RuleDocumentation(
                id: "guide-key-mismatch",
                summary: "The identity policy names a KMS key other than the one the bucket's default encryption uses.",
                why:
                    "S3 calls KMS with the bucket's key on the caller's behalf; permission on another key does not help, so every put and get is denied.",
                fix: "Name the bucket's key ARN (the one in the encryption configuration) in the identity policy.",
                severity: .error),
            RuleDocumentation(
                id: "guide-kind-conflict",
                summary:
                    "The text around a JSON block calls it one kind of policy, but its structure reads as another.",
                why:
                    "Readers attach it where the text says; a bucket policy pasted as an identity policy (or the reverse) is rejected or grants nothing.",
                fix: "Fix whichever is wrong, the text or the policy, or state the kind with `kind=` on the fence.",
                severity: .warning,
                example:
                    "the text calls this block a key policy, but it reads as a identity policy: no statement has a Principal"
            ),
            RuleDocumentation(
                id: "guide-least-privilege",
                summary:
                    "A grant the flow needs is written as a wildcard (`s3:*`, `kms:*` to another account) where the flow's actions suffice.",
                why:
                    "Wildcards grant every present and future action, such as deleting objects or scheduling the key's deletion, to a principal that only needs to read and write.",
                fix:
                    "Use the replacement statement in the note: the same statement with only the actions the flow uses (GetObject, PutObject, ListBucket; Decrypt, GenerateDataKey).",
                severity: .warning,
                example:
                    "statement PartnerKeyUse grants kms:* to another account where kms:Decrypt, kms:GenerateDataKey suffice"
            ),
            RuleDocumentation(
                id: "guide-placeholder-spelling",
                summary: "Two placeholders a few letters apart appear in the guide: probably one value spelt two ways.",
                why:
                    "A reader replaces one and leaves the other, so the pasted policies name a value that does not exist.",
                fix: "Spell the placeholder the same way everywhere.",
                severity: .warning,
                example:
                    "'arn-of-the-exisiting-acct-role' and 'arn-of-the-existing-account-role' are spelled alike: probably one placeholder"
            ),
            RuleDocumentation(
                id: "guide-principal-mismatch",
                summary: "The bucket policy lets a principal in that the key policy does not let use the key.",
                why: "With SSE-KMS every get and put also needs the key, so that principal's requests are denied.",
                fix:
                    "Grant the same principal kms:Decrypt and kms:GenerateDataKey in the key policy (or its account's root).",
                severity: .warning),

            // MARK: Facts and prose
            RuleDocumentation(
                id: "fact-false", summary: "A fact the guide states matches a claim the knowledge base marks false.",
                why: "Readers act on facts; a false one leads to configurations that fail or expose data.",
                fix: "Rewrite the item as the note's 'now:' line says, or remove it.", severity: .error),
            RuleDocumentation(
                id: "fact-outdated",
                summary:
                    "A fact the guide states matches a claim that was true once and is outdated since a given date.",
                why:
                    "Guides written before a change keep repeating the old behaviour; readers trust the date-less text.",
                fix: "Rewrite the item to what holds now (the note's 'now:' line) and link the claim's source.",
                severity: .warning,
                example:
                    "outdated fact: KMS keys are single-Region only; … (claim 'kms-keys-single-region-only', outdated since 2021-06-16)"
            ),
            RuleDocumentation(
                id: "fact-unknown-claim",
                summary: "A fact names a claim id (`<!-- claim: ID -->`) that claims.yml does not have.",
                why: "The reference was meant to tie the fact to its evidence; a typo leaves it unchecked.",
                fix: "Correct the id (the note suggests the closest one) or add the claim to claims.yml.",
                severity: .error),
            RuleDocumentation(
                id: "fact-unverified",
                summary: "A fact the guide states matches no claim of the knowledge base, by id or by meaning.",
                why:
                    "Unchecked facts are how guides go stale: nobody notices when AWS changes the behaviour they describe.",
                fix:
                    "Add a claim to claims.yml (statement, status, since, source, and a demonstration), or tag the item <!-- claim: ID --> for an existing one.",
                severity: .warning, example: "unverified fact: no claim of the knowledge base matches it"),
            RuleDocumentation(
                id: "facts-file",
                summary:
                    "`claims.yml` or `prose-rules.yml` is malformed: YAML errors, missing fields, an unknown status, a duplicate id.",
                why: "Claims that cannot be read check nothing, so facts pass or fail for the wrong reason.",
                fix:
                    "Each claim needs id, statement and status (holds, outdated or false; outdated and false need since); terms need term and use.",
                severity: .error),
            RuleDocumentation(
                id: "prose-deprecated-term",
                summary: "The guide's prose uses a term AWS has retired (listed in prose-rules.yml).",
                why:
                    "Readers search the AWS documentation with the guide's words; retired terms find old pages or none.",
                fix:
                    "Write the replacement the finding names (the fix shows it); code and command output are not checked.",
                severity: .warning, example: "'CMK' is no longer AWS's term: use 'KMS key'"),
            RuleDocumentation(
                id: "prose-outdated-claim",
                summary: "The guide's prose repeats the wording of a claim that is outdated or false.",
                why:
                    "A sentence anywhere in a guide is read as current; an outdated one misleads as much as a wrong policy.",
                fix: "Rewrite the sentence to what holds now; the note gives it and the source.", severity: .warning),
        ] + analyzerChecks
}
