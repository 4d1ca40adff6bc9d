import Foundation
import KBBlocks
import KBDiagnostics
import KBGuide
import Testing

@testable import KBAnalysis

/// Cross-block checks compare only the blocks of one setup; advice never
/// touches the resource owner's own root.
@Suite struct SetupTests {
    static func keyPolicy(root: String, other: String, action: String = "kms:*") -> String {
        """
        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\(root):root"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::\(other):root"}, "Action": "\(action)", "Resource": "*"}]}
        ```
        """
    }

    static func bucketPolicy(bucket: String, principal: String) -> String {
        """
        ```json
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "\(principal)"},
          "Action": "s3:GetObject", "Resource": "arn:aws:s3:::\(bucket)/*"}]}
        ```
        """
    }

    /// A page of independent examples, each under its own heading.
    static let examples = """
        # Key policy examples

        ## Example 1

        The key policy:

        \(keyPolicy(root: "111122223333", other: "444455556666", action: "kms:Decrypt"))

        ## Example 2

        The key policy:

        \(keyPolicy(root: "444455556666", other: "111122223333", action: "kms:Decrypt"))

        ## Example 3

        The bucket policy:

        \(bucketPolicy(bucket: "DOC-EXAMPLE-BUCKET1", principal: "arn:aws:iam::Account1-ID:root"))

        ## Example 4

        The bucket policy:

        \(bucketPolicy(bucket: "DOC-EXAMPLE-BUCKET2", principal: "arn:aws:iam::Account2-ID:root"))
        """

    @Test("independent examples are separate setups; each key policy's own root names its owner")
    func independentExamples() throws {
        let classified = guide(Self.examples)
        let blocks = classified.documents
        #expect(GuideSetups.partition(blocks, declared: false) == [[0], [1], [2], [3]])
        #expect(GuideSetups.partition(blocks, declared: true) == [[0, 1, 2, 3]])
        let report = GuideAnalysis.analyze(classified)
        #expect(report.owner(of: blocks[0]) == "111122223333")
        #expect(report.owner(of: blocks[1]) == "444455556666")
        // Account1-ID and Account2-ID, BUCKET1 and BUCKET2: not one value spelt two ways.
        #expect(report.consistency.isEmpty)
        // The owner's root kms:* statement is never narrowed.
        #expect(!report.leastPrivilege.contains { $0.message.contains("Admin") })
    }

    @Test("a walkthrough (one policy of each kind) is one setup, whatever its headings")
    func walkthrough() {
        let blocks = guide(
            crossAccountGuide().replacingOccurrences(of: "The key policy:", with: "## Step 2\n\nThe key policy:")
        )
        .documents
        #expect(GuideSetups.partition(blocks, declared: false).count == 1)
    }

    @Test("blocks under different headings that name the same bucket are one setup")
    func sharedNames() {
        let text = """
            ## One

            The bucket policy:

            \(Self.bucketPolicy(bucket: "example-shared", principal: "arn:aws:iam::444455556666:role/Reader"))

            ## Two

            The bucket policy:

            \(Self.bucketPolicy(bucket: "example-shared", principal: "arn:aws:iam::444455556666:role/Writer"))

            ## Three

            The bucket policy:

            \(Self.bucketPolicy(bucket: "example-other", principal: "arn:aws:iam::444455556666:role/Other"))
            """
        #expect(GuideSetups.partition(guide(text).documents, declared: false) == [[0, 1], [2]])
    }

    @Test(
        "numbered and lettered series, and names derived by adding a word, are not misspellings",
        arguments: [
            ("Account1-ID", "Account2-ID"), ("AccountA-ID", "AccountB-ID"),
            ("DOC-EXAMPLE-BUCKET", "DOC-EXAMPLE-BUCKET1"),
            ("DOC-EXAMPLE-BUCKET1", "DOC-EXAMPLE-BUCKET2"),
            ("DOC-EXAMPLE-DESTINATION-BUCKET", "DOC-EXAMPLE-DESTINATION-BUCKET-logs"),
            (
                "Key ARNs (for destination bucket 1). Used for replicas in bucket 1.",
                "Key ARNs (for destination bucket 2). Used for replicas in bucket 2."
            ),
        ])
    func series(a: String, b: String) {
        #expect(!GuideAnalysis.similar(a, b))
    }

