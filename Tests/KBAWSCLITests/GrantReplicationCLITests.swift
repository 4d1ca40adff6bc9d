import Foundation
import KBCloud
import KBJSON
import Testing

@testable import KBAWSCLI

/// The CLI commands behind issue 15's engine features: grants, SSE-C options,
/// replication, presigned URLs, ownership controls and the rotation commands.
@Suite struct GrantReplicationCLITests {
    static let reader = "arn:aws:iam::444455556666:role/Reader"

    func keyARN(_ env: CLIWorld) throws -> String {
        let created = env.run("kms create-key --description grants")
        return try #require(try env.json(created)["KeyMetadata"]?["Arn"]?.string)
    }

    @Test("kms create-grant / list-grants / retire-grant: a grant opens the key to its grantee, within its constraint")
    func grantsThroughTheCLI() throws {
        let env = try CLIWorld()
        let key = try keyARN(env)
        let encrypt =
            "kms encrypt --profile partner --key-id \(key) --plaintext aGk= --encryption-context Department=IT"
        #expect(env.run(encrypt).stderr.contains("(AccessDeniedException) when calling the Encrypt operation"))
        let created = env.run(
            "kms create-grant --key-id \(key) --grantee-principal \(Self.reader) --operations Encrypt Decrypt --constraints EncryptionContextSubset={Department=IT}"
        )
        #expect(created.status == 0, "\(created.stderr)")
        let token = try #require(try env.json(created)["GrantToken"]?.string)
        let grantId = try #require(try env.json(created)["GrantId"]?.string)
        #expect(env.run(encrypt).status == 0)
        let other = env.run(
            "kms encrypt --profile partner --key-id \(key) --plaintext aGk= --encryption-context Department=HR")
        #expect(other.status == 254)
        let listed = try env.json(env.run("kms list-grants --key-id \(key)"))
        let grant = try #require(listed["Grants"]?.elements?.first)
        #expect(grant["GrantId"]?.string == grantId)
        #expect(grant["Constraints"]?["EncryptionContextSubset"]?["Department"]?.string == "IT")
        #expect(grant["Operations"]?.elements?.compactMap(\.string) == ["Encrypt", "Decrypt"])
        #expect(env.run("kms retire-grant --grant-token \(token)").status == 0)
        #expect(env.run(encrypt).status == 254)
        #expect(env.run("kms list-grants --key-id \(key) --query 'length(Grants)'").stdout == "0\n")
    }

    @Test("--grant-tokens: with a propagation delay, a new grant works at once only with its token")
    func grantTokensOnTheCommandLine() throws {
        let env = try CLIWorld()
        env.world.setGrantPropagationDelay(300)
        let key = try keyARN(env)
        let token = env.run(
            "kms create-grant --key-id \(key) --grantee-principal \(Self.reader) --operations GenerateDataKey --query GrantToken --output text"
        ).stdout.trimmingCharacters(in: .newlines)
        let generate = "kms generate-data-key --profile partner --key-id \(key) --key-spec AES_256"
        #expect(env.run(generate).status == 254)
        #expect(env.run(generate + " --grant-tokens \(token)").status == 0)
        #expect(env.run(generate + " --grant-tokens bogus").stderr.contains("InvalidGrantTokenException"))
    }

