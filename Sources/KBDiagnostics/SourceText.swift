/// The text of one input file with a line table, so any byte offset can be turned
/// into the 1-based line and column a person sees in an editor.
///
/// Columns count Unicode scalars (what libyaml and rustc count), not bytes and not
/// UTF-16 units. A leading UTF-8 byte order mark is dropped before anything else
/// sees the text, so column 1 is the first visible character. Lines end at LF,
/// CRLF or a lone CR; the terminator is never part of a line's content.
public struct SourceText: Sendable {
    /// The path as the user named it; used verbatim in diagnostics.
    public let path: String
    /// The text without a byte order mark.
    public let text: String
    /// The UTF-8 bytes of `text`.
    public let bytes: [UInt8]
    /// Whether the file began with a UTF-8 byte order mark.
    public let hadByteOrderMark: Bool
    /// Byte offsets of each line's first byte.
    public let lineStarts: [Int]
    /// Byte offsets one past each line's last content byte (terminator excluded).
    public let lineEnds: [Int]
    /// Scalars before each multiple of `checkpointStride` bytes, so a column on a
    /// very long line costs O(stride), not O(line length).
    private let scalarCheckpoints: [Int]
    private static let checkpointStride = 1024

    public init(path: String, text: String) {
        self.path = path
        var bytes = Array(text.utf8)
        var hadBOM = false
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
            hadBOM = true
        }
        self.bytes = bytes
        self.hadByteOrderMark = hadBOM
        self.text = hadBOM ? String(decoding: bytes, as: UTF8.self) : text
        // Both tables in passes over the raw bytes (no bounds checks): every policy
        // file of a folder is read through here.
        let stride = Self.checkpointStride
        let (starts, ends, checkpoints) = bytes.withUnsafeBufferPointer { buffer in
            var starts = [0]
            var ends: [Int] = []
            var index = 0
            var longest = 0
            while index < buffer.count {
                let byte = buffer[index]
                if byte <= 0x0D && (byte == 0x0A || byte == 0x0D) {
                    longest = max(longest, index - starts[starts.count - 1])
                    ends.append(index)
                    if byte == 0x0D, index + 1 < buffer.count, buffer[index + 1] == 0x0A { index += 1 }
                    starts.append(index + 1)
                }
                index += 1
            }
            ends.append(buffer.count)
            longest = max(longest, buffer.count - starts[starts.count - 1])
            // Checkpoints serve only lines longer than a stride (columns on shorter
            // lines are counted from the line's start): most files need none.
            var checkpoints = [0]
            guard longest >= stride else { return (starts, ends, checkpoints) }
            checkpoints.reserveCapacity(buffer.count / stride + 1)
            var scalars = 0
            var blockStart = 0
            while blockStart < buffer.count {
                let blockEnd = min(blockStart + stride, buffer.count)
                for offset in blockStart..<blockEnd where buffer[offset] & 0xC0 != 0x80 { scalars += 1 }
                if blockEnd < buffer.count { checkpoints.append(scalars) }
                blockStart = blockEnd
            }
            return (starts, ends, checkpoints)
        }
        self.lineStarts = starts
        self.lineEnds = ends
        self.scalarCheckpoints = checkpoints
    }

    /// The number of scalars that start before byte `offset`.
    private func scalarsBefore(_ offset: Int) -> Int {
        let block = min(offset / Self.checkpointStride, scalarCheckpoints.count - 1)
        var count = scalarCheckpoints[block]
        var index = block * Self.checkpointStride
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }

    /// The number of lines; a final terminator starts one more, empty, line.
    public var lineCount: Int { lineStarts.count }

    /// The content bytes of a 1-based line, or an empty slice past the end.
    public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        guard line >= 1, line <= lineCount else { return [] }
        return bytes[lineStarts[line - 1]..<lineEnds[line - 1]]
    }

    /// The content of a 1-based line, invalid UTF-8 shown as U+FFFD.
    public func line(_ line: Int) -> String {
        String(decoding: lineBytes(line), as: UTF8.self)
    }

    /// The 1-based line holding a byte offset (an offset on a terminator belongs to its line).
    public func lineNumber(ofByteOffset offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// The position of a byte offset into `bytes`.
    public func position(ofByteOffset offset: Int) -> SourcePosition {
        let clamped = min(max(offset, 0), bytes.count)
        let line = lineNumber(ofByteOffset: clamped)
        let byteColumn = clamped - lineStarts[line - 1] + 1
        return SourcePosition(line: line, column: column(line: line, byteColumn: byteColumn))
    }

    /// Converts a 1-based byte column (what cmark reports) to a 1-based scalar column.
    public func column(line: Int, byteColumn: Int) -> Int {
        guard line >= 1, line <= lineCount else { return byteColumn }
        let start = lineStarts[line - 1]
        let length = lineEnds[line - 1] - start
        let limit = min(max(byteColumn - 1, 0), length)
        // A short prefix is counted directly; a long one through the checkpoints.
        var scalars = 0
        if limit < Self.checkpointStride {
            for offset in start..<start + limit where bytes[offset] & 0xC0 != 0x80 { scalars += 1 }
        } else {
            scalars = scalarsBefore(start + limit) - scalarsBefore(start)
        }
        // Offsets past the content (the terminator, or beyond) keep counting bytes.
        return scalars + max(byteColumn - 1 - length, 0) + 1
    }

    /// The byte offset of a position; columns past the line's end stay on that line.
    public func byteOffset(of position: SourcePosition) -> Int {
        guard position.line >= 1, position.line <= lineCount else { return bytes.count }
        let start = lineStarts[position.line - 1]
        let end = lineEnds[position.line - 1]
        var scalars = 1
        var offset = start
        while offset < end, scalars < position.column {
            offset += 1
            while offset < end, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            scalars += 1
        }
        return offset + max(position.column - scalars, 0)
    }

    /// A range between two byte offsets of this file.
    public func range(fromByte start: Int, toByte end: Int) -> SourceRange {
        SourceRange(file: path, start: position(ofByteOffset: start), end: position(ofByteOffset: end))
    }
}
