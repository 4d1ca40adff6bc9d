import Foundation
import KBDiagnostics
import KBGuide
import KBJSON
import Synchronization

extension Rule {
    public static let fileTooLarge = Rule(
        "file-too-large", .error,
        summary: "An input file (guide or policy file) is larger than 16 MiB; it is not parsed.",
        why:
            "No hand-written guide is that large; the limit keeps a run bounded in time and memory, and nothing in the file is checked.",
        fix: "Split the guide into several pages, or move generated data out of the checked folders.",
        example: "the file is 20971520 bytes, more than the 16777216-byte limit; split it")

    public static let fileUnreadable = Rule(
        "file-unreadable", .error,
        summary:
            "A file found among the guides cannot be read: no permission, a symbolic link to nothing, or a FIFO, device or socket with a guide's name.",
        why: "Its content is not checked; kbtool reports it and verifies the other files rather than stop or block.",
        fix: "Fix the permissions or the link, or move the special file out of the checked folders.",
        example: "cannot read the file: it is a FIFO or other special file, not a regular file")
}

/// Reading the files of a run: each is looked at before it is read (a FIFO
/// would block, a huge file would fill memory), a guide the cache answers is
/// not parsed unless the caller renders it, and a policy file is checked here.
extension Verifier {
    /// Reads and parses one file, or says why it could not.
    enum Loaded: Sendable {
        /// Parsed, to be checked; with the stamp the cache records.
        case guide(Guide, VerificationCache.Stamp)
        /// Answered by the cache; the guide is parsed only when the caller keeps
        /// guides, and its full result loaded only when needed.
        case cached(VerificationCache.Entry, Guide?)
        /// A JSON file, already checked: its findings come with it.
        case json(SourceText, [Diagnostic])
        case tooLarge(Diagnostic)
        /// Found in a folder but not readable as a file (a FIFO, a dangling link, no permission).
        case unreadable(Diagnostic)
    }

    /// Loads every file on all cores (files are independent), keeping their
    /// order: JSON files are checked here, guides parsed unless the cache holds
    /// their result.
    func loadAll(_ files: [InputFile], cache: VerificationCache?, claims: [String: String]) throws(InputError)
        -> [Loaded]
    {
        let results = Mutex<[Int: Result<Loaded, InputError>]>([:])
        let verifier = self
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let file = files[index]
            let result = Result { () throws(InputError) -> Loaded in
                var loaded = try verifier.load(file, cache: cache, claims: claims[file.rootFolder] ?? "")
                if case .json(let source, _) = loaded {
                    loaded = .json(source, verifier.checkJSONFile(source, file: file))
                }
                return loaded
            }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { all throws(InputError) in
            var ordered: [Loaded] = []
            for index in files.indices { ordered.append(try all[index]!.get()) }
            return ordered
        }
    }

    func load(_ file: InputFile, cache: VerificationCache? = nil, claims: String = "") throws(InputError) -> Loaded {
        let top = SourceRange(file: file.displayPath, at: SourcePosition(line: 1, column: 1))
        func unreadable(_ why: String) -> Loaded {
            .unreadable(Diagnostic(.error, .fileUnreadable, "cannot read the file: \(why)", at: top))
        }
        // A standalone policy file (never cached): stat(2) says what it is, cheaper
        // than FileManager's attribute dictionary; anything unusual goes the long way.
        if file.absolutePath.lowercased().hasSuffix(".json") {
            var info = stat()
            if stat(file.absolutePath, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maxFileBytes,
                let data = FileManager.default.contents(atPath: file.absolutePath), data.count <= maxFileBytes
            {
                return .json(SourceText(path: file.displayPath, text: String(decoding: data, as: UTF8.self)), [])
            }
        }
        // Look before reading: a FIFO would block, a huge file would fill memory.
        // realpath(3) is the fast way for the usual file; what it cannot resolve
        // (a dangling or looping link) goes the slow way, to be described.
        let resolved =
            realpath(file.absolutePath, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? (file.absolutePath as NSString).resolvingSymlinksInPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else {
            return unreadable("it is a symbolic link to nothing, or it was removed")
        }
        let type = attributes[.type] as? FileAttributeType
        if type == .typeSymbolicLink { return unreadable("it is a symbolic link that leads nowhere, or in a loop") }
        guard type == .typeRegular else {
            let kind =
                [
                    FileAttributeType.typeCharacterSpecial: "a character device",
                    .typeBlockSpecial: "a block device", .typeSocket: "a socket", .typeDirectory: "a folder",
                ][type ?? .typeUnknown] ?? "a FIFO or other special file"
            return unreadable("it is \(kind), not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size > maxFileBytes {
            return .tooLarge(
                Diagnostic(
                    .error, .fileTooLarge,
                    "the file is \(size) bytes, more than the \(maxFileBytes)-byte limit; split it", at: top))
        }
        let isJSON = file.absolutePath.lowercased().hasSuffix(".json")
        var known: Data?
        if let cache, !isJSON {
            // An unchanged guide (same size and time) is not even read.
            let (stamp, data) = cache.stamp(file.absolutePath, attributes: attributes) {
                FileManager.default.contents(atPath: resolved)
            }
            known = data
            if let entry = cache.lookup(
                file.absolutePath, stamp: stamp, claims: claims, full: needsFullResults || keepsGuides)
            {
                guard keepsGuides && parsesCachedGuides else { return .cached(entry, nil) }
                guard let bytes = data ?? FileManager.default.contents(atPath: resolved) else {
                    return unreadable("reading failed")
                }
                return .cached(entry, GuideParser.parse(path: file.displayPath, bytes: Array(bytes)))
            }
        }
        guard let data = known ?? (size == 0 ? Data() : FileManager.default.contents(atPath: resolved)) else {
            let descriptor = open(resolved, O_RDONLY)
            let reason = descriptor < 0 ? String(cString: strerror(errno)) : "reading failed"
            if descriptor >= 0 { close(descriptor) }
            return unreadable(reason.lowercased())
        }
        if data.count > maxFileBytes {
            return .tooLarge(
                Diagnostic(
                    .error, .fileTooLarge,
                    "the file is \(data.count) bytes, more than the \(maxFileBytes)-byte limit; split it", at: top))
        }
        if file.absolutePath.lowercased().hasSuffix(".json") {
            return .json(SourceText(path: file.displayPath, text: String(decoding: data, as: UTF8.self)), [])
        }
        // The stamp is for the cache; without one, the bytes are not hashed.
        let stamp = VerificationCache.Stamp(
            size: data.count, modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
            sha256: cache == nil ? "" : VerificationCache.fingerprint(data))
        return .guide(GuideParser.parse(path: file.displayPath, bytes: Array(data)), stamp)
    }

    /// Syntax, then policy checks, for a standalone JSON file.
    func checkJSONFile(_ source: SourceText, file: InputFile) -> [Diagnostic] {
        let locate = SourceLocator(source)
        let whole = SourceRange(file: file.displayPath, at: .init(line: 1, column: 1))
        let result = JSONParser.parse(source.text)
        var found = result.issues.map { JSONBlockCheck.diagnostic($0, locate: locate, whole: whole) }
        guard let value = result.value, PolicyCheck.isPolicy(value, labelled: false) else { return found }
        var seen: Set<String> = []
        found += PolicyCheck.check(
            value, text: source.text, locate: locate,
            evidence: .init(
                said: policyKind ?? configuration?.kind(absolutePath: file.absolutePath),
                name: Self.fileName(file.absolutePath)),
            ownerAccount: nil, seenPlaceholders: &seen)
        return found
    }

    /// The last component of a path, found on the bytes.
    static func fileName(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }
}
