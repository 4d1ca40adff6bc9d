/// Moving ranges between two texts that differ by a prefix: a block read as
/// `[` + its text + `]` (values shown one after another) or `{` + its text + `}`
/// (an object's members shown alone) is parsed wrapped, and its value and issues
/// are given back in the block's own offsets.
extension JSONValue {
    /// The value with every range moved by `delta` and clamped to `0...limit`.
    public func shifted(by delta: Int, limit: Int) -> JSONValue {
        let range = Self.shift(range, by: delta, limit: limit)
        switch kind {
        case .object(let members):
            return JSONValue(
                .object(
                    members.map {
                        JSONMember(
                            key: $0.key, keyRange: Self.shift($0.keyRange, by: delta, limit: limit),
                            value: $0.value.shifted(by: delta, limit: limit))
                    }), range: range)
        case .array(let elements):
            return JSONValue(.array(elements.map { $0.shifted(by: delta, limit: limit) }), range: range)
        default:
            return JSONValue(kind, range: range)
        }
    }

    static func shift(_ range: Range<Int>, by delta: Int, limit: Int) -> Range<Int> {
        let lower = min(max(range.lowerBound + delta, 0), limit)
        let upper = min(max(range.upperBound + delta, lower), limit)
        return lower..<upper
    }
}

extension JSONIssue {
    /// The issue with its range, related ranges and fix moved by `delta`, clamped to `0...limit`.
    public func shifted(by delta: Int, limit: Int) -> JSONIssue {
        var moved = self
        moved.range = JSONValue.shift(range, by: delta, limit: limit)
        moved.related = related.map {
            .init(range: JSONValue.shift($0.range, by: delta, limit: limit), message: $0.message)
        }
        moved.fix = fix.map {
            .init(
                range: JSONValue.shift($0.range, by: delta, limit: limit), replacement: $0.replacement,
                message: $0.message)
        }
        return moved
    }
}
