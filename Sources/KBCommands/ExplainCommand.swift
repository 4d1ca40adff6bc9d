import ArgumentParser
import Foundation
import KBDiagnostics
import KBFacts
import KBReporting

/// `kbtool explain RULE`: what a rule checks, why it matters and how to fix it.
public struct ExplainCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule (what it checks, why, how to fix it) or a claim (what it says, where it comes from).",
        discussion: "Without an id, lists every rule with its one-line summary."
    )

    @Argument(
        help:
            "A rule id, as printed in brackets after a finding (e.g. json-syntax), or a claim id from the knowledge base."
    )
    var rule: String?

    @Option(
        name: .customLong("in"),
        help: "The knowledge base whose claims to look in (default: kbtool.yml's paths, else content).")
    var knowledgeBase: [String] = []

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
        if let documentation = registry[id: id] {
            print(Self.render(documentation), terminator: "")
            return
        }
        // A rule folded into another is explained as the rule it became.
        if let current = Rule.formerIDs[id], let documentation = registry[id: current] {
            print("'\(id)' is now part of '\(current)'.\n")
            print(Self.render(documentation), terminator: "")
            return
        }
        let claims = Self.claims(in: VerificationRun.defaultPaths(knowledgeBase))
        if let claim = claims.first(where: { $0.id == id }) {
            print(Self.render(claim), terminator: "")
            return
        }
        var message = "error: kbtool has no rule or claim '\(id)'"
        if let suggestion = Suggestion.closest(to: id, in: registry.ids + claims.map(\.id)) {
            message += "; did you mean '\(suggestion)'?"
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        throw ExitCode(2)
    }

    /// The built-in claims extended by the knowledge base's own (its folders,
    /// or the folders of the guides named).
    static func claims(in paths: [String]) -> [Claim] {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let folders = paths.map { path -> String in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let folder = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
            return folder.hasPrefix("/") ? folder : (workingDirectory as NSString).appendingPathComponent(folder)
        }
        let (base, _) = ClaimBase.load(folders: folders) { path in
            path.hasPrefix(workingDirectory + "/") ? String(path.dropFirst(workingDirectory.count + 1)) : path
        }
        return base.claims
    }

    static func render(_ claim: Claim) -> String {
        var text = "\(claim.id) (claim, \(claim.status.rawValue)\(claim.since.map { " since \($0)" } ?? ""))\n"
        text += "From: \(claim.originDescription)\n\n\(claim.statement)\n"
        if let now = claim.now { text += "\nNow: \(now)\n" }
        text += "\n"
        if let source = claim.source { text += "Source: \(source)\n" }
        if let demonstration = claim.demonstration {
            text +=
                "Demonstration: \(demonstration)\(claim.origin == .builtIn ? " (a guide of kbtool's own knowledge base)" : "")\n"
        }
        if !claim.keywords.isEmpty { text += "Keywords: \(claim.keywords.joined(separator: ", "))\n" }
        if !claim.phrases.isEmpty { text += "Phrases flagged in prose: \(claim.phrases.joined(separator: ", "))\n" }
        text += "\nA fact names it with <!-- claim: \(claim.id) --> on its list item, or matches it by meaning.\n"
        if claim.origin == .builtIn {
            text +=
                "Replace it with a claim of the same id in your claims.yml, or drop it there with disable: [\(claim.id)].\n"
        }
        return text
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
