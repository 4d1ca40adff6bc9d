/// `--output table`: awscli's table formatter, a stack of bordered sections titled by
/// the operation name and then by the keys of nested values, each nesting level
/// adding a `|` on both sides.
///
/// A dict's scalars make one row under a header of its sorted keys; a list of dicts
/// makes a header of the union of their scalar keys and a row per dict. Columns
/// are sized to their widest cell plus padding and then stretched so every section
/// is as wide as the widest. When that is wider than the terminal, each one-row
/// section is turned into key/value rows; the CLI asks the terminal for its width
/// and, with stdout not a terminal (a pipe, a file, a transcript), assumes 80.
enum TableOutput {
    static let terminalWidth = 80

    /// Python raised while building the table; nothing reaches stdout then.
    struct Failure: Error {}

    static func render(_ value: PyValue, title: String) -> String {
        var table = TableBuilder()
        do {
            guard try table.build(title: title, value: value, indent: 0) else { return "" }
            return try table.render()
        } catch {
            return ""
        }
    }
}

/// How many columns the table formatter gives a text: two for each code point of
/// East Asian width W, F or A, one for any other, combining marks and controls included.
func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + (isDoubleWidth($1) ? 2 : 1) }
}

private let doubleWidth: [ClosedRange<UInt32>] = doubleWidthRanges.split(whereSeparator: \.isWhitespace).map {
    let bounds = $0.split(separator: "-").map { UInt32($0, radix: 16)! }
    return bounds[0]...bounds[bounds.count - 1]
}

private func isDoubleWidth(_ scalar: Unicode.Scalar) -> Bool {
    var low = 0
    var high = doubleWidth.count
    while low < high {
        let middle = (low + high) / 2
        if doubleWidth[middle].upperBound < scalar.value {
            low = middle + 1
        } else {
            high = middle
        }
    }
    return low < doubleWidth.count && doubleWidth[low].contains(scalar.value)
}

/// One titled block of the table.
private struct Section {
    /// Nil stands for Python's `None`, the title of a section a list nested in a
    /// list continues: not printed, but measured as the four letters of "None".
    var title: String?
    var indent = 0
    var headers: [String] = []
    var rows: [[String]] = []
    var columnCount: Int?
    var maxWidths: [Int] = []

    init(title: String?, indent: Int) {
        self.title = title
        self.indent = indent
    }

    mutating func addHeader(_ headers: [String]) throws {
        try updateMaxWidths(headers)
        if columnCount == nil { columnCount = headers.count }
        self.headers = headers
    }

    mutating func addRow(_ row: [String]) throws {
        if columnCount == nil { columnCount = row.count }
        guard row.count == columnCount else { throw TableOutput.Failure() }
        rows.append(row)
        try updateMaxWidths(row)
    }

    private mutating func updateMaxWidths(_ cells: [String]) throws {
        guard !maxWidths.isEmpty else {
            maxWidths = cells.map(displayWidth)
            return
        }
        for (index, cell) in cells.enumerated() {
            guard index < maxWidths.count else { throw TableOutput.Failure() }
            maxWidths[index] = max(maxWidths[index], displayWidth(cell))
        }
    }

    /// Each column padded by 4, plus the two borders and the nesting bars on each side.
    var totalWidth: Int {
        let columns = maxWidths.reduce(0) { $0 + $1 + 4 } + 2 + 2 * indent
        return max(displayWidth(title ?? "None") + 2 + 2 * indent, columns)
    }

    /// Padded column widths scaled to add up to `width`, rounding half to even and
    /// then taking the difference off the first columns or adding it to the last.
    func columnWidths(fitting width: Int) -> [Int] {
        let unscaled = maxWidths.map { $0 + 4 }
        guard !unscaled.isEmpty else { return [] }
        let scale = Double(width) / Double(unscaled.reduce(0, +))
        var scaled = unscaled.map { Int((scale * Double($0)).rounded(.toNearestOrEven)) }
        var offBy = scaled.reduce(0, +) - width
        while offBy != 0 {
            let order = offBy > 0 ? Array(scaled.indices) : scaled.indices.reversed()
            for index in order {
                scaled[index] += offBy > 0 ? -1 : 1
                offBy += offBy > 0 ? -1 : 1
                if offBy == 0 { break }
            }
        }
        return scaled
    }
}

