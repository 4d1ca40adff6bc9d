import Foundation

/// The probes that passed with this kbtool binary, kept in the user's cache
/// folder across knowledge bases and folders.
///
/// A probe is a small guide run in kbtool's own engine, with no file from
/// disk: its outcome depends only on its text and on the binary. So a probe
/// that passed once passes again, and a run in a new folder, or with
/// `--no-cache` (which is about the project's guides and `.kbtool-cache/`),
/// need not run the 80 probes of the built-in claims again. Only passes are
/// kept: a failure is run and reported where it stands every time.
///
/// The record lives in `$XDG_CACHE_HOME/kbtool/` (else `~/.cache/kbtool/`),
/// one file per binary; `KBTOOL_PROBE_RECORD=off` turns it off. A folder that
/// cannot be written is not an error: the probes then simply run.
struct ProbeRecord {
    /// The record's file; nil when there is none (turned off, or no home).
    let path: String?
    /// Digests of the probes (their guide text) that passed with this binary.
    private(set) var passed: Set<String> = []
    private var added = false

    /// How many records of other binaries are kept beside this one.
    static let kept = 4

    init(binaryKey: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let folder = Self.folder(environment) else {
            path = nil
            return
        }
        let path = (folder as NSString).appendingPathComponent(
            "probes-\(VerificationCache.fingerprint(binaryKey).prefix(32)).txt")
        self.path = path
        if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
            passed = Set(text.split(separator: "\n").map(String.init))
        }
    }

    /// `$XDG_CACHE_HOME/kbtool` or `~/.cache/kbtool`; nil when turned off.
    static func folder(_ environment: [String: String]) -> String? {
        if environment["KBTOOL_PROBE_RECORD"] == "off" { return nil }
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return (cache as NSString).appendingPathComponent("kbtool")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return (home as NSString).appendingPathComponent(".cache/kbtool")
    }

    /// A probe's identity: the guide it runs as.
    static func digest(_ guideText: String) -> String { VerificationCache.fingerprint(guideText) }

    func hasPassed(_ digest: String) -> Bool { passed.contains(digest) }

    mutating func recordPass(_ digest: String) {
        if passed.insert(digest).inserted { added = true }
    }

    /// Writes the record when it grew, and removes the oldest records of other
    /// binaries beyond ``kept``; silently does nothing where it cannot write.
    func save() {
        guard added, let path else { return }
        let folder = (path as NSString).deletingLastPathComponent
        let manager = FileManager.default
        guard (try? manager.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else { return }
        let text = passed.sorted().joined(separator: "\n") + "\n"
        try? Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        let others = ((try? manager.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix("probes-") && $0.hasSuffix(".txt") }
            .map { (folder as NSString).appendingPathComponent($0) }
            .filter { $0 != path }
        let byAge = others.sorted {
            let a = (try? manager.attributesOfItem(atPath: $0)[.modificationDate] as? Date) ?? .distantPast
            let b = (try? manager.attributesOfItem(atPath: $1)[.modificationDate] as? Date) ?? .distantPast
            return a > b
        }
        for stale in byAge.dropFirst(Self.kept) { try? manager.removeItem(atPath: stale) }
    }
}
