import Synchronization

/// A file compiled into kbtool by `scripts/embed`: the catalogue, the site's
/// theme, the built-in knowledge base. kbtool never reads its own data from
/// disk, so a copied binary works anywhere.
///
/// The bytes live in the binary's read-only data. Nothing is loaded at start-up:
/// the operating system pages a file in when it is first read, so a large data
/// set costs only what a run touches. Text files are read in place; binary ones
/// are stored as base64 and decoded once, on first use.
public struct EmbeddedFile: Sendable {
    enum Encoding: Sendable {
        case utf8, base64
    }

    /// The name kbtool looks it up by (`theme/page.html`).
    public let name: String
    /// The repository file it was generated from.
    public let path: String
    /// Its size in bytes.
    public let count: Int
    /// The SHA-256 of its bytes, in hex, computed when it was embedded: an
    /// identity for caches that must not outlive a data change.
    public let sha256: String
    let encoding: Encoding
    let contents: StaticString

    init(name: String, path: String, count: Int, sha256: String, encoding: Encoding, contents: StaticString) {
        self.name = name
        self.path = path
        self.count = count
        self.sha256 = sha256
        self.encoding = encoding
        self.contents = contents
    }

    /// Calls `body` with the file's bytes, without copying text files.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch encoding {
        case .utf8:
            return try body(UnsafeRawBufferPointer(start: contents.utf8Start, count: contents.utf8CodeUnitCount))
        case .base64:
            return try Embedded.decoded(self).withUnsafeBytes(body)
        }
    }

    /// The file's bytes, copied.
    public var bytes: [UInt8] {
        withBytes { Array($0) }
    }

    /// The file's bytes as UTF-8 text.
    public var text: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The `#name<TAB>value` lines a generated data file starts with (the
    /// catalogue's and the CLI model's `#source`, `#generated`), by name without
    /// the `#`; only those lines are read.
    public var header: [String: String] {
        withBytes { bytes in
            var fields: [String: String] = [:]
            var start = 0
            while start < bytes.count, bytes[start] == UInt8(ascii: "#") {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<end]), as: UTF8.self)
                let parts = line.split(separator: "\t", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
                start = end + 1
            }
            return fields
        }
    }
}

/// The files compiled into kbtool, by name.
public enum Embedded {
    /// Every embedded file, sorted by name.
    public static var all: [EmbeddedFile] { EmbeddedFile.generated }

    private static let byName: [String: EmbeddedFile] = Dictionary(
        EmbeddedFile.generated.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The file embedded under `name`, or nil.
    public static func file(_ name: String) -> EmbeddedFile? {
        byName[name]
    }

    /// The file embedded under `name`; a name that is not embedded is a build
    /// mistake (a line missing from embedded-files.txt), not bad input.
    public static func required(_ name: String) -> EmbeddedFile {
        guard let file = byName[name] else {
            fatalError("kbtool was built without its embedded file '\(name)'; run scripts/embed")
        }
        return file
    }

    /// Every file under a folder name (`theme`), sorted by name.
    public static func files(under folder: String) -> [EmbeddedFile] {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return EmbeddedFile.generated.filter { $0.name.hasPrefix(prefix) }
    }

    /// Base64 files decoded on first use, kept for the rest of the run.
    private static let decodedFiles = Mutex<[String: [UInt8]]>([:])

    static func decoded(_ file: EmbeddedFile) -> [UInt8] {
        if let known = decodedFiles.withLock({ $0[file.name] }) { return known }
        let bytes = file.withBase64Text { Base64.decode($0) }
        decodedFiles.withLock { $0[file.name] = bytes }
        return bytes
    }
}

extension EmbeddedFile {
    fileprivate func withBase64Text<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        body(UnsafeBufferPointer(start: contents.utf8Start, count: contents.utf8CodeUnitCount))
    }
}

/// RFC 4648 base64, for the files scripts/embed could not store as text.
/// (KBEmbedded depends on nothing, not even Foundation, to stay cheap to load.)
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in text {
            let value = values[Int(character)]
            guard value != 0xFF else { continue }  // padding
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return bytes
    }
}