/// The sections the formatter builds from a result, then lays out.
private struct TableBuilder {
    var sections: [Section] = []

    mutating func newSection(_ title: String?, indent: Int) {
        sections.append(Section(title: title, indent: indent))
    }

    /// Rows and headers go to the newest section.
    mutating func addRow(_ row: [String]) throws {
        guard !sections.isEmpty else { throw TableOutput.Failure() }
        try sections[sections.count - 1].addRow(row)
    }

    mutating func addHeader(_ headers: [String]) throws {
        guard !sections.isEmpty else { throw TableOutput.Failure() }
        try sections[sections.count - 1].addHeader(headers)
    }

    /// False when there is nothing to print: an empty, zero, false or null value.
    mutating func build(title: String?, value: PyValue, indent: Int) throws -> Bool {
        guard value.isTruthy else { return false }
        if let title { newSection(title, indent: indent) }
        switch value {
        case .list(let elements) where elements[0].isDict:
            try buildList(elements, title: title, indent: indent)
        case .list(let elements):
            for element in elements {
                switch element {
                case .list(let items) where items.allSatisfy(\.isScalar): try addRow(items.map(\.str))
                // Python iterates a dict's keys, all of them scalars.
                case .dict(let members): try addRow(members.map(\.key))
                case .list: _ = try build(title: nil, value: element, indent: 0)
                default: try addRow([element.str])
                }
            }
        case .dict(let members):
            try buildDict(members, indent: indent)
        default:
            break
        }
        return true
    }

    private mutating func buildDict(_ members: [(key: String, value: PyValue)], indent: Int) throws {
        let dict = PyValue.dict(members)
        let headers = members.filter { $0.value.isScalar }.map(\.key).sorted(by: pythonPrecedes)
        if headers.count == 1 {
            try addRow([headers[0], dict[headers[0]]?.str ?? ""])
        } else if !headers.isEmpty {
            try addHeader(headers)
            try addRow(headers.map { dict[$0]?.str ?? "" })
        }
        for member in members.filter({ !$0.value.isScalar }).sorted(by: { pythonPrecedes($0.key, $1.key) }) {
            _ = try build(title: member.key, value: member.value, indent: indent + 1)
        }
    }

    /// A list whose first element is a dict. Python only gets through other elements
    /// that are empty strings or lists, and then only while there are no columns.
    private mutating func buildList(_ elements: [PyValue], title: String?, indent: Int) throws {
        var scalarKeys: [[UInt8]: String] = [:]
        var nestedKeys: [[UInt8]: String] = [:]
        for element in elements {
            switch element {
            case .dict(let members):
                for member in members {
                    if member.value.isScalar {
                        scalarKeys[Array(member.key.utf8)] = member.key
                    } else {
                        nestedKeys[Array(member.key.utf8)] = member.key
                    }
                }
            case .str(let string) where string.isEmpty: break
            case .list(let items) where items.isEmpty: break
            default: throw TableOutput.Failure()
            }
        }
        let headers = scalarKeys.values.sorted(by: pythonPrecedes)
        let nested = nestedKeys.values.sorted(by: pythonPrecedes)
        try addHeader(headers)
        for (index, element) in elements.enumerated() {
            if index > 0 && !nested.isEmpty {
                newSection(title, indent: indent)
                try addHeader(headers)
            }
            guard case .dict = element else {
                // Python calls `element.get(column)` for each column, then tests
                // `key in element` for each nested key: a substring test on "", which
                // only the key "" passes, to fail on `element[key]`.
                let passesKeyTest = element.isString && nested.contains("")
                guard headers.isEmpty, !passesKeyTest else { throw TableOutput.Failure() }
                try addRow([])
                continue
            }
            try addRow(headers.map { element[$0]?.str ?? "" })
            for key in nested {
                if let value = element[key] { _ = try build(title: key, value: value, indent: indent + 1) }
            }
        }
    }

