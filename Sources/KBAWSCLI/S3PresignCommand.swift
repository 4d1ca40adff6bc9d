import Foundation
import KBCLIModel
import KBCloud

/// `aws s3 presign s3://BUCKET/KEY [--expires-in SECONDS]`: prints a SigV4 URL
/// for a GET of the object, signed locally with the profile's credentials (no
/// request is made, nothing is checked; S3 decides when the URL is used).
enum S3PresignCommand {
    static let handlers: [String: Handler] = [
        "presign": { call throws(CommandFailure) in
            guard let path = S3Commands.S3Path(call.positionals[0]), !path.key.isEmpty else {
                throw .usage(
                    UsageError(
                        message: "s3 presign needs an object path: s3://BUCKET/KEY", argument: call.positionals[0]))
            }
            let url = try call.call { () throws(ServiceError) in
                Traced(
                    try call.world.s3.presign(
                        call.caller, region: call.region, bucket: path.bucket, key: path.key,
                        expiresIn: call.integer("expires-in") ?? 3_600),
                    events: [])
            }
            return .text(url.url + "\n")
        }
    ]
}
