import KBCLIModel
import KBCloud

/// `aws s3 cp/mv --recursive`, `mv`, `rm`, `sync`, `mb` and `rb`: each object
/// a call of its own, printed line by line as the CLI prints them (in key
/// order; the CLI runs transfers in parallel, so its order may differ). A
/// failed object prints its `… failed:` line and the command exits 1 after
/// the others ran, as the CLI does.
enum S3Transfers {
    /// Source or destination of a recursive command: an S3 prefix (with the
    /// `/` the CLI adds) or a local folder.
    enum Place {
        case s3(S3Commands.S3Path)
        case local(String)

        init(_ text: String) {
            if var path = S3Commands.S3Path(text) {
                if !path.key.isEmpty, !path.key.hasSuffix("/") { path.key += "/" }
                self = .s3(path)
            } else {
                self = .local(text.hasSuffix("/") || text.isEmpty ? text : text + "/")
            }
        }

        /// Where a key relative to the prefix lands.
        func appending(_ relative: String) -> String {
            switch self {
            case .s3(let path): "s3://\(path.bucket)/\(path.key)\(relative)"
            case .local(let folder): (folder == "./" ? "" : folder) + relative
            }
        }
    }

    /// The objects under an S3 prefix that the filters keep, with their keys
    /// relative to the prefix.
    static func objects(_ call: Invocation, under path: S3Commands.S3Path, operation: String = "ListObjectsV2")
        throws(CommandFailure) -> [(key: String, relative: String, size: Int)]
    {
        let listed: [ObjectMetadata]
        do {
            let traced = try call.world.s3.listObjectsV2(call.s3, bucket: path.bucket, prefix: path.key)
            call.record.events += traced.events
            listed = traced.value
        } catch {
            throw .message(
                "fatal error: An error occurred (\(error.code)) when calling the ListObjectsV2 operation: \(error.message)",
                status: 1, events: error.events)
        }
        let filters = call.list(OptionSpec.filters) ?? []
        return listed.compactMap { object in
            let relative = String(object.key.dropFirst(path.key.count))
            guard S3Filter.keeps(relative, filters) else { return nil }
            return (object.key, relative, object.size)
        }
    }

    /// Runs each step, keeping the lines printed so far and the failures;
    /// the command fails (exit 1) when any step did.
    /// One object's part of a command.
    enum Step {
        case transfer(from: String, to: String, move: Bool)
        case delete(bucket: String, key: String)
    }

    static func perform(_ call: Invocation, _ step: Step) throws(CommandFailure) -> String {
        switch step {
        case .transfer(let source, let destination, let move):
            try transferOne(call, from: source, to: destination, move: move)
        case .delete(let bucket, let key):
            try delete(call, bucket, key)
        }
    }

    static func run(_ call: Invocation, _ steps: [Step]) throws(CommandFailure) -> CommandOutput {
        let quiet = call.flag("quiet") == true
        var printed = ""
        var failures: [String] = []
        var events: [EngineEvent] = []
        for step in steps {
            do {
                let line = try perform(call, step)
                if !quiet { printed += line }
            } catch {
                guard case .message(let text, _, let stepEvents) = error else { throw error }
                failures.append(text)
                events += stepEvents
            }
        }
        guard failures.isEmpty else {
            call.record.terminalPrefix += Array(printed.utf8)
            throw .message(failures.joined(separator: "\n"), status: 1, events: events)
        }
        return .text(printed)
    }

    /// `cp`/`mv --recursive`: every object under the source prefix, to the
    /// same relative key under the destination. A local folder as the source
    /// is not emulated (the guide's files are not a folder tree).
    static func recursive(_ call: Invocation, move: Bool) throws(CommandFailure) -> CommandOutput {
        let (sourceText, destinationText) = (call.positionals[0], call.positionals[1])
        guard case .s3(let source) = Place(sourceText) else {
            throw .unsupported("aws s3 \(move ? "mv" : "cp") --recursive from a local folder")
        }
        let destination = Place(destinationText)
        let steps = try objects(call, under: source).map { object in
            Step.transfer(
                from: "s3://\(source.bucket)/\(object.key)", to: destination.appending(object.relative), move: move)
        }
        return try run(call, steps)
    }

