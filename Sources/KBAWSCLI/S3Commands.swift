import Foundation
import KBCLIModel
import KBCloud
import KBJSON

/// `aws s3 cp` and `aws s3 ls`: the high-level commands, which print lines of
/// their own rather than API responses.
enum S3Commands {
    static let handlers: [String: Handler] = [
        "cp": { call throws(CommandFailure) in
            if call.flag("recursive") == true { throw .unsupported("aws s3 cp --recursive") }
            return try copy(call)
        },
        "ls": { call throws(CommandFailure) in
            try list(call)
        },
    ]

    struct S3Path {
        var bucket: String
        var key: String
        var text: String { "s3://\(bucket)/\(key)" }

        init?(_ text: String) {
            guard text.hasPrefix("s3://") else { return nil }
            let rest = text.dropFirst(5)
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bucket = parts.first, !bucket.isEmpty else { return nil }
            self.bucket = String(bucket)
            self.key = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    /// The local path as the CLI prints it: `./name` for a relative path.
    static func display(_ path: String) -> String {
        path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") ? path : "./" + path
    }

    static func fileName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    static func copy(_ call: Invocation) throws(CommandFailure) -> CommandOutput {
        let sourceText = call.positionals[0]
        let destinationText = call.positionals[1]
        let quiet = call.flag("quiet") == true
        // SSE-C: the CLI sends the key (and computes its MD5) with each request.
        func customerKey(_ algorithm: String, _ key: String) -> CustomerKey? {
            call.string(algorithm).map { CustomerKey(algorithm: $0, key: call.bytes(key) ?? []) }
        }
        let destinationKey = customerKey("sse-c", "sse-c-key")
        let sourceKey = customerKey("sse-c-copy-source", "sse-c-copy-source-key")
        let headers = EncryptionRequest(
            serverSideEncryption: call.string("sse"), kmsKeyId: call.string("sse-kms-key-id"),
            customerKey: destinationKey)
        switch (S3Path(sourceText), S3Path(destinationText)) {
        case (nil, var destination?):
            // Upload, from a file or standard input.
            let body: [UInt8]
            if sourceText == "-" {
                body = call.input
            } else {
                guard let bytes = call.reader.readFile(sourceText) else {
                    throw .message("\nThe user-provided path \(sourceText) does not exist.", status: 255, events: [])
                }
                body = bytes
            }
            if destination.key.isEmpty || destination.key.hasSuffix("/") { destination.key += fileName(sourceText) }
            let line = "\(display(sourceText)) to \(destination.text)"
            do {
                let traced = try call.world.s3.putObject(
                    call.s3, bucket: destination.bucket, key: destination.key, body: body, encryption: headers,
                    acl: call.string("acl"))
                call.record.events += traced.events
            } catch {
                throw .message(
                    "upload failed: \(line) An error occurred (\(error.code)) when calling the PutObject operation: \(error.message)",
                    status: 1, events: error.events)
            }
            return .text(quiet || sourceText == "-" ? "" : "upload: \(line)\n")
        case (let source?, nil):
            // Download: HeadObject first, as the CLI does, then GetObject.
            var target = destinationText
            if target == "." || target.hasSuffix("/") {
                target = (target == "." ? "" : target) + fileName(source.key)
            }
            do {
                let head = try call.world.s3.headObject(
                    call.s3, bucket: source.bucket, key: source.key, customerKey: destinationKey)
                call.record.events += head.events
            } catch {
                // The CLI rewrites a 404 on the key into a message naming it.
                let (code, message) =
                    error.code == "AccessDenied"
                    ? ("403", "Forbidden")
                    : error.code == "NoSuchKey" ? ("404", "Key \"\(source.key)\" does not exist") : ("404", "Not Found")
                throw .message(
                    "fatal error: An error occurred (\(code)) when calling the HeadObject operation: \(message)",
                    status: 1, events: error.events)
            }
            let line = "\(source.text) to \(display(target))"
            do {
                let traced = try call.world.s3.getObject(
                    call.s3, bucket: source.bucket, key: source.key, customerKey: destinationKey)
                call.record.events += traced.events
                if destinationText == "-" { return .text(String(decoding: traced.value.body, as: UTF8.self)) }
                call.record.written[target] = traced.value.body
            } catch {
                throw .message(
                    "download failed: \(line) An error occurred (\(error.code)) when calling the GetObject operation: \(error.message)",
                    status: 1, events: error.events)
            }
            return .text(quiet ? "" : "download: \(line)\n")
        case (let source?, var destination?):
            if destination.key.isEmpty || destination.key.hasSuffix("/") { destination.key += fileName(source.key) }
            let line = "\(source.text) to \(destination.text)"
            do {
                let traced = try call.world.s3.copyObject(
                    call.s3, sourceBucket: source.bucket, sourceKey: source.key, bucket: destination.bucket,
                    key: destination.key, encryption: headers, sourceCustomerKey: sourceKey, acl: call.string("acl"))
                call.record.events += traced.events
            } catch {
                throw .message(
                    "copy failed: \(line) An error occurred (\(error.code)) when calling the CopyObject operation: \(error.message)",
                    status: 1, events: error.events)
            }
            return .text(quiet ? "" : "copy: \(line)\n")
        case (nil, nil):
            throw .usage(
                UsageError(
                    message: "Error: Invalid argument type: at least one of the paths must be an s3:// URL",
                    argument: sourceText))
        }
    }

    static func list(_ call: Invocation) throws(CommandFailure) -> CommandOutput {
        guard let target = call.positionals.first else {
            let buckets = try call.call { () throws(ServiceError) in try call.world.s3.listBuckets(call.s3) }
            return .text(buckets.map { "\(timestamp($0.creationDate)) \($0.name)\n" }.joined())
        }
        guard let path = S3Path(target.hasPrefix("s3://") ? target : "s3://" + target) else {
            throw .usage(UsageError(message: "Invalid argument: \(target)", argument: target))
        }
        let recursive = call.flag("recursive") == true
        let objects: [ObjectMetadata]
        do {
            let traced = try call.world.s3.listObjectsV2(call.s3, bucket: path.bucket, prefix: path.key)
            call.record.events += traced.events
            objects = traced.value
        } catch {
            throw .message(
                "\nAn error occurred (\(error.code)) when calling the ListObjectsV2 operation: \(error.message)",
                status: 254, events: error.events)
        }
        // Without --recursive, keys below a `/` after the prefix fold into PRE lines.
        let folder =
            path.key.hasSuffix("/") || path.key.isEmpty
            ? path.key
            : String(
                path.key[..<(path.key.lastIndex(of: "/").map { path.key.index(after: $0) } ?? path.key.startIndex)])
        var lines: [String] = []
        var prefixes: [String] = []
        for object in objects {
            let rest = object.key.dropFirst(folder.count)
            if !recursive, let slash = rest.firstIndex(of: "/") {
                let prefix = String(rest[...slash])
                if !prefixes.contains(prefix) {
                    prefixes.append(prefix)
                }
                continue
            }
            let name = recursive ? object.key : String(rest)
            let size = String(object.size)
            lines.append(
                "\(timestamp(object.lastModified)) \(String(repeating: " ", count: max(0, 10 - size.count)))\(size) \(name)"
            )
        }
        let folders = prefixes.map { "\(String(repeating: " ", count: 27))PRE \($0)" }
        if lines.isEmpty && folders.isEmpty && !objects.isEmpty {
            return .none
        }
        if objects.isEmpty && !path.key.isEmpty {
            // Nothing under the prefix: the CLI exits 1 without output.
            throw .message("", status: 1, events: [])
        }
        return .text((folders + lines).map { $0 + "\n" }.joined())
    }

    /// `2026-01-01 00:00:00`, as `aws s3 ls` prints (the CLI uses local time; the
    /// emulation's clock is UTC).
    static func timestamp(_ date: Date) -> String {
        let iso = Response.isoTimestamp(date)
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
