// libFuzzer target: the JSON parser in each dialect guides use.
//
// Besides "never crash, never hang", it checks what callers rely on: every range
// (values, keys, issues, related notes, fixes) lies inside the text and inside
// its parent's range, and every range maps to a file position.
import KBDiagnostics
import KBJSON

/// One input; libFuzzer ignores the result.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    let count = text.utf8.count
    let source = SourceText(path: "fuzz.json", text: text)
    let locate = SourceLocator(source)
    for options in [JSONParser.Options.strict, .jsonc, .json5] {
        let result = JSONParser.parse(text, options: options)
        if let value = result.value { check(value, within: 0..<count, locate: locate) }
        for issue in result.issues {
            checkRange(issue.range, within: 0..<count, "issue '\(issue.message)'")
            _ = locate.range(issue.range)
            for related in issue.related {
                checkRange(related.range, within: 0..<count, "related note '\(related.message)'")
                _ = locate.range(related.range)
            }
            if let fix = issue.fix {
                checkRange(fix.range, within: 0..<count, "fix '\(fix.message)'")
                _ = locate.range(fix.range)
            }
        }
        // A clean parse has a value; a parse that stopped has an unrecovered issue.
        if result.value == nil, !result.issues.contains(where: { !$0.recovered }) {
            fatalError("no value and no unrecovered issue for \(options)")
        }
    }
    return 0
}

/// Walks a value without recursion (the parser caps depth, but the checker
/// should not rely on that).
func check(_ root: JSONValue, within bounds: Range<Int>, locate: SourceLocator) {
    var stack: [(JSONValue, Range<Int>)] = [(root, bounds)]
    while let (value, parent) = stack.popLast() {
        checkRange(value.range, within: parent, "value \(value.typeName)")
        _ = locate.range(value.range)
        switch value.kind {
        case .object(let members):
            for member in members {
                checkRange(member.keyRange, within: value.range, "key '\(member.key)'")
                _ = value[member.key]
                stack.append((member.value, value.range))
            }
        case .array(let elements):
            for element in elements { stack.append((element, value.range)) }
        case .number(let number):
            _ = number.double
        case .string, .bool, .null:
            break
        }
    }
}

func checkRange(_ range: Range<Int>, within bounds: Range<Int>, _ what: @autoclosure () -> String) {
    guard range.lowerBound >= bounds.lowerBound, range.upperBound <= bounds.upperBound else {
        fatalError("\(what()) has range \(range), outside \(bounds)")
    }
}
