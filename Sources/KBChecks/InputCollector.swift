import Foundation

/// One file to verify.
public struct InputFile: Sendable, Hashable, Codable {
    /// The path shown in diagnostics: as the user named it, relative to the
    /// working directory when they named it so.
    public var displayPath: String
    /// The standardized absolute path, for reading and for resolving links.
    public var absolutePath: String
    /// The path inside the folder it was found in; for a file named directly,
    /// its tidied path relative to the working directory.
    public var relativePath: String
    /// The folder named on the command line that holds it ("" for files named directly).
    public var root: String

    /// ``InputCollector`` makes these from the command line; a caller holding a
    /// guide in memory (a fuzz target, a test) names its own.
    public init(displayPath: String, absolutePath: String, relativePath: String, root: String) {
        self.displayPath = displayPath
        self.absolutePath = absolutePath
        self.relativePath = relativePath
        self.root = root
    }

    /// The absolute folder a file belongs to: the folder named on the command
    /// line, or the file's own folder when it was named directly. Knowledge-base
    /// files (claims.yml, prose-rules.yml) live there.
    public var rootFolder: String {
        root.isEmpty
            ? (absolutePath as NSString).deletingLastPathComponent
            : String(absolutePath.dropLast(relativePath.count + 1))
    }
}

/// A problem with the command line's paths: exit status 2, not a finding.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Expands the paths a user gives (`kbtool verify guide.md docs/`) into guide files.
public enum InputCollector {
    public static let guideExtensions: Set<String> = ["md", "mdx", "json"]
    /// Folders never searched: dependencies, not content.
    static let skippedFolders: Set<String> = ["node_modules"]
    /// Output folders (Docusaurus's `build`, kbtool's `site`), skipped unless one is
    /// a docs section (it has `_category_.json`/`.yml` or an `index.md`) away from a
    /// project's own files: AWS-style docs have a `build/` section that is content.
    static let outputFolders: Set<String> = ["build", "site"]
    static let projectFiles: Set<String> = [
        "package.json", "docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "kbtool.yml",
    ]
    static let sectionFiles: Set<String> = [
        "_category_.json", "_category_.yml", "_category_.yaml", "index.md", "index.mdx",
    ]

    static func isOutputFolder(_ path: String, name: String, besideProject: Bool) -> Bool {
        guard outputFolders.contains(name) else { return false }
        if besideProject { return true }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return !names.contains(where: sectionFiles.contains)
    }

    public static func collect(_ paths: [String], workingDirectory: String = FileManager.default.currentDirectoryPath)
        throws(InputError) -> [InputFile]
    {
        var files: [InputFile] = []
        var seen: Set<String> = []
        for path in paths {
            let display = tidy(path)
            let absolute = absolutize(path, in: workingDirectory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                throw InputError(description: "no such file or directory: \(path)")
            }
            if isDirectory.boolValue {
                let found = walk(directory: absolute, display: display)
                guard !found.isEmpty else {
                    throw InputError(description: "no guides or policies (*.md, *.mdx, *.json) found in \(path)")
                }
                for file in found where seen.insert(file.absolutePath).inserted { files.append(file) }
            } else {
                guard FileManager.default.isReadableFile(atPath: absolute) else {
                    throw InputError(description: "cannot read \(path)")
                }
                guard guideExtensions.contains((absolute as NSString).pathExtension.lowercased()) else {
                    throw InputError(description: "\(path) is not a guide or policy (*.md, *.mdx, *.json)")
                }
                if seen.insert(absolute).inserted {
                    files.append(
                        InputFile(
                            displayPath: display, absolutePath: absolute,
                            relativePath: display.hasPrefix("/") ? (absolute as NSString).lastPathComponent : display,
                            root: ""))
                }
            }
        }
        return files
    }

    /// Guides under a folder, sorted, skipping hidden entries and never following
    /// symbolic links to folders (so a link cycle cannot loop).
    static func walk(directory: String, display: String) -> [InputFile] {
        var result: [InputFile] = []
        var pending: [(absolute: String, relative: String)] = [(directory, "")]
        while let (folder, relative) = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            var subfolders: [(String, String)] = []
            let isProjectFolder = names.contains(where: projectFiles.contains)
            for name in names.sorted() where !name.hasPrefix(".") {
                let absolute = (folder as NSString).appendingPathComponent(name)
                let relativePath = relative.isEmpty ? name : relative + "/" + name
                // lstat(2), not FileManager's attributes: a folder of ~1,600 policies
                // spent more time building attribute dictionaries than reading files.
                var info = stat()
                let isFolder = lstat(absolute, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                if isFolder {
                    let output = isOutputFolder(absolute, name: name, besideProject: isProjectFolder)
                    if !skippedFolders.contains(name) && !output { subfolders.append((absolute, relativePath)) }
                } else if guideExtensions.contains(Self.fileExtension(name)) {
                    result.append(
                        InputFile(
                            displayPath: display.isEmpty || display == "." ? relativePath : join(display, relativePath),
                            absolutePath: absolute, relativePath: relativePath, root: directory))
                }
            }
            pending.append(contentsOf: subfolders.reversed())
        }
        return result.sorted { $0.relativePath < $1.relativePath }
    }

    /// The lowercased text after a name's last dot ("" without one), as `pathExtension`
    /// reads it for file names.
    static func fileExtension(_ name: String) -> String {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    static func absolutize(_ path: String, in workingDirectory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }

    /// `./content//guide.md` → `content/guide.md`; absolute paths stay absolute.
    static func tidy(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        while parts.first == ".", parts.count > 1 { parts.removeFirst() }
        if parts.count > 1 { parts.removeAll { $0 == "." } }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }

    static func join(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }
}
