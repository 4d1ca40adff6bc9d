import KBDiagnostics

/// The documentation of each rule. Keep ids in sync with the `RuleID`s the checks
/// define; a test fails when a rule has no entry.
enum RuleCatalogEntries {
    static let all: [RuleDocumentation] = [
        RuleDocumentation(
            id: "json-syntax", summary: "A JSON block is not valid RFC 8259 JSON.",
            why:
                "Readers paste policy blocks into the console or the CLI, which reject invalid JSON; a guide that shows broken JSON fails its readers at the first step.",
            fix:
                "Apply the suggested fix (kbtool verify --fix applies the unambiguous ones), or mark the block `jsonc`/`json5` if it is meant to carry comments.",
            severity: .error, example: "expected ',' between array elements")
    ]
}
