import Foundation
import KBJSON
import Testing

@testable import KBAWSCLI
@testable import KBCLIModel

/// Every key the emulation prints must be one the real API returns, in the order
/// the real CLI prints it: checked against botocore's service models
/// (`scripts/cli-shape-cases` writes Cases/shapes.json from them).
@Suite struct OutputShapeTests {
    static let shapes: [String: [String: [String]]] = {
        let url = Bundle.module.url(forResource: "Cases/shapes", withExtension: "json")!
        let value = JSONParser.parse(String(decoding: try! Data(contentsOf: url), as: UTF8.self)).value!
        var shapes: [String: [String: [String]]] = [:]
        for operation in value["operations"]?.members ?? [] {
            var structures: [String: [String]] = [:]
            for structure in operation.value["structures"]?.members ?? [] {
                structures[structure.key] = structure.value.elements?.compactMap(\.string) ?? []
            }
            shapes[operation.key] = structures
        }
        return shapes
    }()

    /// Paginated commands merge pages; their top level is not in model order.
    static let paginated: Set<String> = [
        "ListObjectsV2", "ListAliases", "ListGrants", "ListRetirableGrants", "ListKeyRotations",
    ]

    /// One successful run of every operation kbtool emulates that has output.
    static let session: [String] = [
        "kms create-key --description shapes",
        "kms create-key --multi-region",
        "kms describe-key --key-id alias/shapes",
        "kms get-key-policy --key-id alias/shapes",
        "kms put-key-policy --key-id alias/shapes --policy file://key-policy.json",
        "kms enable-key-rotation --key-id alias/shapes",
        "kms get-key-rotation-status --key-id alias/shapes",
        "kms rotate-key-on-demand --key-id alias/shapes",
        "kms list-key-rotations --key-id alias/shapes",
        "kms disable-key-rotation --key-id alias/shapes",
        "kms create-grant --key-id alias/shapes --grantee-principal arn:aws:iam::444455556666:role/Reader --operations Decrypt --retiring-principal arn:aws:iam::111122223333:root --constraints EncryptionContextSubset={Department=IT}",
        "kms list-grants --key-id alias/shapes",
        "kms list-retirable-grants --retiring-principal arn:aws:iam::111122223333:root",
        "kms retire-grant --grant-token $TOKEN",
        "kms create-grant --key-id $KEY --grantee-principal arn:aws:iam::444455556666:role/Reader --operations Encrypt",
        "kms revoke-grant --key-id $KEY --grant-id $GRANT",
        "kms create-key --origin EXTERNAL",
        "kms delete-imported-key-material --key-id $EXTERNAL",
        "kms replicate-key --key-id $MRK --replica-region eu-west-1",
        "kms create-alias --alias-name alias/doomed --target-key-id $KEY",
        "kms update-alias --alias-name alias/doomed --target-key-id $MRK",
        "kms delete-alias --alias-name alias/doomed",
        "kms list-aliases",
        "kms encrypt --key-id alias/shapes --plaintext aGk=",
        "kms generate-data-key --key-id alias/shapes --key-spec AES_256",
        "kms generate-data-key-without-plaintext --key-id alias/shapes --number-of-bytes 32",
        "kms decrypt --ciphertext-blob fileb://blob.bin",
        "kms re-encrypt --ciphertext-blob fileb://blob.bin --destination-key-id alias/shapes",
        "kms disable-key --key-id $MRK",
        "kms enable-key --key-id $MRK",
        "kms schedule-key-deletion --key-id $MRK --pending-window-in-days 7",
        "kms cancel-key-deletion --key-id $MRK",
        "s3api create-bucket --bucket example-shapes",
        "s3api put-bucket-encryption --bucket example-shapes --server-side-encryption-configuration file://encryption.json",
        "s3api get-bucket-encryption --bucket example-shapes",
        "s3api put-bucket-versioning --bucket example-shapes --versioning-configuration Status=Enabled",
        "s3api put-bucket-replication --bucket example-shapes --replication-configuration file://replication.json",
        "s3api get-bucket-replication --bucket example-shapes",
        "s3api put-bucket-ownership-controls --bucket example-shapes --ownership-controls Rules=[{ObjectOwnership=BucketOwnerPreferred}]",
        "s3api get-bucket-ownership-controls --bucket example-shapes",
        "s3api delete-bucket-ownership-controls --bucket example-shapes",
        "s3api put-public-access-block --bucket example-shapes --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false",
        "s3api get-public-access-block --bucket example-shapes",
        "s3api delete-public-access-block --bucket example-shapes",
        "s3api put-bucket-policy --bucket example-shapes --policy file://bucket-policy.json",
        "s3api get-bucket-policy --bucket example-shapes",
        "s3api put-object --bucket example-shapes --key a.txt --body a.txt",
        "s3api get-object --bucket example-shapes --key a.txt out.txt",
        "s3api head-object --bucket example-shapes --key a.txt",
        "s3api put-object --bucket example-shapes --key c.txt --body a.txt --sse-customer-algorithm AES256 --sse-customer-key 0123456789abcdef0123456789abcdef",
        "s3api get-object --bucket example-shapes --key c.txt --sse-customer-algorithm AES256 --sse-customer-key 0123456789abcdef0123456789abcdef c.out",
        "s3api copy-object --bucket example-shapes --key d.txt --copy-source example-shapes/c.txt --copy-source-sse-customer-algorithm AES256 --copy-source-sse-customer-key 0123456789abcdef0123456789abcdef --sse-customer-algorithm AES256 --sse-customer-key 0123456789abcdef0123456789abcdeX",
        "s3api create-multipart-upload --bucket example-shapes --key e.bin --sse-customer-algorithm AES256 --sse-customer-key 0123456789abcdef0123456789abcdef",
        "s3api list-objects-v2 --bucket example-shapes",
        "s3api copy-object --bucket example-shapes --key b.txt --copy-source example-shapes/a.txt",
        "s3api create-multipart-upload --bucket example-shapes --key big.bin",
        "s3api upload-part --bucket example-shapes --key big.bin --upload-id $UPLOAD --part-number 1 --body a.txt",
        "s3api complete-multipart-upload --bucket example-shapes --key big.bin --upload-id $UPLOAD",
        "s3api create-multipart-upload --bucket example-shapes --key gone.bin",
        "s3api abort-multipart-upload --bucket example-shapes --key gone.bin --upload-id $UPLOAD",
        "s3api delete-object --bucket example-shapes --key b.txt",
        "s3api put-bucket-versioning --bucket example-shapes --versioning-configuration Status=Suspended",
        "s3api delete-object --bucket example-shapes --key a.txt",
        "s3api delete-bucket-encryption --bucket example-shapes",
        "s3api delete-bucket-replication --bucket example-shapes",
        "iam create-role --role-name Shapes --assume-role-policy-document file://trust.json",
        "iam get-role --role-name Shapes",
        "iam put-role-policy --role-name Shapes --policy-name p --policy-document file://bucket-policy.json",
        "iam get-role-policy --role-name Shapes --policy-name p",
        "iam list-role-policies --role-name Shapes",
        "iam delete-role-policy --role-name Shapes --policy-name p",
        "sts get-caller-identity",
    ]

