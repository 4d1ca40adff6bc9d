import Foundation
import KBChecks

/// Which folders are a repository's knowledge bases: what `verify`, `build` and
/// `serve` check when no path is named, and what `verify --changed` picks from.
enum KnowledgeBases {
    /// `paths` from the working directory's kbtool.yml, relative to the working
    /// directory; empty when it names none.
    static func configured(workingDirectory: String) -> [String] {
        let (configuration, _) = Configuration.discover(paths: [], workingDirectory: workingDirectory)
        return configuration.paths.map { path in
            let absolute =
                path.hasPrefix("/") ? path : ((configuration.root as NSString).appendingPathComponent(path))
            let standard = (absolute as NSString).standardizingPath
            return standard.hasPrefix(workingDirectory + "/")
                ? String(standard.dropFirst(workingDirectory.count + 1)) : standard
        }
    }

    /// The knowledge bases that hold at least one of the changed files (as a
    /// pre-commit hook passes them): a guide, an asset or a claims file inside
    /// one. A changed kbtool.yml concerns them all. Cross-guide checks need
    /// every guide of a knowledge base, so the whole base is verified (the
    /// cache answers for the unchanged guides).
    static func containing(changedFiles: [String]) -> [String] {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let configured = configured(workingDirectory: workingDirectory)
        let bases = configured.isEmpty ? ["content"] : configured
        func absolute(_ path: String) -> String {
            ((path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)) as NSString)
                .standardizingPath
        }
        let changed = changedFiles.map(absolute)
        if changedFiles.contains(where: { ($0 as NSString).lastPathComponent == Configuration.fileName }) {
            return bases.filter { FileManager.default.fileExists(atPath: absolute($0)) }
        }
        return bases.filter { base in
            let folder = absolute(base)
            return changed.contains { $0 == folder || $0.hasPrefix(folder + "/") }
        }
    }
}
