import Foundation
import KBJSON

/// Builds responses as JSON values, in the key order the AWS CLI prints.
package enum Response {
    package static func string(_ text: String) -> JSONValue { JSONValue(.string(text), range: 0..<0) }
    package static func number(_ value: Int) -> JSONValue {
        JSONValue(.number(JSONNumber(literal: String(value))), range: 0..<0)
    }
    package static func bool(_ value: Bool) -> JSONValue { JSONValue(.bool(value), range: 0..<0) }
    package static let null = JSONValue(.null, range: 0..<0)

    package static func array(_ elements: [JSONValue]) -> JSONValue { JSONValue(.array(elements), range: 0..<0) }

    /// An object; members whose value is nil are left out, as the CLI leaves out
    /// fields the service did not return.
    package static func object(_ members: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        object(members.map { ($0.key, $0.value) })
    }

    package static func object(_ members: [(String, JSONValue?)]) -> JSONValue {
        JSONValue(
            .object(
                members.compactMap { key, value in value.map { JSONMember(key: key, keyRange: 0..<0, value: $0) } }),
            range: 0..<0)
    }

    /// A timestamp as AWS CLI v2 prints it by default (ISO 8601 with the offset,
    /// fractional seconds only when there are some, as Python's isoformat).
    package static func timestamp(_ date: Date) -> JSONValue { string(isoTimestamp(date)) }

    package static func isoTimestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded())
        var text = Date(timeIntervalSince1970: whole).formatted(
            Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day().dateSeparator(.dash)
                .time(includingFractionalSeconds: false).timeSeparator(.colon))
        if text.hasSuffix("Z") { text.removeLast() }
        if micros > 0 { text += String(format: ".%06d", micros) }
        return text + "+00:00"
    }

    package static func base64(_ bytes: [UInt8]) -> JSONValue { string(Data(bytes).base64EncodedString()) }

    /// A policy document given as text, as IAM returns it: parsed into JSON
    /// (the CLI decodes IAM's URL-encoded documents into objects).
    package static func document(_ text: String) -> JSONValue {
        JSONParser.parse(text).value.map(strippingRanges) ?? string(text)
    }

    package static func strippingRanges(_ value: JSONValue) -> JSONValue {
        switch value.kind {
        case .object(let members):
            return JSONValue(
                .object(members.map { JSONMember(key: $0.key, keyRange: 0..<0, value: strippingRanges($0.value)) }),
                range: 0..<0)
        case .array(let elements): return JSONValue(.array(elements.map(strippingRanges)), range: 0..<0)
        default: return JSONValue(value.kind, range: 0..<0)
        }
    }
}
