import Foundation
import KBCloud
import KBJSON
import Testing

@testable import KBAWSCLI
@testable import KBCLIModel

/// A world with an owner (root and admin role) and a partner role, driven
/// through the CLI as a guide's reader would.
struct CLIWorld {
    let world = World(seed: "cli-tests")
    let cli: AWSCLI
    var files: [String: [UInt8]] = [
        "report.csv": Array("id,total\n1,42\n".utf8),
        "bucket-policy.json": Array(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Reader"},\
            "Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
            """.utf8),
        "trust.json": Array(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}
            """.utf8),
        "read.json": Array(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","kms:Decrypt"],"Resource":"*"}]}
            """.utf8),
    ]

    init() throws {
        try world.setPrincipal("arn:aws:iam::444455556666:role/Reader")
        cli = AWSCLI(
            world: world,
            profiles: [
                "owner": CLIProfile(principal: "arn:aws:iam::111122223333:root"),
                "partner": CLIProfile(principal: "arn:aws:iam::444455556666:role/Reader"),
                "eu": CLIProfile(principal: "arn:aws:iam::111122223333:root", region: "eu-west-1"),
                "auditor": CLIProfile(principal: "arn:aws:iam::111122223333:role/Auditor"),
            ], defaultProfile: "owner", defaultRegion: "us-east-1")
    }

    @discardableResult
    func run(_ line: String, environment: [String: String] = [:]) -> CLIResult {
        let files = self.files
        return cli.run(Self.words(line), environment: environment, readFile: { files[$0] })
    }

    /// Whitespace-separated words; single quotes group (enough for these tests).
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var inWord = false
        for character in line {
            if character == "'" {
                quoted.toggle()
                inWord = true
            } else if character == " " && !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    func json(_ result: CLIResult) throws -> JSONValue {
        try #require(JSONParser.parse(result.stdout).value, "not JSON: \(result.stdout) \(result.stderr)")
    }
}

@Suite struct AWSCLITests {
    @Test("kms create-key answers KeyMetadata with the API's fields, and --query picks one")
    func createKey() throws {
        let env = try CLIWorld()
        let created = env.run("kms create-key --description demo")
        #expect(created.status == 0, "\(created.stderr)")
        let metadata = try #require(try env.json(created)["KeyMetadata"])
        #expect(metadata.members?.map(\.key).prefix(5) == ["AWSAccountId", "KeyId", "Arn", "CreationDate", "Enabled"])
        #expect(metadata["KeyState"]?.string == "Enabled")
        #expect(metadata["Description"]?.string == "demo")
        #expect(metadata["AWSAccountId"]?.string == "111122223333")
        let arn = try #require(metadata["Arn"]?.string)
        let state = env.run("kms describe-key --key-id \(arn) --query KeyMetadata.KeyState --output text")
        #expect(state.stdout == "Enabled\n")
        #expect(state.operation == "DescribeKey")
    }

    @Test("service errors print as the CLI prints them, with exit status 254")
    func serviceErrors() throws {
        let env = try CLIWorld()
        let missing = env.run("kms describe-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab")
        #expect(missing.status == 254)
        #expect(
            missing.stderr.hasPrefix("\nAn error occurred (NotFoundException) when calling the DescribeKey operation: ")
        )
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        env.run("s3api put-object --bucket amzn-s3-demo-bucket --key r.csv --body report.csv")
        let denied = env.run("s3api get-object --bucket amzn-s3-demo-bucket --key r.csv out.csv --profile partner")
        #expect(
            denied.stderr == "\nAn error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n")
        #expect(denied.events.contains { if case .authorization = $0 { return true } else { return false } })
        // HEAD responses have no body: the CLI shows the HTTP status.
        let head = env.run("s3api head-object --bucket amzn-s3-demo-bucket --key r.csv --profile partner")
        #expect(head.stderr == "\nAn error occurred (403) when calling the HeadObject operation: Forbidden\n")
        let missingObject = env.run("s3api head-object --bucket amzn-s3-demo-bucket --key nothing")
        #expect(missingObject.stderr == "\nAn error occurred (404) when calling the HeadObject operation: Not Found\n")
    }

    @Test(
        "usage errors exit 252 and name the option, with a suggestion",
        arguments: [
            ("s3api head-object --buckt b --key k", "Unknown options: --buckt", "--bucket"),
            ("s3api head-object --key k", "the following arguments are required: --bucket", nil),
            ("kms descrbe-key --key-id x", "argument operation: Found invalid choice 'descrbe-key'", "describe-key"),
            (
                "kms put-key-policy --key-id x --policy file://missing.json",
                "Error parsing parameter '--policy': Unable to load paramfile file://missing.json: [Errno 2] No such file or directory: 'missing.json'",
                nil
            ),
            (
                "s3api list-objects-v2 --bucket b --output yaml-ish",
                "argument --output: Found invalid choice 'yaml-ish'", nil
            ),
        ] as [(String, String, String?)])
    func usage(line: String, message: String, suggestion: String?) throws {
        let result = try CLIWorld().run(line)
        #expect(result.status == 252)
        #expect(result.usageError?.message == message)
        #expect(result.usageError?.suggestion == suggestion)
        #expect(result.stderr.contains("aws: error: \(message)"))
    }

    @Test("an unknown profile is a bad command line, with the closest profile suggested")
    func unknownProfile() throws {
        let result = try CLIWorld().run("sts get-caller-identity --profile partnr")
        #expect(result.status == 255)
        #expect(result.stderr == "\nThe config profile (partnr) could not be found\n")
        #expect(result.usageError?.suggestion == "partner")
    }

    @Test("commands kbtool does not emulate are marked, not run")
    func unsupported() throws {
        let env = try CLIWorld()
        #expect(env.run("ec2 describe-instances").unsupported)
        #expect(env.run("kms list-keys").unsupported)
        #expect(env.run("s3 cp ./dir s3://b/ --recursive").unsupported)
        #expect(!env.run("kms list-aliases").unsupported)
    }

    @Test("a role profile acts through a session named after the profile")
    func callerIdentity() throws {
        let env = try CLIWorld()
        let identity = try env.json(env.run("sts get-caller-identity --profile partner"))
        #expect(identity["Arn"]?.string == "arn:aws:sts::444455556666:assumed-role/Reader/partner")
        #expect(identity["Account"]?.string == "444455556666")
        #expect(identity["UserId"]?.string?.hasPrefix("AROA") == true)
        #expect(identity["UserId"]?.string?.hasSuffix(":partner") == true)
        let root = try env.json(env.run("sts get-caller-identity"))
        #expect(root["UserId"]?.string == "111122223333")
    }

    @Test("the Region comes from --region, then AWS_REGION, then the profile, then the guide")
    func regions() throws {
        let env = try CLIWorld()
        func keyRegion(_ line: String, _ environment: [String: String] = [:]) throws -> String? {
            let arn = try env.json(env.run(line, environment: environment))["KeyMetadata"]?["Arn"]?.string
            return arn?.split(separator: ":")[3].description
        }
        #expect(try keyRegion("kms create-key") == "us-east-1")
        #expect(try keyRegion("kms create-key --profile eu") == "eu-west-1")
        #expect(try keyRegion("kms create-key", ["AWS_REGION": "ap-south-1"]) == "ap-south-1")
        #expect(try keyRegion("kms create-key --region sa-east-1", ["AWS_REGION": "ap-south-1"]) == "sa-east-1")
    }

    @Test("encrypt and decrypt round-trip with an encryption context in shorthand and JSON")
    func encryptDecrypt() throws {
        var env = try CLIWorld()
        let arn = try #require(try env.json(env.run("kms create-key"))["KeyMetadata"]?["Arn"]?.string)
        let sealed = env.run(
            "kms encrypt --key-id \(arn) --plaintext aGVsbG8= --encryption-context purpose=test,team=a --query CiphertextBlob --output text"
        )
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let blob = sealed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        env.files["blob.bin"] = Array(Data(base64Encoded: blob)!)
        let opened = env.run(
            "kms decrypt --ciphertext-blob fileb://blob.bin --encryption-context '{\"team\":\"a\",\"purpose\":\"test\"}' --query Plaintext --output text"
        )
        #expect(opened.stdout == "aGVsbG8=\n", "\(opened.stderr)")
        let wrong = env.run("kms decrypt --ciphertext-blob \(blob) --encryption-context purpose=prod")
        #expect(wrong.stderr.contains("(InvalidCiphertextException) when calling the Decrypt operation"))
        let raw = env.run("kms encrypt --key-id \(arn) --plaintext hello --cli-binary-format raw-in-base64-out")
        #expect(raw.status == 0)
    }

    @Test("s3api put, head, get, list and copy show the object's encryption")
    func objects() throws {
        let env = try CLIWorld()
        let arn = try #require(try env.json(env.run("kms create-key"))["KeyMetadata"]?["Arn"]?.string)
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        let put = try env.json(
            env.run(
                "s3api put-object --bucket amzn-s3-demo-bucket --key r.csv --body report.csv --server-side-encryption aws:kms --ssekms-key-id \(arn) --bucket-key-enabled"
            ))
        #expect(put["ServerSideEncryption"]?.string == "aws:kms")
        #expect(put["SSEKMSKeyId"]?.string == arn)
        #expect(put["BucketKeyEnabled"]?.bool == true)
        #expect(put["ETag"]?.string?.hasPrefix("\"") == true)
        let get = env.run("s3api get-object --bucket amzn-s3-demo-bucket --key r.csv out.csv")
        #expect(get.writtenFiles["out.csv"] == env.files["report.csv"])
        #expect(try env.json(get)["ContentLength"]?.number?.literal == "14")
        let list = try env.json(env.run("s3api list-objects-v2 --bucket amzn-s3-demo-bucket"))
        #expect(list["Contents"]?.elements?.first?["Key"]?.string == "r.csv")
        #expect(list["Contents"]?.elements?.first?["Size"]?.number?.literal == "14")
        let copy = try env.json(
            env.run(
                "s3api copy-object --bucket amzn-s3-demo-bucket --key r.csv --copy-source amzn-s3-demo-bucket/r.csv --server-side-encryption AES256"
            ))
        #expect(copy["ServerSideEncryption"]?.string == "AES256")
        #expect(copy["CopyObjectResult"]?["ETag"] != nil)
        let head = try env.json(env.run("s3api head-object --bucket amzn-s3-demo-bucket --key r.csv"))
        #expect(head["ServerSideEncryption"]?.string == "AES256")
        #expect(head["SSEKMSKeyId"] == nil)
        let mismatched = env.run("s3api put-object --bucket amzn-s3-demo-bucket --key x --ssekms-key-id \(arn)")
        #expect(mismatched.stderr.contains("(InvalidArgument)"))
    }

    @Test("bucket settings: encryption in JSON, versioning in shorthand, policy from a file")
    func bucketSettings() throws {
        let env = try CLIWorld()
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        let put = env.run(
            "s3api put-bucket-encryption --bucket amzn-s3-demo-bucket --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/aws/s3\"},\"BucketKeyEnabled\":true}]}'"
        )
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.stdout.isEmpty)
        let rule = try env.json(env.run("s3api get-bucket-encryption --bucket amzn-s3-demo-bucket"))[
            "ServerSideEncryptionConfiguration"]?["Rules"]?.elements?.first
        #expect(rule?["ApplyServerSideEncryptionByDefault"]?["KMSMasterKeyID"]?.string == "alias/aws/s3")
        #expect(rule?["BucketKeyEnabled"]?.bool == true)
        #expect(
            env.run(
                "s3api put-bucket-versioning --bucket amzn-s3-demo-bucket --versioning-configuration Status=Enabled"
            ).status == 0)
        #expect(
            env.run("s3api put-bucket-policy --bucket amzn-s3-demo-bucket --policy file://bucket-policy.json").status
                == 0)
        let policy = try env.json(env.run("s3api get-bucket-policy --bucket amzn-s3-demo-bucket"))["Policy"]?.string
        #expect(policy?.contains("s3:GetObject") == true)
    }

    @Test("create-bucket outside us-east-1 needs a matching LocationConstraint")
    func locationConstraint() throws {
        let env = try CLIWorld()
        #expect(
            env.run("s3api create-bucket --bucket eu-bucket-1 --region eu-west-1").stderr.contains(
                "(IllegalLocationConstraintException)"))
        let made = try env.json(
            env.run(
                "s3api create-bucket --bucket eu-bucket-1 --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1"
            ))
        #expect(made["Location"]?.string == "http://eu-bucket-1.s3.amazonaws.com/")
    }

    @Test("aws s3 cp and ls print the high-level commands' lines")
    func highLevel() throws {
        let env = try CLIWorld()
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        let upload = env.run("s3 cp report.csv s3://amzn-s3-demo-bucket/reports/ --sse aws:kms")
        #expect(
            upload.stdout == "upload: ./report.csv to s3://amzn-s3-demo-bucket/reports/report.csv\n", "\(upload.stderr)"
        )
        let head = try env.json(env.run("s3api head-object --bucket amzn-s3-demo-bucket --key reports/report.csv"))
        #expect(head["ServerSideEncryption"]?.string == "aws:kms")
        let sse = env.run("s3 cp report.csv s3://amzn-s3-demo-bucket/plain.csv --sse")
        #expect(sse.status == 0, "\(sse.stderr)")
        let listing = env.run("s3 ls s3://amzn-s3-demo-bucket/")
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout == "                           PRE reports/\n2026-01-01 00:00:00         14 plain.csv\n")
        let download = env.run("s3 cp s3://amzn-s3-demo-bucket/plain.csv ./copy.csv")
        #expect(download.stdout == "download: s3://amzn-s3-demo-bucket/plain.csv to ./copy.csv\n")
        #expect(download.writtenFiles["./copy.csv"] == env.files["report.csv"])
        let denied = env.run("s3 cp s3://amzn-s3-demo-bucket/plain.csv x.csv --profile partner")
        #expect(denied.status == 1)
        #expect(
            denied.stderr == "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden\n")
    }

    @Test("iam roles and inline policies, authorized in the caller's account")
    func iamRoles() throws {
        let env = try CLIWorld()
        let role = try env.json(
            env.run("iam create-role --role-name Writer --assume-role-policy-document file://trust.json"))["Role"]
        #expect(role?["Arn"]?.string == "arn:aws:iam::111122223333:role/Writer")
        #expect(role?["AssumeRolePolicyDocument"]?["Version"]?.string == "2012-10-17")
        #expect(
            env.run("iam put-role-policy --role-name Writer --policy-name read --policy-document file://read.json")
                .status == 0)
        let policy = try env.json(env.run("iam get-role-policy --role-name Writer --policy-name read"))
        #expect(policy["PolicyDocument"]?["Statement"]?.elements?.count == 1)
        #expect(
            env.run("iam create-role --role-name Writer --assume-role-policy-document file://trust.json").stderr
                .contains("(EntityAlreadyExists)"))
        let denied = env.run(
            "iam put-role-policy --role-name Reader --policy-name x --policy-document file://read.json --profile partner"
        )
        #expect(denied.stderr.contains("(AccessDenied) when calling the PutRolePolicy operation"))
        #expect(env.run("iam delete-role-policy --role-name Writer --policy-name read").status == 0)
        #expect(env.run("iam get-role-policy --role-name Writer --policy-name read").stderr.contains("(NoSuchEntity)"))
    }

    @Test(
        "shorthand syntax parses as the CLI's does",
        arguments: [
            ("Status=Enabled", #"{"Status":"Enabled"}"#),
            ("purpose=test,team=a", #"{"purpose":"test","team":"a"}"#),
            ("Keys=a,b,c,Other=d", #"{"Keys":["a","b","c"],"Other":"d"}"#),
            (
                "Parts=[{ETag=x,PartNumber=1},{ETag=y,PartNumber=2}]",
                #"{"Parts":[{"ETag":"x","PartNumber":"1"},{"ETag":"y","PartNumber":"2"}]}"#
            ),
            ("Name=\"a,b\"", #"{"Name":"a,b"}"#),
            ("{\"k\": 1}", #"{"k":1}"#),
        ])
    func shorthand(text: String, json: String) throws {
        let parsed = try Shorthand.structure(text, option: "--x")
        let expected = Response.strippingRanges(try #require(JSONParser.parse(json).value))
        #expect(parsed == expected)
    }

    @Test("multi-Region keys list their primary and replicas; a replica's description is its own")
    func multiRegion() throws {
        let env = try CLIWorld()
        let primary = try #require(
            try env.json(env.run("kms create-key --multi-region --description primary"))["KeyMetadata"])
        let id = try #require(primary["KeyId"]?.string)
        #expect(primary["MultiRegionConfiguration"]?["PrimaryKey"]?["Region"]?.string == "us-east-1")
        let replica = try #require(
            try env.json(env.run("kms replicate-key --key-id \(id) --replica-region eu-west-1 --description copy"))[
                "ReplicaKeyMetadata"])
        #expect(replica["Description"]?.string == "copy")
        #expect(replica["MultiRegionConfiguration"]?["MultiRegionKeyType"]?.string == "REPLICA")
        let described = try env.json(env.run("kms describe-key --key-id \(id)"))["KeyMetadata"]
        #expect(described?["Description"]?.string == "primary")
        #expect(
            described?["MultiRegionConfiguration"]?["ReplicaKeys"]?.elements?.map { $0["Region"]?.string }
                == ["eu-west-1"])
    }

    @Test("request headers override the bucket's Bucket Key setting and add encryption context")
    func headerOverrides() throws {
        let env = try CLIWorld()
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        env.run(
            "s3api put-bucket-encryption --bucket amzn-s3-demo-bucket --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\"},\"BucketKeyEnabled\":true}]}'"
        )
        let off = try env.json(
            env.run("s3api put-object --bucket amzn-s3-demo-bucket --key a --body report.csv --no-bucket-key-enabled"))
        #expect(off["BucketKeyEnabled"] == nil)
        // {"team":"a"} in base64.
        let withContext = env.run(
            "s3api put-object --bucket amzn-s3-demo-bucket --key b --body report.csv --ssekms-encryption-context eyJ0ZWFtIjoiYSJ9"
        )
        let contexts = withContext.events.compactMap { event -> [String: String]? in
            if case .crypto(_, _, let context) = event { return context } else { return nil }
        }
        #expect(contexts.contains { $0["team"] == "a" && $0["aws:s3:arn"] == "arn:aws:s3:::amzn-s3-demo-bucket" })
        let bad = env.run("s3api put-object --bucket amzn-s3-demo-bucket --key c --ssekms-encryption-context !!")
        #expect(bad.stderr.contains("(InvalidArgument)"))
        #expect(
            env.run(
                "s3api copy-object --bucket amzn-s3-demo-bucket --key a --copy-source amzn-s3-demo-bucket/a --metadata-directive REPLACE"
            ).status == 0)
    }

    @Test("KMS sends no message with InvalidCiphertextException, so the CLI prints none")
    func invalidCiphertextMessage() throws {
        let env = try CLIWorld()
        let arn = try #require(try env.json(env.run("kms create-key"))["KeyMetadata"]?["Arn"]?.string)
        let blob = try #require(
            try env.json(env.run("kms encrypt --key-id \(arn) --plaintext aGk="))["CiphertextBlob"]?.string)
        let result = env.run("kms decrypt --ciphertext-blob \(blob) --encryption-context a=b")
        #expect(
            result.stderr == "\nAn error occurred (InvalidCiphertextException) when calling the Decrypt operation: \n")
    }
}

@Suite struct TraceTests {
    @Test("a KMS denial relayed by S3 appears once in the trace")
    func noDuplicateDenials() throws {
        var env = try CLIWorld()
        env.files["s3-only.json"] = Array(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#.utf8)
        env.run("iam create-role --role-name Auditor --assume-role-policy-document file://trust.json")
        env.run("iam put-role-policy --role-name Auditor --policy-name s3 --policy-document file://s3-only.json")
        let arn = try #require(try env.json(env.run("kms create-key"))["KeyMetadata"]?["Arn"]?.string)
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        env.run(
            "s3api put-object --bucket amzn-s3-demo-bucket --key k --body report.csv --server-side-encryption aws:kms --ssekms-key-id \(arn)"
        )
        let denied = env.run("s3api get-object --bucket amzn-s3-demo-bucket --key k out --profile auditor")
        let authorizations = denied.events.compactMap { event -> String? in
            if case .authorization(_, let action, _, _) = event { return action } else { return nil }
        }
        #expect(denied.stderr.contains("(AccessDenied)"))
        #expect(authorizations == ["s3:GetObject", "kms:Decrypt"])
    }
}

@Suite struct QueryTests {
    @Test("--query takes the JMESPath guides use, and --output text prints the result as the CLI does")
    func queries() throws {
        let env = try CLIWorld()
        let arn = try #require(try env.json(env.run("kms create-key"))["KeyMetadata"]?["Arn"]?.string)
        env.run("kms create-alias --alias-name alias/reports --target-key-id \(arn)")
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        for key in ["a.csv", "b.csv"] {
            env.run("s3api put-object --bucket amzn-s3-demo-bucket --key \(key) --body report.csv")
        }
        #expect(
            env.run("s3api list-objects-v2 --bucket amzn-s3-demo-bucket --query Contents[].Key --output text").stdout
                == "a.csv\tb.csv\n")
        #expect(env.run("s3api list-objects-v2 --bucket amzn-s3-demo-bucket --query length(Contents)").stdout == "2\n")
        let target = env.run(
            "kms list-aliases --query 'Aliases[?AliasName==`alias/reports`].TargetKeyId | [0]' --output text")
        #expect(target.stdout == String(arn.split(separator: "/").last!) + "\n", "\(target.stderr)")
        let pair = env.run(
            "s3api head-object --bucket amzn-s3-demo-bucket --key a.csv --query [ServerSideEncryption,ContentLength] --output text"
        )
        #expect(pair.stdout == "AES256\t14\n")
        let hash = try env.json(
            env.run("s3api head-object --bucket amzn-s3-demo-bucket --key a.csv --query {Mode:ServerSideEncryption}"))
        #expect(hash["Mode"]?.string == "AES256")
        let bad = env.run("kms list-aliases --query Aliases[")
        #expect(bad.status == 255)
        #expect(!bad.stderr.contains("usage:"))
        #expect(bad.usageError?.message.hasPrefix("Bad value for --query Aliases[") == true)
    }

    @Test("values that fail to parse print only the message and exit 255, as the CLI's own errors do")
    func valueErrors() throws {
        var env = try CLIWorld()
        let padding = env.run("kms encrypt --key-id x --plaintext abc")
        #expect(padding.status == 255)
        #expect(padding.stderr == "\nInvalid base64: \"abc\"\n")
        #expect(padding.usageError?.message == "Invalid base64: \"abc\"")
        // file:// reads text, which is then base64 unless raw-in-base64-out.
        env.files["secret.txt"] = Array("hello\n".utf8)
        #expect(env.run("kms encrypt --key-id x --plaintext file://secret.txt").stderr.contains("Invalid base64"))
        let arn = try #require(try env.json(env.run("kms create-key"))["KeyMetadata"]?["Arn"]?.string)
        let raw = env.run(
            "kms encrypt --key-id \(arn) --plaintext file://secret.txt --cli-binary-format raw-in-base64-out")
        #expect(raw.status == 0)
        // Python skips characters outside the alphabet.
        #expect(env.run("kms encrypt --key-id \(arn) --plaintext SGVs\tbG8=").status == 0)
        let deep = env.run(
            "kms encrypt --key-id x --plaintext aGk= --encryption-context a=" + String(repeating: "[", count: 5_000))
        #expect(deep.usageError?.message.contains("nested deeper than 32 levels") == true)
        let noProfile = AWSCLI(world: env.world, profiles: [:], defaultProfile: nil, defaultRegion: "us-east-1")
        #expect(noProfile.run(["sts", "get-caller-identity"], readFile: { _ in nil }).status == 253)
        let yaml = env.run("sts get-caller-identity --output yaml")
        #expect(yaml.unsupported)
        let broken = AWSCLI(
            world: env.world, profiles: ["x": CLIProfile(principal: "arn:aws:iam::role/Admin")], defaultProfile: "x",
            defaultRegion: "us-east-1")
        #expect(broken.run(["sts", "get-caller-identity"], readFile: { _ in nil }).status == 255)
    }

    @Test("get-object to /dev/stdout prints the body; a missing key names itself in s3 cp")
    func downloads() throws {
        let env = try CLIWorld()
        env.run("s3api create-bucket --bucket amzn-s3-demo-bucket")
        env.run("s3api put-object --bucket amzn-s3-demo-bucket --key r.csv --body report.csv")
        let printed = env.run("s3api get-object --bucket amzn-s3-demo-bucket --key r.csv /dev/stdout")
        #expect(printed.stdout.hasPrefix("id,total\n1,42\n{"))
        let missing = env.run("s3 cp s3://amzn-s3-demo-bucket/missing.csv .")
        #expect(
            missing.stderr
                == "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"missing.csv\" does not exist\n"
        )
    }
}

/// `run` is `parse` then `execute`: a parsed command runs against the world.
@Suite struct ParseThenExecuteTests {
    @Test func aParsedCommandRunsAgainstTheWorld() throws {
        let world = World(seed: "parse-execute")
        let cli = AWSCLI(
            world: world, profiles: ["owner": CLIProfile(principal: "arn:aws:iam::111122223333:root")],
            defaultProfile: "owner", defaultRegion: "us-east-1")
        let command = try cli.parse(["sts", "get-caller-identity", "--query", "Account", "--output", "text"]) { _ in nil
        }
        #expect(command.principal == "arn:aws:iam::111122223333:root")
        let result = cli.execute(command) { _ in nil }
        #expect(result.status == 0)
        #expect(result.stdout == "111122223333\n")
        #expect(result.operation == "GetCallerIdentity")
    }

    @Test func anOperationTheModelDescribesWithoutAHandlerIsNotEmulated() throws {
        let cli = AWSCLI(
            world: World(seed: "x"), profiles: ["owner": CLIProfile(principal: "arn:aws:iam::111122223333:root")],
            defaultProfile: "owner", defaultRegion: "us-east-1")
        var table = CommandTable.emulated
        table.services["ec2"] = CommandTable.Service(operations: [
            "describe-instances": OperationModel(apiName: "DescribeInstances", options: [])
        ])
        let parser = CLIParser(model: table, configuration: cli.configuration)
        let command = try parser.parse(["ec2", "describe-instances"]) { _ in nil }
        let result = cli.execute(command) { _ in nil }
        #expect(result.unsupported && result.status == 255)
    }
}
