import Foundation
import KBDiagnostics
import KBPolicyLint
import Yams

extension Rule {
    /// `kbtool.yml` itself is malformed.
    public static let configuration = Rule(
        "configuration", .error,
        summary:
            "`kbtool.yml` is malformed: not a YAML mapping, an unknown setting, a rule level other than error, warning, note or off, or `include`/`exclude` not a list of globs.",
        why:
            "The rule levels and file selection the team agreed on are then not applied as written, so CI fails or passes on other findings than intended.",
        fix:
            "Keep to the three settings: `rules` maps rule ids to `error`, `warning`, `note` or `off`; `include` and `exclude` list glob patterns relative to the file's folder.",
        example: "unknown setting 'rule' in kbtool.yml")
}

/// `kbtool.yml` at the knowledge base's root: which rules are errors, warnings,
/// notes or off, and which files to check.
///
/// ```yaml
/// rules:
///   policy-wildcard-action: warning
///   transcript-not-run: off
/// include: ["**/*.md"]
/// exclude: ["drafts/**"]
/// paths: [docs]             # what verify, build and serve check when no path is named
/// theme: site/theme         # overrides the built-in theme file by file
/// kind:                     # the kind of standalone policy files, by glob (first match wins)
///   "policies/trust/*.json": trust-policy
///   "managed/**": identity-policy
/// site:
///   title: Platform security guides
///   raw_html: true          # pass raw HTML through, sanitised (default: omitted)
///   repository: https://github.com/acme/kb   # adds "Edit this page" links
///   branch: main
/// ```
public struct Configuration: Sendable {
    /// How `kbtool build` renders the site.
    public struct Site: Sendable, Hashable {
        public var title = "Knowledge base"
        /// Raw HTML in guides passes through (sanitised) only when this is set.
        public var rawHTML = false
        /// The repository the guides live in, for "edit this page" links.
        public var repository: String?
        public var branch = "main"
        /// The content folder's path inside the repository (default: its name).
        public var contentPath: String?

        public init() {}
    }

    public enum Level: String, Sendable, CaseIterable {
        case error, warning, note, off
    }

    /// The file it was read from, or nil for the defaults.
    public var path: String?
    /// The folder paths in `include`/`exclude` are relative to.
    public var root: String
    public var levels: [String: Level] = [:]
    /// Where each rule is named, to report names kbtool does not know.
    public var ruleEntries: [(rule: String, range: SourceRange)] = []
    public var include: [String] = []
    public var exclude: [String] = []
    /// The kind of standalone policy files, by glob over paths relative to `root`.
    public var kinds: [(pattern: String, kind: PolicyKind)] = []
    /// What `verify`, `build` and `serve` check when no path is named, relative
    /// to ``root`` (default: `content`).
    public var paths: [String] = []
    /// A folder whose `page.html` and `assets/` override the built-in theme,
    /// as written (relative to ``root``), with where it is written.
    public var theme: (folder: String, range: SourceRange)?
    public var site = Site()

    /// Every top-level setting, for suggestions.
    static let settings = ["rules", "include", "exclude", "paths", "theme", "kind", "site"]

    public static let fileName = "kbtool.yml"

    public init(root: String) {
        self.root = root
    }

    /// Looks for `kbtool.yml` in each folder named, then its parent, then the
    /// working directory; the first found wins. Its findings include the rules
    /// it names that `rules` does not have: a typo silences nothing.
    public static func discover(paths: [String], workingDirectory: String, rules: RuleRegistry) -> (
        Configuration, [Diagnostic]
    ) {
        let (configuration, findings) = discover(paths: paths, workingDirectory: workingDirectory)
        return (configuration, findings + configuration.unknownRules(rules))
    }

    /// The same, without checking the rule names (to read settings such as `paths`).
    public static func discover(paths: [String], workingDirectory: String) -> (Configuration, [Diagnostic]) {
        var candidates: [String] = []
        for path in paths {
            let absolute = path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else { continue }
            let folder = isDirectory.boolValue ? absolute : (absolute as NSString).deletingLastPathComponent
            candidates += [folder, (folder as NSString).deletingLastPathComponent]
        }
        candidates.append(workingDirectory)
        for folder in candidates {
            let file = ((folder as NSString).standardizingPath as NSString).appendingPathComponent(fileName)
            if let data = FileManager.default.contents(atPath: file) {
                let display =
                    file.hasPrefix(workingDirectory + "/") ? String(file.dropFirst(workingDirectory.count + 1)) : file
                return parse(
                    String(decoding: data, as: UTF8.self), path: display,
                    root: (file as NSString).deletingLastPathComponent)
            }
        }
        return (Configuration(root: workingDirectory), [])
    }

