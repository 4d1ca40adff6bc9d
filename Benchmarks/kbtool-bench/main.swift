// Micro-benchmarks of the policy model. Run with:
//   swift run -c release kbtool-bench
// Prints the median of several timed rounds for each measurement.
import Crypto
import Foundation
import KBCLIModel
import KBCloud
import KBCrypto
import KBDiagnostics
import KBJSON
import KBPolicy
import KBPolicyLint

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Runs `body` `iterations` times per round, several rounds; returns operations per second.
/// `kbtool-bench WORD` runs only the measurements whose name contains WORD.
let only = CommandLine.arguments.dropFirst().first

func measure(_ name: String, iterations: Int, rounds: Int = 7, _ body: () -> Void) {
    if let only, !name.contains(only) { return }
    var rates: [Double] = []
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        rates.append(Double(iterations) / seconds)
    }
    let rate = median(rates)
    print(String(format: "%-58@ %12.0f /s  (%.2f µs each)", name as NSString, rate, 1e6 / rate))
}

func policy(_ json: String) -> PolicyDocument {
    let source = SourceText(path: "bench.json", text: json)
    return PolicyParser.parse(JSONParser.parse(json).value!, locate: SourceLocator(source)).document
}

// 1. Loading the catalogue.
let catalogueURL = URL(fileURLWithPath: "Sources/KBPolicy/Resources/aws-catalogue.tsv")
let catalogueData = try Data(contentsOf: catalogueURL)
var loadTimes: [Double] = []
for _ in 0..<7 {
    let start = DispatchTime.now().uptimeNanoseconds
    let catalogue = ServiceCatalogue.parse(catalogueData)
    precondition(catalogue.prefixes.count > 400)
    loadTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}
print(
    String(
        format: "%-58@ %12.1f ms  (%d bytes)", "catalogue load (parse \(catalogueURL.lastPathComponent))" as NSString,
        median(loadTimes), catalogueData.count))

// 1b. Loading the CLI model: the header and index, one service on first use
// (a small one, the largest, ec2), and every service.
func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}
if only == nil || "cli model load".contains(only!) {
    let cliBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "Sources/KBCLIModel/Resources/aws-cli-model.txt")))
    var timings: [String: [Double]] = [:]
    for _ in 0..<7 {
        var model: CLIModel?
        timings["index", default: []].append(try milliseconds { model = try CLIModel(bytes: cliBytes) })
        for name in ["kms", "s3api", "ec2"] {
            timings[name, default: []].append(try milliseconds { _ = try model!.service(name) })
        }
        let fresh = try CLIModel(bytes: cliBytes)
        timings["all", default: []].append(
            try milliseconds { for name in fresh.serviceNames { _ = try fresh.service(name) } })
    }
    let report: [(String, String)] = [
        ("index", "cli model load (header + index, \(cliBytes.count) bytes)"),
        ("kms", "cli model: first service (kms)"), ("s3api", "cli model: next service (s3api)"),
        ("ec2", "cli model: largest service (ec2)"), ("all", "cli model: every service"),
    ]
    for (key, label) in report {
        print(String(format: "%-58@ %12.2f ms", label as NSString, median(timings[key]!)))
    }
}

// 2. A one-statement, same-account request.
let evaluator = PolicyEvaluator()
let simpleRequest = EvaluationRequest(
    principal: RequestPrincipal("arn:aws:iam::111122223333:role/Reader")!, action: "s3:GetObject",
    resource: "arn:aws:s3:::amzn-s3-demo-bucket/report.csv", resourceAccount: "111122223333")
let simplePolicies = PolicySet(identityPolicies: [
    policy(
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#
    )
])
precondition(try! evaluator.evaluate(simpleRequest, policies: simplePolicies).decision == .allowed)
measure("evaluate: one statement, same account", iterations: 1_000_000) {
    _ = try? evaluator.evaluate(simpleRequest, policies: simplePolicies, traced: false)
}
measure("evaluate: one statement, same account, with trace", iterations: 200_000) {
    _ = try? evaluator.evaluate(simpleRequest, policies: simplePolicies)
}