    /// One transfer; for `mv`, the S3 source is deleted once copied.
    static func transferOne(_ call: Invocation, from source: String, to destination: String, move: Bool)
        throws(CommandFailure) -> String
    {
        let line = try S3Commands.transfer(call, source, destination, verb: move ? "move" : nil)
        guard move, call.flag("dryrun") != true, let path = S3Commands.S3Path(source) else { return line }
        do {
            call.record.events += try call.world.s3.deleteObject(call.s3, bucket: path.bucket, key: path.key).events
        } catch {
            throw .message(
                "move failed: \(source) to \(destination) An error occurred (\(error.code)) when calling the DeleteObject operation: \(error.message)",
                status: 1, events: error.events)
        }
        return line
    }

    static func moveOne(_ call: Invocation) throws(CommandFailure) -> CommandOutput {
        try run(call, [.transfer(from: call.positionals[0], to: call.positionals[1], move: true)])
    }

    /// `rm s3://b/k`, or with `--recursive` every object under the prefix.
    static func remove(_ call: Invocation) throws(CommandFailure) -> CommandOutput {
        let text = call.positionals[0]
        guard let path = S3Commands.S3Path(text) else {
            throw .usage(
                UsageError(message: "Error: Invalid argument type: \(text) must be an s3:// URL", argument: text))
        }
        let keys: [String]
        if call.flag("recursive") == true {
            guard case .s3(let prefix) = Place(text) else { return .none }
            keys = try objects(call, under: prefix).map(\.key)
        } else {
            keys = [path.key]
        }
        return try run(call, keys.map { Step.delete(bucket: path.bucket, key: $0) })
    }

    static func delete(_ call: Invocation, _ bucket: String, _ key: String) throws(CommandFailure) -> String {
        let url = "s3://\(bucket)/\(key)"
        if call.flag("dryrun") == true { return "(dryrun) delete: \(url)\n" }
        do {
            call.record.events += try call.world.s3.deleteObject(call.s3, bucket: bucket, key: key).events
        } catch {
            throw .message(
                "delete failed: \(url) An error occurred (\(error.code)) when calling the DeleteObject operation: \(error.message)",
                status: 1, events: error.events)
        }
        return "delete: \(url)\n"
    }

    /// `sync`: each source object missing at the destination or of another
    /// size, and with `--delete` each destination object the source lacks.
    /// From S3 to S3 or to a local folder (a local source is not emulated).
    static func sync(_ call: Invocation) throws(CommandFailure) -> CommandOutput {
        let (sourceText, destinationText) = (call.positionals[0], call.positionals[1])
        guard case .s3(let source) = Place(sourceText) else {
            throw .unsupported("aws s3 sync from a local folder")
        }
        let destination = Place(destinationText)
        let wanted = try objects(call, under: source)
        var existing: [String: Int] = [:]
        switch destination {
        case .s3(let prefix):
            for object in try objects(call, under: prefix) { existing[object.relative] = object.size }
        case .local:
            for object in wanted {
                if let bytes = call.reader.readFile(destination.appending(object.relative)) {
                    existing[object.relative] = bytes.count
                }
            }
        }
        var steps = wanted.filter { existing[$0.relative] != $0.size }.map { object in
            Step.transfer(
                from: "s3://\(source.bucket)/\(object.key)", to: destination.appending(object.relative), move: false)
        }
        if call.flag("delete") == true, case .s3(let prefix) = destination {
            let kept = Set(wanted.map(\.relative))
            for relative in existing.keys.sorted() where !kept.contains(relative) {
                steps.append(.delete(bucket: prefix.bucket, key: prefix.key + relative))
            }
        }
        return try run(call, steps)
    }

