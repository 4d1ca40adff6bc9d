import ArgumentParser
import Foundation
import KBDiagnostics
import KBReporting

/// `kbtool explain RULE`: what a rule checks, why it matters and how to fix it.
public struct ExplainCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule: what it checks, why, and how to fix what it finds.",
        discussion: "Without a rule, lists every rule with its one-line summary."
    )

    @Argument(help: "A rule id, as printed in brackets after a finding (e.g. json-syntax).")
    var rule: String?

    @Flag(help: "Print the README's rule tables (markdown), as scripts/rule-tables writes them.")
    var markdown = false

    public init() {}

    public func run() throws {
        let registry = RuleRegistry.kbtool
        if markdown {
            print(RuleTables.document(registry), terminator: "")
            return
        }
        guard let rule else {
            let width = registry.ids.map(\.count).max() ?? 0
            for id in registry.ids {
                let summary = registry[id: id]!.summary
                print(id.padding(toLength: width + 2, withPad: " ", startingAt: 0) + summary)
            }
            return
        }
        let id = rule.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        guard let documentation = registry[id: id] else {
            var message = "error: kbtool has no rule '\(id)'"
            if let suggestion = registry.closest(to: id) {
                message += "; did you mean '\(suggestion)'?"
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(2)
        }
        print(Self.render(documentation), terminator: "")
    }

    static func render(_ rule: Rule) -> String {
        var text = "\(rule.id) (\(rule.severity.rawValue) by default)\n\n\(rule.summary)\n\n"
        text += "Why: \(rule.why)\n\nFix: \(rule.fix)\n"
        if let example = rule.example { text += "\nExample: \(example)\n" }
        text += "\nSilence it for one block with <!-- kbtool-disable \(rule.id) --> on the line before the block,\n"
        text += "or set its level in kbtool.yml: rules: { \(rule.id): warning }  (error, warning, note or off).\n"
        return text
    }
}