    public static func parse(_ text: String, path: String, root: String) -> (Configuration, [Diagnostic]) {
        var configuration = Configuration(root: root)
        configuration.path = path
        var diagnostics: [Diagnostic] = []
        let source = SourceText(path: path, text: text)
        func range(_ node: Node?) -> SourceRange {
            guard let mark = node?.mark else { return SourceRange(file: path, at: .init(line: 1, column: 1)) }
            let start = SourcePosition(line: mark.line, column: mark.column)
            let length = node?.string?.unicodeScalars.count ?? 1
            return SourceRange(
                file: path, start: start, end: SourcePosition(line: mark.line, column: mark.column + length))
        }
        func complain(_ message: String, _ node: Node?, notes: [String] = []) {
            diagnostics.append(Diagnostic(.error, .configuration, message, at: range(node), notes: notes))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            diagnostics.append(
                Diagnostic(
                    .error, .configuration, "\(path) is not valid YAML: \(error)",
                    at: source.range(fromByte: 0, toByte: 0)))
            return (configuration, diagnostics)
        }
        guard let root else { return (configuration, []) }
        guard let mapping = root.mapping else {
            complain("\(path) must be a mapping with settings such as 'rules', 'include' and 'paths'", root)
            return (configuration, diagnostics)
        }
        for (key, value) in mapping {
            switch key.string {
            case "rules":
                guard let rules = value.mapping else {
                    complain("'rules' must map rule ids to error, warning, note or off", value)
                    continue
                }
                for (rule, level) in rules {
                    guard let name = rule.string else { continue }
                    // YAML 1.1 reads a bare `off` as false.
                    let text = level.string ?? (level.bool == false ? "off" : "")
                    guard let parsed = Level(rawValue: text) else {
                        complain("'\(name)' must be error, warning, note or off", level)
                        continue
                    }
                    if let current = Rule.formerIDs[name] {
                        // The old id keeps working unless the new one is also given.
                        if !configuration.ruleEntries.contains(where: { $0.rule == current }) {
                            configuration.levels[current] = parsed
                        }
                        diagnostics.append(
                            Diagnostic(
                                .note, .configuration,
                                "rule '\(name)' is now part of '\(current)': the level applies to it",
                                at: range(rule),
                                notes: [
                                    "outdated and false statements are one rule family wherever they stand (fact-outdated, fact-false); write '\(current)'"
                                ]))
                        continue
                    }
                    configuration.levels[name] = parsed
                    configuration.ruleEntries.append((name, range(rule)))
                }
            case "include", "exclude":
                let patterns = value.sequence?.compactMap(\.string) ?? value.string.map { [$0] }
                guard let patterns else {
                    complain("'\(key.string ?? "")' must be a list of glob patterns", value)
                    continue
                }
                if key.string == "include" {
                    configuration.include = patterns
                } else {
                    configuration.exclude = patterns
                }
            case "kind":
                guard let entries = value.mapping else {
                    complain(
                        "'kind' must map glob patterns to policy kinds, e.g. \"policies/*.json\": identity-policy",
                        value)
                    continue
                }
                for (pattern, name) in entries {
                    guard let glob = pattern.string, let text = name.string else { continue }
                    guard let kind = PolicyKind(attribute: text) else {
                        let names = PolicyKind.allCases.map(\.rawValue)
                        complain(
                            "unknown policy kind '\(text)'", name,
                            notes: [
                                Suggestion.closest(to: text, in: names).map { "did you mean '\($0)'?" }
                                    ?? "use one of \(names.joined(separator: ", "))"
                            ])
                        continue
                    }
                    configuration.kinds.append((glob, kind))
                }
            case "paths":
                let paths = value.sequence?.compactMap(\.string) ?? value.string.map { [$0] }
                guard let paths, !paths.isEmpty, !paths.contains(where: \.isEmpty) else {
                    complain("'paths' must be a list of folders or guides, relative to \(path)'s folder", value)
                    continue
                }
                configuration.paths = paths
            case "theme":
                guard let folder = value.string, !folder.isEmpty else {
                    complain("'theme' must name a folder (relative to \(path)'s folder)", value)
                    continue
                }
                configuration.theme = (folder, range(value))
            case "site":
                guard let settings = value.mapping else {
                    complain("'site' must map settings (title, raw_html, repository, branch, content_path)", value)
                    continue
                }
                parseSite(settings, into: &configuration.site, complain: complain)
            default:
                let name = key.string ?? ""
                complain(
                    "unknown setting '\(name)' in \(path)", key,
                    notes: Suggestion.closest(to: name, in: settings).map {
                        ["did you mean '\($0)'?"]
                    }
                        ?? [])
            }
        }
        return (configuration, diagnostics)
    }

