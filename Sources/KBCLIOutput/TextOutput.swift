/// `--output text`: awscli's text formatter, which flattens a result into lines of
/// tab-separated scalars so shell tools can cut them.
///
/// A dict prints its scalar values on one line in sorted key order, led by its
/// parent's key in upper case when it is nested, then its lists and dicts in turn;
/// the dicts of a list share one column set, the union of their scalar keys.
enum TextOutput {
    /// The CLI raises when a list mixes dicts with other values; this is raised at
    /// the same point, so the lines printed before it are kept, as on the CLI's stdout.
    private struct Failure: Error {}

    static func render(_ value: PyValue) -> String {
        var out = ""
        try? write(value, identifier: nil, scalarKeys: nil, into: &out)
        return out
    }

    private static func write(
        _ value: PyValue, identifier: String?, scalarKeys: [String]?, into out: inout String
    ) throws {
        switch value {
        case .dict(let members): try writeDict(members, identifier: identifier, scalarKeys: scalarKeys, into: &out)
        case .list(let elements): try writeList(elements, identifier: identifier, into: &out)
        default: out += value.str + "\n"
        }
    }

    private static func writeList(_ elements: [PyValue], identifier: String?, into out: inout String) throws {
        if elements.isEmpty { return }
        if elements.contains(where: \.isDict) {
            var seen: [[UInt8]: String] = [:]
            for element in elements {
                guard case .dict(let members) = element else { throw Failure() }
                for member in members where member.value.isScalar { seen[Array(member.key.utf8)] = member.key }
            }
            let keys = seen.values.sorted(by: pythonPrecedes)
            for element in elements {
                try write(element, identifier: identifier, scalarKeys: keys, into: &out)
            }
        } else if elements.contains(where: \.isList) {
            let scalars = elements.filter(\.isScalar)
            if !scalars.isEmpty { writeScalars(scalars, identifier: identifier, into: &out) }
            for element in elements where !element.isScalar {
                try write(element, identifier: identifier, scalarKeys: nil, into: &out)
            }
        } else {
            writeScalars(elements, identifier: identifier, into: &out)
        }
    }

    /// One line with the identifier for each value of a nested list; a bare list is
    /// one tab-separated line.
    private static func writeScalars(_ values: [PyValue], identifier: String?, into out: inout String) {
        if let identifier {
            for value in values { out += identifier.uppercased() + "\t" + value.str + "\n" }
        } else {
            out += values.map(\.str).joined(separator: "\t") + "\n"
        }
    }

    /// With `scalarKeys` (a list's shared columns) every column is printed, empty
    /// when missing, and a value that is a list or dict here is printed as Python's
    /// repr; the other keys are the nested values.
    private static func writeDict(
        _ members: [(key: String, value: PyValue)], identifier: String?, scalarKeys: [String]?,
        into out: inout String
    ) throws {
        var scalars: [String] = []
        var nested: [(key: String, value: PyValue)] = []
        let dict = PyValue.dict(members)
        if let scalarKeys {
            scalars = scalarKeys.map { dict[$0]?.str ?? "" }
            let columns = Set(scalarKeys.map { Array($0.utf8) })
            nested = members.filter { !columns.contains(Array($0.key.utf8)) }.sorted { pythonPrecedes($0.key, $1.key) }
        } else {
            for member in members.sorted(by: { pythonPrecedes($0.key, $1.key) }) {
                if member.value.isScalar { scalars.append(member.value.str) } else { nested.append(member) }
            }
        }
        if !scalars.isEmpty {
            if let identifier { scalars.insert(identifier.uppercased(), at: 0) }
            out += scalars.joined(separator: "\t") + "\n"
        }
        for member in nested {
            try write(member.value, identifier: member.key, scalarKeys: nil, into: &out)
        }
    }
}