    // MARK: - Layout

    /// Every section is drawn as wide as the widest.
    mutating func render() throws -> String {
        var width = sections.map(\.totalWidth).max() ?? 0
        if width > TableOutput.terminalWidth {
            try turnOneRowSectionsVertical()
            width = sections.map(\.totalWidth).max() ?? 0
        }
        var out = String(repeating: "-", count: width) + "\n"
        for section in sections {
            let bars = String(repeating: "|", count: section.indent)
            for line in lines(of: section, width: width - 2 * section.indent) {
                out += bars + line + bars + "\n"
            }
        }
        return out
    }

    /// A header and a single row become one key/value row per column.
    private mutating func turnOneRowSectionsVertical() throws {
        for index in sections.indices where sections[index].rows.count == 1 && !sections[index].headers.isEmpty {
            let old = sections[index]
            var vertical = Section(title: old.title, indent: old.indent)
            for (header, cell) in zip(old.headers, old.rows[0]) { try vertical.addRow([header, cell]) }
            sections[index] = vertical
        }
    }

    private func lines(of section: Section, width: Int) -> [String] {
        var lines: [String] = []
        if let title = section.title, !title.isEmpty {
            lines.append(centered(title, width: width, leftEdge: "|"))
            if section.headers.isEmpty && section.rows.isEmpty {
                lines.append("+" + repeated("-", width - 2) + "+")
            }
        }
        if !section.headers.isEmpty {
            let widths = section.columnWidths(fitting: width)
            lines.append(rule(widths))
            lines.append(
                zip(widths, section.headers).enumerated().map { index, column in
                    centered(column.1, width: column.0, leftEdge: index == 0 ? "|" : "")
                }.joined())
        }
        let widths = section.columnWidths(fitting: width)
        if !section.rows.isEmpty && !widths.isEmpty {
            lines.append(rule(widths))
            for row in section.rows {
                lines.append(
                    zip(widths, row).enumerated().map { index, column in
                        leftAligned(column.1, width: column.0, leftEdge: index == 0 ? "|" : "")
                    }.joined())
            }
            lines.append(rule(widths))
        }
        return lines
    }

    /// `+-----+----+`, each column's `+` on its right.
    private func rule(_ widths: [Int]) -> String {
        widths.enumerated().map { index, width in
            index == 0 ? "+" + repeated("-", width - 2) + "+" : repeated("-", width - 1) + "+"
        }.joined()
    }

    private func centered(_ text: String, width: Int, leftEdge: String) -> String {
        let textWidth = displayWidth(text)
        let before = floorHalf(width) - floorHalf(textWidth) - 1
        let after = width - 1 - (leftEdge.unicodeScalars.count + before + textWidth)
        return leftEdge + repeated(" ", before) + text + repeated(" ", after) + "|"
    }

    /// Two spaces before the text when it fits, none when it does not.
    private func leftAligned(_ text: String, width: Int, leftEdge: String) -> String {
        let textWidth = displayWidth(text)
        let padding = width - (textWidth + 2 + leftEdge.unicodeScalars.count + 1) >= 0 ? 2 : 0
        let after = width - (leftEdge.unicodeScalars.count + padding + textWidth) - 1
        return leftEdge + repeated(" ", padding) + text + repeated(" ", after) + "|"
    }

    private func repeated(_ character: Character, _ count: Int) -> String {
        String(repeating: character, count: max(0, count))
    }

    /// Python's `n // 2`, which rounds down for negative `n` too.
    private func floorHalf(_ value: Int) -> Int {
        value >= 0 ? value / 2 : (value - 1) / 2
    }
}
