import CKBBuildInfo
import KBChecks
import KBPolicy

/// What `kbtool --version` prints: kbtool's version, the commit it was built
/// from, and the versions of the data compiled into it.
enum VersionInfo {
    /// The commit scripts/install or the GitHub Action built from, or "unknown"
    /// for a plain `swift build`.
    static var commit: String { String(cString: kbtool_build_commit()) }

    static var text: String {
        let catalogue = ServiceCatalogue.shippedVersion
        return """
            kbtool \(Verifier.version) (commit \(commit))
            AWS catalogue: \(catalogue.source); generated \(catalogue.generated)
            """
    }
}