    /// `mb s3://bucket`: CreateBucket in the command's Region.
    static func makeBucket(_ call: Invocation) throws(CommandFailure) -> CommandOutput {
        let text = call.positionals[0]
        guard let path = S3Commands.S3Path(text.hasPrefix("s3://") ? text : "s3://" + text) else {
            throw .usage(UsageError(message: "Invalid argument: \(text)", argument: text))
        }
        do {
            call.record.events += try call.world.s3.createBucket(call.s3, bucket: path.bucket).events
        } catch {
            throw .message(
                "make_bucket failed: s3://\(path.bucket) An error occurred (\(error.code)) when calling the CreateBucket operation: \(error.message)",
                status: 1, events: error.events)
        }
        return .text("make_bucket: \(path.bucket)\n")
    }

    /// `rb s3://bucket`: DeleteBucket, which S3 refuses while objects remain;
    /// `--force` deletes them first (each printed as `rm` prints it).
    static func removeBucket(_ call: Invocation) throws(CommandFailure) -> CommandOutput {
        let text = call.positionals[0]
        guard let path = S3Commands.S3Path(text.hasPrefix("s3://") ? text : "s3://" + text) else {
            throw .usage(UsageError(message: "Invalid argument: \(text)", argument: text))
        }
        var printed = ""
        if call.flag("force") == true {
            let root = S3Commands.S3Path("s3://\(path.bucket)/") ?? path
            let steps = try objects(call, under: root).map { Step.delete(bucket: path.bucket, key: $0.key) }
            if case .text(let lines) = try run(call, steps) {
                printed = lines
            }
        }
        do {
            call.record.events += try call.world.s3.deleteBucket(call.s3, bucket: path.bucket).events
        } catch {
            call.record.terminalPrefix += Array(printed.utf8)
            throw .message(
                "remove_bucket failed: s3://\(path.bucket) An error occurred (\(error.code)) when calling the DeleteBucket operation: \(error.message)",
                status: 1, events: error.events)
        }
        return .text(printed + "remove_bucket: \(path.bucket)\n")
    }
}

/// `--include`/`--exclude` as the CLI applies them: every object is kept to
/// begin with, and the last pattern that matches its path (relative to the
/// command's prefix or folder) decides. Patterns are Python's `fnmatch`:
/// `*` matches any text, `/` included; `?` one character; `[seq]`, `[!seq]`.
enum S3Filter {
    static func keeps(_ path: String, _ filters: [String]) -> Bool {
        var kept = true
        for filter in filters {
            let parts = filter.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            if matches(Array(path.unicodeScalars)[...], Array(parts[1].unicodeScalars)[...]) {
                kept = parts[0] == "include"
            }
        }
        return kept
    }

    /// Iterative glob matching with backtracking to the last `*`: linear in
    /// practice, never exponential.
    static func matches(_ text: ArraySlice<Unicode.Scalar>, _ pattern: ArraySlice<Unicode.Scalar>) -> Bool {
        var t = text.startIndex
        var p = pattern.startIndex
        var star: (pattern: Int, text: Int)?
        while t < text.endIndex {
            if p < pattern.endIndex, pattern[p] == "*" {
                star = (p, t)
                p += 1
                continue
            }
            if p < pattern.endIndex, let length = single(pattern[p...], matches: text[t]) {
                p += length
                t += 1
                continue
            }
            guard let last = star else { return false }
            p = last.pattern + 1
            t = last.text + 1
            star = (last.pattern, last.text + 1)
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }

    /// Whether the pattern's next element (`?`, `[…]` or a character) matches
    /// `scalar`: the element's length when it does.
    static func single(_ pattern: ArraySlice<Unicode.Scalar>, matches scalar: Unicode.Scalar) -> Int? {
        guard let first = pattern.first else { return nil }
        if first == "?" { return 1 }
        guard first == "[", let close = pattern.dropFirst(2).firstIndex(of: "]") else {
            return first == scalar ? 1 : nil
        }
        var set = pattern[(pattern.startIndex + 1)..<close]
        let negated = set.first == "!"
        if negated { set = set.dropFirst() }
        var found = false
        var index = set.startIndex
        while index < set.endIndex {
            if index + 2 < set.endIndex, set[index + 1] == "-" {
                if set[index] <= scalar, scalar <= set[index + 2] { found = true }
                index += 3
            } else {
                if set[index] == scalar { found = true }
                index += 1
            }
        }
        return found != negated ? close + 1 - pattern.startIndex : nil
    }
}
