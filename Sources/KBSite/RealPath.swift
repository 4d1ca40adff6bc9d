#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The canonical path of an existing file: every symbolic link resolved, `.`
/// and `..` removed, as `realpath(3)` gives it. Foundation's
/// `resolvingSymlinksInPath` leaves some relative link targets unresolved on
/// Linux, which is not good enough to decide whether a file lies inside a folder.
public enum RealPath {
    public static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` (which must exist) lies inside `folder`, links resolved.
    public static func isInside(_ path: String, folder: String) -> Bool {
        guard let real = resolve(path), let root = resolve(folder) else { return false }
        return real.hasPrefix(root == "/" ? "/" : root + "/")
    }
}
