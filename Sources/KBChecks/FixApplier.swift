import Foundation
import KBDiagnostics

/// One edit `kbtool verify --fix` made.
public struct AppliedFix: Sendable, Hashable {
    public var file: String
    public var position: SourcePosition
    public var message: String
}

/// Applies the unambiguous fixes of a report to the files on disk.
///
/// Each file is rewritten atomically (a temporary file in the same folder, then
/// a rename) and only the fixed bytes change: the edits are made on the bytes
/// read from disk, and a file whose bytes no longer match what was verified, or
/// that is not valid UTF-8, is left alone.
public enum FixApplier {
    public static func apply(_ report: VerificationReport) -> (applied: [AppliedFix], skipped: [String]) {
        var applied: [AppliedFix] = []
        var skipped: [String] = []
        let byDisplay = Dictionary(report.files.map { ($0.displayPath, $0) }, uniquingKeysWith: { first, _ in first })
        var fixesByFile: [String: [(Diagnostic, FixIt)]] = [:]
        for diagnostic in report.diagnostics {
            guard let fix = diagnostic.fix, fix.isUnambiguous else { continue }
            fixesByFile[fix.range.file, default: []].append((diagnostic, fix))
        }
        for (file, fixes) in fixesByFile.sorted(by: { $0.key < $1.key }) {
            guard let input = byDisplay[file], let source = report.sources[file],
                let data = FileManager.default.contents(atPath: input.absolutePath)
            else {
                skipped.append("\(file): cannot read the file")
                continue
            }
            let original = Array(data)
            let offset = source.hadByteOrderMark ? 3 : 0
            guard original.count == source.bytes.count + offset, original[offset...].elementsEqual(source.bytes) else {
                skipped.append("\(file): the file changed since it was verified, or is not valid UTF-8")
                continue
            }
            // Apply from the end so earlier offsets stay valid; drop overlapping edits.
            let edits = fixes.map { diagnostic, fix in
                (
                    start: source.byteOffset(of: fix.range.start) + offset,
                    end: source.byteOffset(of: fix.range.end) + offset, fix: fix, diagnostic: diagnostic
                )
            }.sorted { $0.start > $1.start || ($0.start == $1.start && $0.end > $1.end) }
            var bytes = original
            var lowestStart = Int.max
            var done: [AppliedFix] = []
            for edit in edits where edit.end <= lowestStart && edit.start <= edit.end {
                bytes.replaceSubrange(edit.start..<edit.end, with: Array(edit.fix.replacement.utf8))
                lowestStart = edit.start
                done.append(AppliedFix(file: file, position: edit.fix.range.start, message: edit.fix.message))
            }
            do {
                try writeAtomically(bytes, to: input.absolutePath)
                applied += done.reversed()
            } catch {
                skipped.append("\(file): \(error.localizedDescription)")
            }
        }
        return (applied, skipped)
    }

    /// Writes beside the target, keeps its permissions, then renames over it.
    static func writeAtomically(_ bytes: [UInt8], to link: String) throws {
        // A symbolic link is followed: the file it names is rewritten, in its folder.
        let path = (link as NSString).resolvingSymlinksInPath
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).kbtool-fix-\(ProcessInfo.processInfo.processIdentifier)")
        try Data(bytes).write(to: temporary)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let permissions = attributes[.posixPermissions]
        {
            try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary.path)
        }
        guard rename(temporary.path, path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
