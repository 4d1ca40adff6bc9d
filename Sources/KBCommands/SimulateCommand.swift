import ArgumentParser
import Foundation
import KBDiagnostics
import KBJSON
import KBPolicy

/// `kbtool simulate FILE.json`: would AWS allow this request, and why?
public struct SimulateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Decide requests against policies the way AWS would, with a trace.",
        discussion: """
            FILE holds one case or a JSON array of cases; '-' reads standard input. A case \
            is {"request": {...}, "identityPolicies": [...], "resourcePolicy": ..., \
            "permissionsBoundaries": [...], "sessionPolicy": ..., "serviceControlPolicies": \
            [[...]], "resourceControlPolicies": [[...]]}; every RCP level includes AWS's \
            RCPFullAWSAccess unless "implicitRCPFullAWSAccess": false. Requests a service \
            refuses outright are decided by "service", with its error. Exit status: 0 when the \
            cases were evaluated, whatever the decisions; 2 for unreadable input.
            """
    )

    @Argument(help: "A JSON file of one case or an array of cases, or '-' for standard input.")
    var file: String

    /// Simulation results are decisions, not findings: people or JSON only.
    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case human, json
    }

    @Option(help: "Output format: human or json.")
    var format: Format = .human

    @OptionGroup var colorOption: ColorOption
    var color: ColorChoice { colorOption.color }

    public init() {}

    /// One case's outcome: a decision, or why the case could not be evaluated.
    enum Outcome {
        case evaluated(Evaluation)
        case failed(String)
    }

    public func run() throws {
        let displayPath = file == "-" ? "<stdin>" : file
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else if let contents = FileManager.default.contents(atPath: file) {
            data = contents
        } else {
            FileHandle.standardError.write(Data("error: cannot read \(file)\n".utf8))
            throw ExitCode(2)
        }
        let source = SourceText(path: displayPath, text: String(decoding: data, as: UTF8.self))
        let parsed = JSONParser.parse(source.text)
        guard let document = parsed.value, !parsed.issues.contains(where: \.isError) else {
            let issue = parsed.issues.first { $0.isError }
            let position = source.position(ofByteOffset: issue?.range.lowerBound ?? 0)
            FileHandle.standardError.write(
                Data(
                    "error: \(displayPath):\(position.line):\(position.column): \(issue?.message ?? "not JSON")\n".utf8)
            )
            throw ExitCode(2)
        }
        let locate = SourceLocator(source)
        let single = document.elements == nil
        var outcomes: [Outcome] = []
        for value in document.elements ?? [document] {
            do {
                let simulation = try SimulationCase.parse(value, locate: locate)
                outcomes.append(
                    .evaluated(try PolicyEvaluator().evaluate(simulation.request, policies: simulation.policies)))
            } catch {
                outcomes.append(.failed(error.description))
            }
        }
        switch format {
        case .json: print(Self.json(outcomes, single: single))
        case .human: print(Self.human(outcomes, colors: color.enabled()), terminator: "")
        }
    }

    static func json(_ outcomes: [Outcome], single: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let rendered = outcomes.map { outcome -> String in
            switch outcome {
            case .evaluated(let evaluation):
                return (try? encoder.encode(evaluation)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            case .failed(let message):
                return (try? encoder.encode(["error": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            }
        }
        return single ? rendered[0] : "[" + rendered.joined(separator: ",") + "]"
    }

    static func human(_ outcomes: [Outcome], colors: Bool) -> String {
        var out = ""
        func paint(_ text: String, _ code: String) -> String { colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        for (index, outcome) in outcomes.enumerated() {
            let label = outcomes.count > 1 ? "case \(index + 1): " : ""
            switch outcome {
            case .failed(let message):
                out += label + paint("error:", "1;31") + " \(message)\n\n"
            case .evaluated(let evaluation):
                let code = evaluation.decision == .allowed ? "1;32" : "1;31"
                out += label + paint(evaluation.decision.rawValue, code) + ": \(evaluation.reason)\n"
                for decider in evaluation.decidedBy { out += "  decided by \(decider)\n" }
                if let error = evaluation.error { out += "  the service returns \(error.code): \(error.message)\n" }
                for policy in evaluation.trace {
                    out += "  \(policy.name): \(policy.result)\n"
                    for statement in policy.statements {
                        var parts: [String] = []
                        if let principal = statement.principal { parts.append("principal \(principal)") }
                        parts.append("action \(statement.action ? "matches" : "no")")
                        parts.append("resource \(statement.resource ? "matches" : "no")")
                        for condition in statement.conditions {
                            let seen = condition.requestValues.map { $0.joined(separator: ",") } ?? "absent"
                            parts.append(
                                "\(condition.operatorName) \(condition.key) [\(seen)] \(condition.holds ? "holds" : "fails")"
                            )
                        }
                        let mark = statement.applies ? paint("✓", "1;32") : "·"
                        out +=
                            "    \(mark) \(statement.effect) \(statement.statement): \(parts.joined(separator: ", "))\n"
                    }
                }
                out += "\n"
            }
        }
        return out
    }
}
