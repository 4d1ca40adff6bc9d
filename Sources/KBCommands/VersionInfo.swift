import CKBBuildInfo
import KBChecks
import KBEmbedded

/// What `kbtool --version` prints: kbtool's version, the commit it was built
/// from, and the source and date of each data set compiled into it (every
/// embedded file whose header has `#source` and `#generated` lines).
enum VersionInfo {
    /// The commit scripts/install or the GitHub Action built from, or "unknown"
    /// for a plain `swift build`.
    static var commit: String { String(cString: kbtool_build_commit()) }

    /// Display names for the data sets; others show their file name.
    static let names = ["aws-catalogue.tsv": "AWS catalogue", "aws-cli-model.txt": "AWS CLI model"]

    static var text: String {
        var lines = ["kbtool \(Verifier.version) (commit \(commit))"]
        for file in Embedded.all {
            let header = file.header
            guard let source = header["source"], let generated = header["generated"] else { continue }
            lines.append("\(names[file.name] ?? file.name): \(source); generated \(generated)")
        }
        return lines.joined(separator: "\n")
    }
}
