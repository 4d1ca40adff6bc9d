import KBDiagnostics
import KBGuide
import Testing

@testable import KBTranscript

/// `sleep`, `curl` on presigned URLs, and the grant-propagation setting: what a
/// guide (or a claim's probe) needs to show presigned URLs expiring and grant
/// tokens at work.
@Suite struct TranscriptToolsTests {
    static let frontMatter = """
        kbtool:
          region: us-east-1
          grant-propagation-seconds: 300
          profiles:
            owner: arn:aws:iam::111122223333:root
            partner: arn:aws:iam::444455556666:role/Reader
          default-profile: owner
        """

    @Test("aws s3 presign, curl and sleep: a presigned URL works until it expires")
    func presignedURLsExpire() {
        let report = runGuide(
            """
            ```console
            $ aws s3api create-bucket --bucket amzn-s3-demo-bucket --query Location --output text
            /amzn-s3-demo-bucket
            $ echo hello > a.txt
            $ aws s3 cp a.txt s3://amzn-s3-demo-bucket/a.txt
            upload: ./a.txt to s3://amzn-s3-demo-bucket/a.txt
            $ URL=$(aws s3 presign s3://amzn-s3-demo-bucket/a.txt --expires-in 60)
            $ curl -s "$URL"
            hello
            $ sleep 61
            $ curl -s "$URL"
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>
            $ curl -sSf "$URL"
            curl: (22) The requested URL returned error: 403
            ```
            """, frontMatter: Self.frontMatter)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.message))")
        #expect(report.examples.map(\.status) == Array(repeating: .pass, count: 8))
    }

    @Test("grant-propagation-seconds: a new grant works at once only with --grant-tokens")
    func grantTokens() {
        let report = runGuide(
            """
            ```console
            $ KEY=$(aws kms create-key --query KeyMetadata.Arn --output text)
            $ TOKEN=$(aws kms create-grant --key-id "$KEY" --grantee-principal arn:aws:iam::444455556666:role/Reader --operations Encrypt --query GrantToken --output text)
            $ aws kms encrypt --profile partner --key-id "$KEY" --plaintext aGk= --grant-tokens "$TOKEN" --query KeyId --output text
            arn:aws:kms:us-east-1:111122223333:key/...
            $ aws kms encrypt --profile partner --key-id "$KEY" --plaintext aGk= --query KeyId --output text || echo denied
            ...
            denied
            $ sleep 5m
            $ aws kms encrypt --profile partner --key-id "$KEY" --plaintext aGk= --query KeyId --output text
            arn:aws:kms:us-east-1:111122223333:key/...
            ```
            """, frontMatter: Self.frontMatter)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.message))")
        #expect(report.examples.map(\.status) == Array(repeating: .pass, count: 6))
    }

    @Test("a bad grant-propagation-seconds is a located setup error; bad sleeps fail")
    func badInput() {
        let report = runGuide(
            """
            ```console
            $ sleep forever
            ```
            """,
            frontMatter: """
                kbtool:
                  grant-propagation-seconds: 9000
                """)
        #expect(
            report.diagnostics.contains {
                $0.rule == .transcriptSetup && $0.message.contains("grant-propagation-seconds")
            })
        #expect(report.examples.map(\.status) == [.fail])
    }
}
