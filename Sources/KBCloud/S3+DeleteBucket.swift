import Synchronization

/// DeleteBucket: only an empty bucket goes (no objects, no versions or
/// delete markers in a versioned bucket), after `s3:DeleteBucket` is allowed.
/// Its name is free again at once (S3 may take a while; the model does not).
extension S3 {
    public func deleteBucket(_ origin: Origin, bucket name: String) throws(ServiceError) -> Traced<Void> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try findBucket(state, name)
            try Self.checkEndpoint(origin, bucket)
            try authorize(
                state, origin, "s3:DeleteBucket", resource: bucket.arn, account: bucket.account,
                policy: bucket.policy, &events)
            let contents = state.contents[name] ?? .init()
            guard contents.objects.values.allSatisfy(\.isEmpty) else {
                throw ServiceError(
                    "BucketNotEmpty",
                    bucket.versioning
                        ? "The bucket you tried to delete is not empty. You must delete all versions in the bucket."
                        : "The bucket you tried to delete is not empty", events: events)
            }
            state.buckets[name] = nil
            state.contents[name] = nil
            return Traced((), events: events)
        }
    }
}