    @Test("kms revoke-grant, list-retirable-grants, disable-key-rotation, list-key-rotations")
    func otherKeyCommands() throws {
        let env = try CLIWorld()
        let key = try keyARN(env)
        let grantId = env.run(
            "kms create-grant --key-id \(key) --grantee-principal \(Self.reader) --operations Decrypt --retiring-principal arn:aws:iam::111122223333:root --query GrantId --output text"
        ).stdout.trimmingCharacters(in: .newlines)
        #expect(
            env.run(
                "kms list-retirable-grants --retiring-principal arn:aws:iam::111122223333:root --query 'Grants[].GrantId' --output text"
            )
            .stdout == grantId + "\n")
        #expect(env.run("kms revoke-grant --key-id \(key) --grant-id \(grantId)").status == 0)
        #expect(env.run("kms revoke-grant --key-id \(key) --grant-id \(grantId)").stderr.contains("NotFoundException"))
        #expect(env.run("kms enable-key-rotation --key-id \(key) --rotation-period-in-days 90").status == 0)
        #expect(env.run("kms rotate-key-on-demand --key-id \(key)").status == 0)
        let rotations = try env.json(env.run("kms list-key-rotations --key-id \(key)"))
        #expect(rotations["Rotations"]?.elements?.first?["RotationType"]?.string == "ON_DEMAND")
        #expect(env.run("kms disable-key-rotation --key-id \(key)").status == 0)
        #expect(env.run("kms get-key-rotation-status --key-id \(key) --query KeyRotationEnabled").stdout == "false\n")
    }

    @Test("s3api --sse-customer-*: the CLI sends the key and its MD5; reads need the same key")
    func sseCOnTheCommandLine() throws {
        var env = try CLIWorld()
        env.files["a.txt"] = Array("hello".utf8)
        env.run("s3api create-bucket --bucket example-ssec")
        // New buckets block SSE-C (since April 2026) until it is unblocked.
        env.files["unblock.json"] = Array(
            #"{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"},"BlockedEncryptionTypes":{"EncryptionType":["NONE"]}}]}"#
                .utf8)
        let blocked = env.run(
            "s3api put-object --bucket example-ssec --key a.txt --body a.txt --sse-customer-algorithm AES256 --sse-customer-key 0123456789abcdef0123456789abcdef"
        )
        #expect(blocked.stderr.contains("(AccessDenied) when calling the PutObject operation"))
        #expect(
            env.run(
                "s3api put-bucket-encryption --bucket example-ssec --server-side-encryption-configuration file://unblock.json"
            )
            .status == 0)
        let key = "0123456789abcdef0123456789abcdef"
        let sse = "--sse-customer-algorithm AES256 --sse-customer-key \(key)"
        let put = try env.json(env.run("s3api put-object --bucket example-ssec --key a.txt --body a.txt \(sse)"))
        #expect(put["SSECustomerAlgorithm"]?.string == "AES256")
        // base64(MD5(key)), computed apart: python3 -c "import hashlib,base64; …"
        let md5 = "hRasmdxgYDKV3nvbahU1MA=="
        #expect(put["SSECustomerKeyMD5"]?.string == md5)
        let plain = env.run("s3api get-object --bucket example-ssec --key a.txt out.txt")
        #expect(plain.stderr.contains("(InvalidRequest) when calling the GetObject operation"))
        #expect(env.run("s3api get-object --bucket example-ssec --key a.txt out.txt \(sse)").status == 0)
        let wrong = env.run(
            "s3api head-object --bucket example-ssec --key a.txt --sse-customer-algorithm AES256 --sse-customer-key \(String(key.reversed()))"
        )
        // HEAD answers carry no body: the CLI shows the HTTP status.
        #expect(wrong.stderr.contains("(403) when calling the HeadObject operation: Forbidden"))
        // With --sse-customer-key-md5 the CLI sends the key as written: S3 reads it
        // as base64, and 32 characters of text are not a base64 256-bit key.
        let raw = env.run(
            "s3api put-object --bucket example-ssec --key b.txt --body a.txt \(sse) --sse-customer-key-md5 \(md5)")
        #expect(raw.stderr.contains("The secret key was invalid for the specified algorithm."))
        // aws s3 cp --sse-c
        #expect(env.run("s3 cp a.txt s3://example-ssec/c.txt --sse-c AES256 --sse-c-key \(key)").status == 0)
        #expect(env.run("s3 cp s3://example-ssec/c.txt c.out --sse-c AES256 --sse-c-key \(key)").status == 0)
        #expect(env.run("s3 cp s3://example-ssec/c.txt c.out").status == 1)
    }

    @Test("s3api put-bucket-replication / get-bucket-replication, and the source object's ReplicationStatus")
    func replicationThroughTheCLI() throws {
        var env = try CLIWorld()
        env.files["a.txt"] = Array("hello".utf8)
        env.files["replication.json"] = Array(
            #"""
            {"Role":"arn:aws:iam::111122223333:role/Replicator","Rules":[{"ID":"all","Priority":1,"Status":"Enabled",
             "Filter":{"Prefix":"Tax/"},"DeleteMarkerReplication":{"Status":"Disabled"},
             "SourceSelectionCriteria":{"SseKmsEncryptedObjects":{"Status":"Enabled"}},
             "Destination":{"Bucket":"arn:aws:s3:::example-replica","EncryptionConfiguration":{"ReplicaKmsKeyID":"arn:aws:kms:us-east-1:111122223333:key/none"}}}]}
            """#.utf8)
        env.files["trust.json"] = Array(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
                .utf8)
        env.files["role.json"] = Array(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}]}"#.utf8)
        env.run("iam create-role --role-name Replicator --assume-role-policy-document file://trust.json")
        env.run("iam put-role-policy --role-name Replicator --policy-name all --policy-document file://role.json")
        env.run("s3api create-bucket --bucket example-source")
        let unversioned = env.run(
            "s3api put-bucket-replication --bucket example-source --replication-configuration file://replication.json")
        #expect(unversioned.stderr.contains("Versioning must be 'Enabled'"))
        env.run("s3api put-bucket-versioning --bucket example-source --versioning-configuration Status=Enabled")
        env.run("s3api create-bucket --bucket example-replica")
        env.run("s3api put-bucket-versioning --bucket example-replica --versioning-configuration Status=Enabled")
        let configured = env.run(
            "s3api put-bucket-replication --bucket example-source --replication-configuration file://replication.json")
        #expect(configured.status == 0, "\(configured.stderr)")
        let got = try env.json(env.run("s3api get-bucket-replication --bucket example-source"))
        let rule = try #require(got["ReplicationConfiguration"]?["Rules"]?.elements?.first)
        #expect(rule["Filter"]?["Prefix"]?.string == "Tax/")
        #expect(rule["SourceSelectionCriteria"]?["SseKmsEncryptedObjects"]?["Status"]?.string == "Enabled")
        env.run("s3api put-object --bucket example-source --key Tax/a.txt --body a.txt")
        #expect(
            env.run("s3api head-object --bucket example-source --key Tax/a.txt --query ReplicationStatus").stdout
                == "\"COMPLETED\"\n")
        #expect(
            env.run("s3api head-object --bucket example-replica --key Tax/a.txt --query ReplicationStatus").stdout
                == "\"REPLICA\"\n")
        #expect(env.run("s3api delete-bucket-replication --bucket example-source").status == 0)
        #expect(
            env.run("s3api get-bucket-replication --bucket example-source").stderr.contains(
                "ReplicationConfigurationNotFoundError"))
    }

    @Test("aws s3 presign prints a SigV4 URL that works as its signer")
    func presign() throws {
        var env = try CLIWorld()
        env.files["a.txt"] = Array("hello".utf8)
        env.run("s3api create-bucket --bucket example-presign")
        env.run("s3api put-object --bucket example-presign --key a.txt --body a.txt")
        let printed = env.run("s3 presign s3://example-presign/a.txt --expires-in 60")
        #expect(printed.status == 0)
        let url = printed.stdout.trimmingCharacters(in: .newlines)
        #expect(url.hasPrefix("https://example-presign.s3.amazonaws.com/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"))
        #expect(url.contains("X-Amz-Expires=60"))
        #expect(try env.world.s3.get(presigned: url).value.body == Array("hello".utf8))
        env.world.advance(by: 61)
        #expect(serviceErrorCode { _ = try env.world.s3.get(presigned: url) } == "AccessDenied")
        #expect(env.run("s3 presign example-presign/a.txt").status == 252)
    }

    @Test("s3api ownership controls and --acl: new buckets refuse ACLs")
    func ownershipControls() throws {
        var env = try CLIWorld()
        env.files["a.txt"] = Array("hello".utf8)
        env.run("s3api create-bucket --bucket example-owned")
        #expect(
            env.run(
                "s3api get-bucket-ownership-controls --bucket example-owned --query 'OwnershipControls.Rules[0].ObjectOwnership'"
            )
            .stdout == "\"BucketOwnerEnforced\"\n")
        #expect(
            env.run("s3api put-object --bucket example-owned --key a.txt --body a.txt --acl public-read").stderr
                .contains(
                    "(AccessControlListNotSupported) when calling the PutObject operation: The bucket does not allow ACLs"
                ))
        #expect(
            env.run(
                "s3api put-bucket-ownership-controls --bucket example-owned --ownership-controls Rules=[{ObjectOwnership=ObjectWriter}]"
            ).status == 0)
        // ACLs are on now, but Block Public Access (on for new buckets) refuses public ones.
        #expect(
            env.run("s3api put-object --bucket example-owned --key a.txt --body a.txt --acl public-read").stderr
                .contains(
                    "(AccessDenied) when calling the PutObject operation"))
        #expect(
            env.run(
                "s3api put-public-access-block --bucket example-owned --public-access-block-configuration BlockPublicAcls=false"
            ).status == 0)
        #expect(
            env.run("s3api put-object --bucket example-owned --key a.txt --body a.txt --acl public-read").status == 0)
        #expect(
            env.run(
                "s3api get-public-access-block --bucket example-owned --query PublicAccessBlockConfiguration.BlockPublicPolicy"
            )
            .stdout == "false\n")
    }

    @Test(
        "--no-sign-request: an anonymous request, which S3 refuses for SSE-KMS objects and other services refuse outright"
    )
    func unsignedRequests() throws {
        var env = try CLIWorld()
        env.files["a.txt"] = Array("hello".utf8)
        env.files["public.json"] = Array(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-open/*"}]}"#
                .utf8)
        let key = try keyARN(env)
        env.run("s3api create-bucket --bucket example-open")
        env.run(
            "s3api put-public-access-block --bucket example-open --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true"
        )
        #expect(env.run("s3api put-bucket-policy --bucket example-open --policy file://public.json").status == 0)
        env.run("s3api put-object --bucket example-open --key plain.txt --body a.txt")
        env.run(
            "s3api put-object --bucket example-open --key kms.txt --body a.txt --server-side-encryption aws:kms --ssekms-key-id \(key)"
        )
        #expect(env.run("s3api get-object --bucket example-open --key plain.txt out.txt --no-sign-request").status == 0)
        #expect(
            env.run("s3api get-object --bucket example-open --key kms.txt out.txt --no-sign-request").stderr.contains(
                "(InvalidArgument) when calling the GetObject operation: Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."
            ))
        #expect(
            env.run("kms describe-key --key-id \(key) --no-sign-request").stderr.contains("MissingAuthenticationToken"))
    }

    @Test("kms create-key --origin EXTERNAL: PendingImport, and delete-imported-key-material")
    func externalKeys() throws {
        let env = try CLIWorld()
        let created = try env.json(env.run("kms create-key --origin EXTERNAL"))
        #expect(created["KeyMetadata"]?["KeyState"]?.string == "PendingImport")
        #expect(created["KeyMetadata"]?["Origin"]?.string == "EXTERNAL")
        let id = try #require(created["KeyMetadata"]?["KeyId"]?.string)
        #expect(env.run("kms encrypt --key-id \(id) --plaintext aGk=").stderr.contains("is pending import."))
    }
}

func serviceErrorCode(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as ServiceError {
        return error.code
    } catch {
        return "\(error)"
    }
}