    static func parseSite(
        _ settings: Node.Mapping, into site: inout Site, complain: (String, Node?, [String]) -> Void
    ) {
        let names = ["title", "raw_html", "repository", "branch", "content_path"]
        for (key, value) in settings {
            let name = key.string ?? ""
            switch name {
            case "raw_html":
                guard let flag = value.bool else {
                    complain("'raw_html' must be true or false", value, [])
                    continue
                }
                site.rawHTML = flag
            case "title", "repository", "branch", "content_path":
                guard let text = value.string, !text.isEmpty else {
                    complain("'\(name)' must be a non-empty string", value, [])
                    continue
                }
                switch name {
                case "title": site.title = text
                case "repository":
                    guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
                        complain("'repository' must be an http(s) URL", value, [])
                        continue
                    }
                    site.repository = text
                case "branch": site.branch = text
                default: site.contentPath = text
                }
            default:
                complain(
                    "unknown site setting '\(name)'", key,
                    Suggestion.closest(to: name, in: names).map { ["did you mean '\($0)'?"] } ?? [])
            }
        }
    }

    /// Rules named under `rules:` that the registry does not have, with the closest one.
    public func unknownRules(_ rules: RuleRegistry) -> [Diagnostic] {
        ruleEntries.compactMap { entry in
            guard !rules.contains(entry.rule) else { return nil }
            let suggestion = rules.closest(to: entry.rule)
            return Diagnostic(
                .warning, .configuration, "kbtool has no rule '\(entry.rule)'", at: entry.range,
                notes: suggestion.map { ["did you mean '\($0)'?"] } ?? ["`kbtool explain` lists the rules"])
        }
    }

    /// The theme folder as an absolute path, or nil for the built-in theme.
    public var themeFolder: String? {
        theme.map { ($0.folder.hasPrefix("/") ? $0.folder : (root as NSString).appendingPathComponent($0.folder)) }
    }

    /// Whether a file (its absolute path) is checked under `include`/`exclude`.
    public func includes(absolutePath: String) -> Bool {
        let relative =
            absolutePath.hasPrefix(root + "/") ? String(absolutePath.dropFirst(root.count + 1)) : absolutePath
        if !include.isEmpty, !include.contains(where: { Glob.matches($0, relative) }) { return false }
        return !exclude.contains { Glob.matches($0, relative) }
    }

    /// The kind `kind:` gives a file (its absolute path), if any pattern matches.
    public func kind(absolutePath: String) -> PolicyKind? {
        let relative =
            absolutePath.hasPrefix(root + "/") ? String(absolutePath.dropFirst(root.count + 1)) : absolutePath
        return kinds.first { Glob.matches($0.pattern, relative) }?.kind
    }

    /// The diagnostic at its configured level, or nil when its rule is off.
    public func apply(_ diagnostic: Diagnostic) -> Diagnostic? {
        guard let level = levels[diagnostic.rule.rawValue] else { return diagnostic }
        var changed = diagnostic
        switch level {
        case .off: return nil
        case .error: changed.severity = .error
        case .warning: changed.severity = .warning
        case .note: changed.severity = .note
        }
        return changed
    }
}

/// Glob patterns over `/`-separated paths: `*` and `?` within a segment, `[…]`
/// classes, and `**` for any number of segments.
enum Glob {
    /// A pattern ending in `/` (or naming a folder) also matches what is inside it.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var patternSegments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if pattern.hasSuffix("/") { patternSegments.append("**") }
        let pathSegments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return match(patternSegments, pathSegments)
            || (!pattern.contains("*") && match(patternSegments + ["**"], pathSegments))
    }

    /// Dynamic programming over (pattern, path) positions: linear in their product,
    /// whatever the number of `**`.
    private static func match(_ pattern: [String], _ path: [String]) -> Bool {
        var memo: [Int: Bool] = [:]
        func step(_ p: Int, _ s: Int) -> Bool {
            let key = p * (path.count + 1) + s
            if let known = memo[key] { return known }
            let result: Bool
            if p == pattern.count {
                result = s == path.count
            } else if pattern[p] == "**" {
                result = step(p + 1, s) || (s < path.count && step(p, s + 1))
            } else {
                result = s < path.count && fnmatch(pattern[p], path[s], 0) == 0 && step(p + 1, s + 1)
            }
            memo[key] = result
            return result
        }
        return step(0, 0)
    }
}
