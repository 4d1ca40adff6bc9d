import Foundation

/// Writes a built site so that a reader never sees half of it and nothing outside
/// the output folder is touched: the files go to a fresh folder next to it, which
/// then replaces the old site in one rename. A failure leaves the old site whole.
public enum SiteWriter {
    /// The file that marks a folder as a kbtool site; a folder that has files
    /// and lacks it is never replaced, so `--out` cannot wipe someone's work.
    public static let marker = ".kbtool-site"

    /// Refuses output folders whose replacement would lose the user's files: `/`,
    /// the home folder, the working directory or any folder holding it, a content
    /// folder, a folder inside one, or a folder that holds one.
    public static func checkOutput(
        _ output: String, contentFolders: [String], workingDirectory: String, themeFolder: String? = nil
    ) throws(SiteError) {
        let out = resolved(output)
        let home = resolved(NSHomeDirectory())
        if out == "/" || out.isEmpty { throw SiteError("refusing to write the site to '/'") }
        if out == home { throw SiteError("refusing to write the site to the home folder \(home)") }
        let cwd = resolved(workingDirectory)
        if out == cwd || cwd.hasPrefix(out + "/") {
            throw SiteError("refusing to write the site to \(output): it holds the working directory")
        }
        for folder in contentFolders.map(resolved) {
            if out == folder || folder.hasPrefix(out + "/") || out.hasPrefix(folder + "/") {
                throw SiteError("refusing to write the site to \(output): it overlaps the content folder \(folder)")
            }
        }
        // Inside the theme, each build would copy the last one in as assets.
        if let theme = themeFolder.map(resolved),
            out == theme || theme.hasPrefix(out + "/") || out.hasPrefix(theme + "/")
        {
            throw SiteError("refusing to write the site to \(output): it overlaps the theme folder \(theme)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SiteError("\(output) exists and is not a folder") }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            if !entries.isEmpty, !entries.contains(marker) {
                throw SiteError(
                    "refusing to replace \(output): it has files and was not made by kbtool build (no \(marker) file)")
            }
        }
    }

    /// Writes `files` (site-relative paths) as the new content of `output`.
    public static func write(_ files: [(path: String, bytes: [UInt8])], to output: String) throws(SiteError) {
        let staging = try SiteStaging(output: output)
        do throws(SiteError) {
            for file in files { try staging.write(file.path, file.bytes) }
        } catch {
            staging.abandon()
            throw error
        }
        try staging.commit()
    }

    /// An absolute, standardised path with symbolic links resolved: the whole
    /// path when it exists, else its longest existing ancestor plus the rest.
    static func resolved(_ path: String) -> String {
        let absolute =
            path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        var existing = (absolute as NSString).standardizingPath
        var rest: [String] = []
        while RealPath.resolve(existing) == nil, existing != "/" {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        let base = RealPath.resolve(existing) ?? existing
        return rest.reduce(base) { ($0 as NSString).appendingPathComponent($1) }
    }
}