    @Test("a key policy whose own root administers the key is not cross-account to that root")
    func ownRootIsNotAnotherAccount() throws {
        // The page's other blocks point at account 444455556666, but this key's
        // policy hands it to 111122223333: its admin statement is the owner's.
        let text = """
            ## Using the key from another account

            The IAM policy:

            ```json
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
              "Resource": "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
            ```

            ```json
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt",
              "Resource": "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
            ```

            ## The default key policy

            The key policy:

            \(Self.keyPolicy(root: "111122223333", other: "111122223333"))
            """
        let classified = guide(text)
        let report = GuideAnalysis.analyze(classified)
        let key = try #require(classified.documents.last)
        #expect(report.owner == "444455556666")
        #expect(report.owner(of: key) == "111122223333")
        #expect(report.leastPrivilege.isEmpty)
    }

    @Test("an identity policy naming keys by a pattern with a wildcard Region still runs the flow")
    func keyPattern() throws {
        let text = crossAccountGuide(replacing: [
            (
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws:kms:*:111122223333:key/*"
            )
        ])
        let flow = try #require(GuideAnalysis.analyze(guide(text)).flow)
        #expect(flow.missing.isEmpty)
        #expect(flow.works)
    }

    @Test("wildcards granted to a descriptive placeholder are narrowed; the owner's root statement is not")
    func placeholderPartner() throws {
        let report = GuideAnalysis.analyze(guide(Self.placeholderGuide))
        #expect(report.flow?.works == true)
        #expect(
            report.leastPrivilege.map(\.message) == [
                "statement #1 grants s3:* to another account where s3:GetObject, s3:PutObject, s3:ListBucket suffice",
                "statement #2 grants kms:* to another account where kms:Decrypt, kms:GenerateDataKey suffice",
            ])
    }

    static let placeholderGuide = """
        # Sharing a bucket

        The bucket policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"},
           "Action": "s3:*", "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]}]}
        ```

        The key policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"}, "Action": "kms:*", "Resource": "*"}]}
        ```

        In the partner account, the role's IAM policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
           "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]},
          {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
           "Resource": "arn:aws:kms:*:111122223333:key/*"}]}
        ```
        """

    @Test("the identity policy's grants on buckets no bucket policy governs are not 'not covered'")
    func ungovernedBuckets() {
        let text = crossAccountGuide(replacing: [
            (
                "\"Resource\": [\"arn:aws:s3:::example-shared\"",
                "\"Resource\": [\"arn:aws:s3:::example-own-bucket\", \"arn:aws:s3:::example-shared\""
            )
        ])
        let report = GuideAnalysis.analyze(guide(text))
        #expect(!report.consistency.contains { $0.rule == .guideIdentityNotCovered })
    }

    /// Three examples under their own headings, the second introduced by
    /// `paragraph`: a bucket policy whose bucket name is one letter off the
    /// first example's, and a third bucket policy for a bucket of its own.
    static func referring(_ paragraph: String, heading: String = "## Two") -> String {
        """
        ## One

        The IAM policy for the reader:

        ```json
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::example-shared-reports/*"}]}
        ```

        \(heading)

        \(paragraph)

        \(bucketPolicy(bucket: "example-shared-reprts", principal: "arn:aws:iam::444455556666:role/Reader"))

        ## Three

        Another bucket policy:

        \(bucketPolicy(bucket: "example-logs", principal: "arn:aws:iam::444455556666:role/Auditor"))
        """
    }

    @Test(
        "prose that refers back ties blocks into one setup; without it, examples stay apart",
        arguments: [
            ("The bucket policy that goes with the IAM policy above:", [[0, 1], [2]]),
            ("The bucket policy for the role whose policy you created earlier:", [[0, 1], [2]]),
            ("The bucket policy that the preceding policy needs:", [[0, 1], [2]]),
            ("The bucket policy:", [[0], [1], [2]]),
            ("The bucket policy, unlike the following ones:", [[0], [1], [2]]),
            ("The bucket policy; the IAM policy below goes with it:", [[0], [1], [2]]),
        ])
    func references(paragraph: String, expected: [[Int]]) {
        #expect(GuideSetups.partition(guide(Self.referring(paragraph)).documents, declared: false) == expected)
    }

    @Test("a cross-block finding appears only when prose ties the blocks together")
    func findingOnlyWhenJoined() {
        func spellings(_ paragraph: String) -> [String] {
            GuideAnalysis.analyze(guide(Self.referring(paragraph))).consistency.map(\.rule.rawValue)
        }
        #expect(spellings("The bucket policy that goes with the IAM policy above:") == ["guide-bucket-spelling"])
        #expect(spellings("The bucket policy:").isEmpty)
    }

    @Test("a run of Step headings is one walkthrough; Example headings are not")
    func stepHeadings() {
        let steps = Self.referring("The bucket policy:", heading: "## Step 2: Share the bucket")
            .replacingOccurrences(of: "## One", with: "## Step 1: Create the reader's policy")
            .replacingOccurrences(of: "## Three", with: "## Step 3: Add the auditor")
        #expect(GuideSetups.partition(guide(steps).documents, declared: false) == [[0, 1, 2]])
        let examples = steps.replacingOccurrences(of: "## Step", with: "## Example")
        #expect(GuideSetups.partition(guide(examples).documents, declared: false) == [[0], [1], [2]])
        // A heading that is not a step ends the run.
        let ended = steps.replacingOccurrences(of: "## Step 3: Add the auditor", with: "## Another setup")
        #expect(GuideSetups.partition(guide(ended).documents, declared: false) == [[0, 1], [2]])
    }

    @Test(
        "'in step N' ties a block to the blocks of that step, in its own series or the last one shown",
        arguments: [
            ("Later, remove what you attached in step 2:", [[0, 2], [1]]),
            ("Later, remove what you attached in step 1:", [[0], [1], [2]]),
            ("Later, remove the policy you attached earlier:", [[0], [1, 2]]),
            ("Later, remove one of the policies:", [[0], [1], [2]]),
        ])
    func stepReferences(paragraph: String, expected: [[Int]]) {
        func indented(_ block: String) -> String {
            block.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n")
        }
        let text = """
            ## Granting

            1. Create the reader's role.

            1. Attach a policy to the reader:

            \(indented(Self.bucketPolicy(bucket: "example-one", principal: "arn:aws:iam::444455556666:role/Reader")))

            ## Another example

            A separate policy:

            \(Self.bucketPolicy(bucket: "example-two", principal: "arn:aws:iam::444455556666:role/Writer"))

            ## Cleaning up

            \(paragraph)

            \(Self.bucketPolicy(bucket: "example-three", principal: "arn:aws:iam::444455556666:role/Other"))
            """
        #expect(GuideSetups.partition(guide(text).documents, declared: false) == expected)
    }

    @Test("front matter that declares a setup joins every block, references or not")
    func declaredSetup() {
        let text = "---\nkbtool:\n  profiles: {}\n---\n" + Self.referring("The bucket policy:")
        let classified = guide(text)
        #expect(classified.guide.frontMatter?.value?["kbtool"] != nil)
        #expect(GuideSetups.partition(classified.documents, declared: true) == [[0, 1, 2]])
        #expect(GuideAnalysis.analyze(classified).consistency.map(\.rule.rawValue) == ["guide-bucket-spelling"])
    }
}
