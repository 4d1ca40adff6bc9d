import KBJSON
public enum CLIOutputFormat: String, Sendable, CaseIterable { case json, text, table }
public enum CLIOutput {
    public static func render(_ value: JSONValue, format: CLIOutputFormat, title: String) -> String {
        if format == .text, let s = value.string { return s + "\n" }
        return json(value)
    }
    public static func json(_ value: JSONValue) -> String { "\(value.kind)\n" }
}
