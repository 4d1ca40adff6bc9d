import Foundation
import KBChecks
import KBDiagnostics

/// SARIF 2.1.0, for code-scanning dashboards: one run, the rules that fired (with
/// their documentation), each finding with its location, related locations and fix.
/// Columns count Unicode scalars, so the run declares `unicodeCodePoints`.
public struct SARIFWriter: Sendable {
    public var toolVersion: String
    /// Where each rule's documentation comes from.
    public var rules: RuleRegistry

    public init(toolVersion: String, rules: RuleRegistry) {
        self.toolVersion = toolVersion
        self.rules = rules
    }

    public func render(_ report: VerificationReport) -> String {
        let diagnostics = Diagnostic.sortedForOutput(report.diagnostics)
        let ruleIDs = Array(Set(diagnostics.map(\.rule.rawValue))).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        let rules = ruleIDs.map { id -> SARIF.Rule in
            let documentation = self.rules[id: id]
            return SARIF.Rule(
                id: id, shortDescription: .init(text: documentation?.summary ?? id),
                fullDescription: documentation.map { .init(text: $0.why) },
                help: documentation.map { .init(text: $0.fix) },
                defaultConfiguration: .init(level: Self.level(documentation?.severity ?? .warning)))
        }
        let results = diagnostics.map { diagnostic in
            SARIF.Result(
                ruleId: diagnostic.rule.rawValue, ruleIndex: ruleIndex[diagnostic.rule.rawValue]!,
                level: Self.level(diagnostic.severity),
                message: .init(
                    text: ([diagnostic.message] + diagnostic.notes.map { "help: \($0)" }).joined(separator: "\n")),
                locations: [.init(diagnostic.range)],
                relatedLocations: diagnostic.related.enumerated().map { index, related in
                    SARIF.Location(related.range, id: index + 1, message: related.message)
                }.nilIfEmpty,
                fixes: diagnostic.fix.map { fix in
                    [
                        SARIF.Fix(
                            description: .init(text: fix.message),
                            artifactChanges: [
                                .init(
                                    artifactLocation: .init(uri: fix.range.file),
                                    replacements: [
                                        .init(
                                            deletedRegion: .init(fix.range),
                                            insertedContent: .init(text: fix.replacement))
                                    ])
                            ])
                    ]
                })
        }
        let log = SARIF.Log(
            runs: [
                .init(
                    tool: .init(
                        driver: .init(
                            name: "kbtool", version: toolVersion, rules: rules)),
                    results: results)
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(log)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    /// A run that could not start (unreadable input): still a valid SARIF log,
    /// with the reason as a failed invocation.
    public func renderFailure(_ message: String) -> String {
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [
                [
                    "tool": ["driver": ["name": "kbtool", "version": toolVersion]], "results": [],
                    "invocations": [
                        [
                            "executionSuccessful": false,
                            "toolExecutionNotifications": [["message": ["text": message], "level": "error"]],
                        ]
                    ],
                ]
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }
}

/// The subset of the SARIF 2.1.0 object model kbtool writes.
enum SARIF {
    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var columnKind = "unicodeCodePoints"
    }

    struct Tool: Encodable {
        var driver: Driver
    }

    struct Driver: Encodable {
        var name: String
        var version: String
        var rules: [Rule]
    }

    struct Rule: Encodable {
        var id: String
        var shortDescription: Message
        var fullDescription: Message?
        var help: Message?
        var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable {
        var level: String
    }

    struct Message: Encodable {
        var text: String
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var relatedLocations: [Location]?
        var fixes: [Fix]?
    }

    struct Location: Encodable {
        var id: Int?
        var physicalLocation: PhysicalLocation
        var message: Message?

        init(_ range: SourceRange, id: Int? = nil, message: String? = nil) {
            self.id = id
            self.physicalLocation = PhysicalLocation(
                artifactLocation: ArtifactLocation(uri: range.file), region: Region(range))
            self.message = message.map(Message.init)
        }
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable {
        var uri: String
    }

    /// Lines and columns are 1-based; `endColumn` is one past the last column.
    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int

        init(_ range: SourceRange) {
            startLine = max(range.start.line, 1)
            startColumn = max(range.start.column, 1)
            endLine = max(range.end.line, startLine)
            endColumn = endLine == startLine ? max(range.end.column, startColumn) : max(range.end.column, 1)
        }
    }

    struct Fix: Encodable {
        var description: Message
        var artifactChanges: [ArtifactChange]
    }

    struct ArtifactChange: Encodable {
        var artifactLocation: ArtifactLocation
        var replacements: [Replacement]
    }

    struct Replacement: Encodable {
        var deletedRegion: Region
        var insertedContent: Message
    }
}

extension Array {
    fileprivate var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
