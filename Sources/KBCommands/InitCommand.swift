import ArgumentParser
import Foundation
import KBChecks

/// `kbtool init [DIR]`: scaffolds a knowledge base in an existing repository.
public struct InitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up kbtool in a repository: kbtool.yml, an example guide, .gitignore lines, a CI workflow.",
        discussion: """
            A Docusaurus project (docusaurus.config.*) keeps its guides in docs/; others in \
            content/. Existing files are never replaced: init says which exist and leaves them \
            alone (.gitignore only gains the lines it lacks). Either every file is written or, \
            on an error, none. Exit status 2 when the folder cannot be written.
            """
    )

    /// The GitHub Action the generated workflow uses: this repository's
    /// action.yml, at the tag of this version.
    static let actionReference = "kbtool/kbtool@v\(Verifier.version)"

    @Argument(help: "The repository's folder.")
    var folder = "."

    @Option(help: "The GitHub Action the workflow uses (OWNER/REPO@REF of a kbtool copy).")
    var action = InitCommand.actionReference

    public init() {}

    public func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            FileHandle.standardError.write(Data("error: no folder at \(folder)\n".utf8))
            throw ExitCode(2)
        }
        let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
        let scaffold = Scaffold.plan(folder: absolute, action: action)
        do {
            try scaffold.write()
        } catch {
            FileHandle.standardError.write(Data("error: kbtool init: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        print(Self.summary(scaffold, folder: folder))
    }

    static func summary(_ scaffold: Scaffold, folder: String) -> String {
        var lines = [
            scaffold.isDocusaurus
                ? "kbtool init: a Docusaurus project; kbtool checks its guides in \(scaffold.docs)/"
                : "kbtool init: guides go in \(scaffold.docs)/"
        ]
        for file in scaffold.files {
            switch file.action {
            case .create: lines.append("  created   \(file.path)")
            case .append(_, let count):
                lines.append("  added     \(count) line\(count == 1 ? "" : "s") to \(file.path)")
            case .leave: lines.append("  exists    \(file.path) (left alone)")
            }
        }
        let cd = folder == "." ? "" : "cd \(folder) && "
        lines.append("Next: \(cd)kbtool verify, then kbtool build (the site goes to site/public/).")
        if scaffold.files.contains(where: { $0.path.hasPrefix(".github/") && $0.action == .create }) {
            lines.append(
                "The workflow runs the kbtool action \(scaffold.action); change its `uses:` line if your copy of kbtool lives elsewhere."
            )
        }
        return lines.joined(separator: "\n")
    }
}