// 3. A cross-account KMS request with conditions.
var context = RequestContext()
context["kms:ViaService"] = ["s3.us-east-1.amazonaws.com"]
context["kms:EncryptionContext:aws:s3:arn"] = ["arn:aws:s3:::amzn-s3-demo-bucket/report.csv"]
context["aws:SecureTransport"] = ["true"]
let kmsRequest = EvaluationRequest(
    principal: RequestPrincipal("arn:aws:sts::444455556666:assumed-role/ReportWriter/s1")!,
    action: "kms:GenerateDataKey",
    resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", context: context)
let kmsPolicies = PolicySet(
    identityPolicies: [
        policy(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}"#
        )
    ],
    resourcePolicy: policy(
        #"{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"},"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::amzn-s3-demo-bucket/*"},"Bool":{"aws:SecureTransport":"true"}}}]}"#
    ),
    serviceControlPolicies: [
        [policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)]
    ])
precondition(try! evaluator.evaluate(kmsRequest, policies: kmsPolicies).decision == .allowed)
measure("evaluate: cross-account KMS, key policy with 3 conditions", iterations: 200_000) {
    _ = try? evaluator.evaluate(kmsRequest, policies: kmsPolicies, traced: false)
}
measure("evaluate: cross-account KMS, with trace", iterations: 50_000) {
    _ = try? evaluator.evaluate(kmsRequest, policies: kmsPolicies)
}

// 4. Wildcard matching on a hostile pattern.
let hostile = String(repeating: "*a", count: 30) + "*b"
let longText = String(repeating: "a", count: 2_000)
measure("wildcard: *a×30*b against 2,000 characters (no match)", iterations: 200) {
    _ = Wildcard.matches(hostile, longText)
}

// 5. Checking one policy (parse + lint).
let keyPolicyText =
    #"{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#
let keySource = SourceText(path: "key.json", text: keyPolicyText)
_ = ServiceCatalogue.shipped
measure("check: parse + lint a two-statement key policy", iterations: 5_000) {
    let value = JSONParser.parse(keyPolicyText).value!
    let parsed = PolicyParser.parse(value, locate: SourceLocator(keySource))
    var linter = PolicyLinter(
        .init(document: parsed.document, kind: .key, text: keyPolicyText, locate: SourceLocator(keySource)))
    _ = linter.lint()
}

// 6. Envelope encryption: S3 PutObject with SSE-KMS (a data key from KMS, authorized
//    by the policy model, then AES-256-GCM of the body) against raw AES-256-GCM.
func throughput(_ name: String, bytes: Int, iterations: Int, _ body: () -> Void) {
    if let only, !name.contains(only) { return }
    var rates: [Double] = []
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        rates.append(Double(bytes * iterations) / seconds / 1_048_576)
    }
    print(String(format: "%-58@ %12.1f MB/s", name as NSString, median(rates)))
}

let world = World()
let owner = try Caller("arn:aws:iam::111122223333:root")
let keyARN = try world.kms.createKey(.init(owner, region: "us-east-1")).value.arn
let ownerS3 = S3.Origin(owner, region: "us-east-1")
_ = try world.s3.createBucket(ownerS3, bucket: "bench-bucket")
_ = try world.s3.putBucketEncryption(
    ownerS3, bucket: "bench-bucket", BucketEncryption(algorithm: "aws:kms", kmsKeyId: keyARN))
let rawKey = SymmetricKey(size: .bits256)
for (label, size, iterations) in [("1 KiB", 1024, 5_000), ("1 MiB", 1_048_576, 40)] {
    let body = [UInt8](repeating: 0x61, count: size)
    // A failing put would be timed as throughput: make sure the path works first.
    precondition(
        (try? world.s3.putObject(ownerS3, bucket: "bench-bucket", key: "object", body: body))?.value.kmsKeyArn == keyARN
    )
    world.setTracing(true)
    throughput("envelope: S3 PutObject SSE-KMS, \(label) objects, traced", bytes: size, iterations: iterations) {
        _ = try? world.s3.putObject(ownerS3, bucket: "bench-bucket", key: "object", body: body)
    }
    world.setTracing(false)
    throughput("envelope: S3 PutObject SSE-KMS, \(label) objects, untraced", bytes: size, iterations: iterations) {
        _ = try? world.s3.putObject(ownerS3, bucket: "bench-bucket", key: "object", body: body)
    }
    throughput("raw: AES-256-GCM seal, \(label)", bytes: size, iterations: iterations) {
        _ = try? AES.GCM.seal(body, using: rawKey)
    }
}