    @Test("every emulated operation's output keys are the real API's, in the real CLI's order")
    func outputsFollowTheModels() throws {
        var env = try CLIWorld()
        env.files["key-policy.json"] = Array(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}
            """.utf8)
        env.files["encryption.json"] = Array(
            #"{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/shapes"},"BucketKeyEnabled":true,"BlockedEncryptionTypes":{"EncryptionType":["NONE"]}}]}"#
                .utf8)
        env.files["a.txt"] = Array("hello".utf8)
        env.files["replication.json"] = Array(
            #"{"Role":"arn:aws:iam::111122223333:role/Shapes","Rules":[{"ID":"all","Priority":1,"Status":"Enabled","Filter":{"Prefix":""},"DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::example-shapes-copy"}}]}"#
                .utf8)
        var variables: [String: String] = [:]
        var covered: Set<String> = []
        for template in Self.session {
            var line = template
            for (name, value) in variables { line = line.replacingOccurrences(of: "$" + name, with: value) }
            let result = env.run(line)
            #expect(result.status == 0, "\(line): \(result.stderr)")
            let operation = try #require(result.operation)
            covered.insert(operation)
            let structures = try #require(Self.shapes[operation], "no model for \(operation)")
            if line.hasPrefix("kms create-key --description") {
                variables["KEY"] = try env.json(result)["KeyMetadata"]?["KeyId"]?.string
                env.run("kms create-alias --alias-name alias/shapes --target-key-id \(variables["KEY"]!)")
            }
            if line.hasPrefix("kms create-key --multi-region") {
                variables["MRK"] = try env.json(result)["KeyMetadata"]?["KeyId"]?.string
            }
            if line.hasPrefix("kms create-grant") {
                variables["TOKEN"] = try env.json(result)["GrantToken"]?.string
                variables["GRANT"] = try env.json(result)["GrantId"]?.string
            }
            if line.hasPrefix("kms create-key --origin EXTERNAL") {
                variables["EXTERNAL"] = try env.json(result)["KeyMetadata"]?["KeyId"]?.string
            }
            if line.hasPrefix("s3api create-multipart-upload") {
                variables["UPLOAD"] = try env.json(result)["UploadId"]?.string
            }
            if line.hasPrefix("kms encrypt") {
                env.files["blob.bin"] = Array(Data(base64Encoded: try env.json(result)["CiphertextBlob"]!.string!)!)
            }
            // An empty response prints nothing, as the real CLI does.
            guard !result.stdout.isEmpty else { continue }
            let value = try env.json(result)
            for problem in Self.problems(value, path: "", structures, ordered: !Self.paginated.contains(operation)) {
                Issue.record("\(operation): \(problem)")
            }
        }
        let emulated = Set(
            CommandTable.emulated.services.filter { $0.key != "s3" }.values.flatMap {
                $0.operations.values.map(\.apiName)
            })
        #expect(emulated.subtracting(covered).isEmpty, "not exercised: \(emulated.subtracting(covered).sorted())")
    }

    /// Keys the model does not have, and keys out of the model's order.
    static func problems(_ value: JSONValue, path: String, _ structures: [String: [String]], ordered: Bool)
        -> [String]
    {
        switch value.kind {
        case .object(let members):
            // IAM policy documents are strings in the model; the CLI decodes them.
            if path.hasSuffix("PolicyDocument") { return [] }
            guard let allowed = structures[path] else { return ["\(path): not a structure in the model"] }
            if allowed == ["{}"] {
                return members.flatMap { problems($0.value, path: path + "{}", structures, ordered: true) }
            }
            var found: [String] = []
            var last = -1
            for member in members {
                guard let index = allowed.firstIndex(of: member.key) else {
                    found.append("\(path.isEmpty ? "" : path + ".")\(member.key) is not in the model")
                    continue
                }
                if ordered && index < last {
                    found.append("\(path.isEmpty ? "" : path + ".")\(member.key) is out of order")
                }
                last = max(last, index)
                let child = path.isEmpty ? member.key : "\(path).\(member.key)"
                found += problems(member.value, path: child, structures, ordered: true)
            }
            return found
        case .array(let elements):
            return elements.flatMap { problems($0, path: path + "[]", structures, ordered: true) }
        default:
            return []
        }
    }
}
