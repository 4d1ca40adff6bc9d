import Foundation
import KBChecks
import KBEmbedded

/// What `kbtool init` writes into a repository, planned before anything is
/// written and then written all or nothing.
struct Scaffold {
    /// One file to create, or `.gitignore` lines to add.
    struct File {
        enum Action: Equatable {
            /// A new file; an existing one is left alone.
            case create
            /// Lines added to the end of an existing file (its old text kept).
            case append(existing: String, lines: Int)
            /// The file exists (or already has the lines): nothing to do.
            case leave
        }

        /// Relative to the repository folder.
        var path: String
        var text: String
        var action: Action
    }

    /// The repository folder (absolute).
    var folder: String
    /// The guides' folder, relative to `folder` (`docs` in a Docusaurus project).
    var docs: String
    var isDocusaurus: Bool
    /// The GitHub Action the workflow uses.
    var action: String
    var files: [File]

    /// The templates, compiled in from `scaffold/`.
    static func template(_ name: String) -> String { Embedded.required("init/\(name)").text }

    /// Plans the scaffold for `folder`: Docusaurus projects keep their guides in
    /// `docs/`, others in `content/` (what kbtool checks by default).
    static func plan(folder: String, action: String) -> Scaffold {
        let manager = FileManager.default
        let entries = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        let isDocusaurus = entries.contains { $0.hasPrefix("docusaurus.config.") }
        let docs = isDocusaurus ? "docs" : "content"
        let title = (folder as NSString).lastPathComponent
        let values = [
            "docs": docs, "action": action, "version": Verifier.version,
            // Quoted for YAML: a folder name may hold ':' or '#'.
            "title": "\""
                + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\"",
        ]
        func fill(_ template: String) -> String {
            values.reduce(template) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
        }
        func file(_ path: String, _ text: String) -> File {
            let exists = manager.fileExists(atPath: (folder as NSString).appendingPathComponent(path))
            return File(path: path, text: text, action: exists ? .leave : .create)
        }
        var files = [
            file(Configuration.fileName, fill(template("kbtool.yml"))),
            file("\(docs)/kbtool-example.md", fill(template("kbtool-example.md"))),
            file(".github/workflows/kbtool.yml", fill(template("workflow.yml"))),
        ]
        files.append(gitignore(folder: folder, lines: template("gitignore")))
        return Scaffold(folder: folder, docs: docs, isDocusaurus: isDocusaurus, action: action, files: files)
    }

    /// `.gitignore` gains the lines it lacks (as `cargo init` does); a file
    /// that has them all is left alone.
    static func gitignore(folder: String, lines template: String) -> File {
        let path = (folder as NSString).appendingPathComponent(".gitignore")
        guard let data = FileManager.default.contents(atPath: path) else {
            return File(path: ".gitignore", text: template, action: .create)
        }
        let existing = String(decoding: data, as: UTF8.self)
        let present = Set(existing.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = template.split(separator: "\n").map(String.init).filter { line in
            !line.hasPrefix("#") && !present.contains(line) && !present.contains("/" + line)
        }
        guard !missing.isEmpty else { return File(path: ".gitignore", text: existing, action: .leave) }
        var text = existing
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += (["# kbtool"] + missing).joined(separator: "\n") + "\n"
        return File(path: ".gitignore", text: text, action: .append(existing: existing, lines: missing.count))
    }

    struct Failure: Error {
        var message: String
    }

    /// Writes every planned file or none. Each goes to a temporary file beside
    /// its place first; only when all are written are they moved into place
    /// (new files by `link`, which never replaces one that appeared meanwhile).
    /// Any failure removes what was written and the folders made for it.
    func write() throws(Failure) {
        let manager = FileManager.default
        var createdFolders: [String] = []
        var staged: [(temporary: String, final: String, file: File)] = []
        func undo() {
            for entry in staged { try? manager.removeItem(atPath: entry.temporary) }
            // rmdir, not a recursive removal: only the empty folders made here go.
            for created in createdFolders.reversed() { rmdir(created) }
        }
        let pending = files.filter { $0.action != .leave }
        for file in pending {
            let final = (folder as NSString).appendingPathComponent(file.path)
            let parent = (final as NSString).deletingLastPathComponent
            let temporary = (parent as NSString).appendingPathComponent(
                ".\((final as NSString).lastPathComponent).kbtool-init-\(getpid())")
            var failure: String?
            for missing in Self.missingFolders(parent) where failure == nil {
                if mkdir(missing, 0o755) == 0 {
                    createdFolders.append(missing)
                } else {
                    failure = String(cString: strerror(errno))
                }
            }
            if failure == nil {
                failure = createFile(temporary, Array(file.text.utf8))
                if failure == nil { staged.append((temporary, final, file)) }
            }
            if let failure {
                undo()
                throw Failure(message: "cannot write \(file.path) in \(folder): \(failure); nothing was written")
            }
        }
        var placed: [(final: String, file: File)] = []
        for entry in staged {
            let moved: Bool
            if case .append = entry.file.action {
                moved = rename(entry.temporary, entry.final) == 0
            } else {
                moved = link(entry.temporary, entry.final) == 0
                if moved { unlink(entry.temporary) }
            }
            if !moved {
                let why = String(cString: strerror(errno))
                for done in placed.reversed() {
                    if case .append(let existing, _) = done.file.action {
                        try? Data(existing.utf8).write(to: URL(fileURLWithPath: done.final))
                    } else {
                        try? manager.removeItem(atPath: done.final)
                    }
                }
                undo()
                throw Failure(message: "cannot write \(entry.file.path) in \(folder): \(why); nothing was written")
            }
            placed.append((entry.final, entry.file))
        }
    }

    /// The folders from the first missing ancestor of `path` down to it.
    static func missingFolders(_ path: String) -> [String] {
        var missing: [String] = []
        var current = path
        while !FileManager.default.fileExists(atPath: current), current != "/" {
            missing.insert(current, at: 0)
            current = (current as NSString).deletingLastPathComponent
        }
        return missing
    }
}

/// Creates `path` (never an existing file) holding `bytes`; the operating
/// system's reason when it cannot ("Read-only file system").
private func createFile(_ path: String, _ bytes: [UInt8]) -> String? {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else { return String(cString: strerror(errno)) }
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
        if count <= 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(path)
            return reason
        }
        written += count
    }
    guard close(descriptor) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(path)
        return reason
    }
    return nil
}
