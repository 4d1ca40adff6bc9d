/// The cross-account guide several suites build on: the owner's bucket policy
/// and key policy (account 111122223333) and the partner role's identity
/// policy (account 444455556666), each under the sentence that names its kind.
/// Suites vary the statements that grant the partner; the owner's root
/// statement and the partner's own policy stay as they are, line for line, so
/// tests can name the lines findings are on.
public enum PartnerGuide {
    /// The key the partner's identity policy names.
    public static let keyARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    /// `bucketStatements`: the bucket policy's statements, one per line or
    /// more, indented two spaces; `keyStatements`: the key policy's statements
    /// after the owner root's; `identityKeyResource`: the key ARN (or pattern)
    /// the partner's policy grants.
    public static func markdown(
        bucketStatements: String, keyStatements: String, identityKeyResource: String = keyARN
    ) -> String {
        """
        # Sharing a bucket

        The bucket policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
        \(bucketStatements)]}
        ```

        The key policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        \(keyStatements)]}
        ```

        In the partner account, the role's IAM policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
           "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]},
          {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
           "Resource": "\(identityKeyResource)"}]}
        ```
        """
    }
}
