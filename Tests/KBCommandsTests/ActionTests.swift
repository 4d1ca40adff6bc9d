import Foundation
import Testing
import Yams

/// action.yml and .pre-commit-hooks.yaml: they parse, and the action's shell
/// steps do what a workflow relies on. (The build step is run, cold, by
/// StandaloneBinaryTests.)
@Suite struct ActionTests {
    /// A workspace with one guide whose policy has an unknown action and a
    /// misspelt front-matter field (a warning), and a prefix holding the kbtool
    /// under test as a cache hit would restore it.
    static func workspace() throws -> (workspace: URL, runner: ActionRunner) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kbaction-\(UUID().uuidString)")
        let workspace = base.appendingPathComponent("workspace")
        let guides = workspace.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: guides, withIntermediateDirectories: true)
        try Data(StandaloneBinaryTests.guideWithUnknownAction.utf8).write(to: guides.appendingPathComponent("a.md"))
        let (_, defaults) = try ActionRunner.load()
        let runner = ActionRunner(inputs: defaults, temporary: base)
        return (workspace, runner)
    }

    /// Runs Prepare, puts the binary under test where the cache would restore
    /// it, then runs the remaining steps the way the runner would.
    static func runAction(
        inputs: [String: String], before: (URL) throws -> Void = { _ in }
    ) throws -> (verify: EndToEndTests.Run, runner: ActionRunner, URL) {
        var (workspace, runner) = try workspace()
        try before(workspace)
        runner.inputs.merge(inputs) { $1 }
        let (steps, _) = try ActionRunner.load()
        var verify: EndToEndTests.Run?
        for step in steps {
            if step.script == nil {
                // actions/cache: a hit, restoring kbtool into the prefix.
                let prefix = try #require(runner.outputs["prepare"]?["prefix"])
                let bin = URL(fileURLWithPath: prefix).appendingPathComponent("bin")
                try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: EndToEndTests.binary, to: bin.appendingPathComponent("kbtool"))
                runner.outputs[step.id ?? "", default: [:]]["cache-hit"] = "true"
                continue
            }
            guard runner.holds(step.condition) else { continue }
            let result = try runner.run(step, in: workspace)
            if step.id == "verify" {
                verify = result
            } else {
                #expect(result.status == 0, "\(step.name): \(result.stderr)")
            }
        }
        return (try #require(verify), runner, workspace)
    }

    @Test func theActionAndTheHooksParse() throws {
        let (steps, defaults) = try ActionRunner.load()
        #expect(steps.map(\.id) == ["prepare", "cache", nil, "verify"])
        #expect(defaults["strict"] == "false" && defaults["sarif"] == "kbtool.sarif")
        // No expression inside a script: inputs reach scripts through env only.
        for step in steps { #expect(!(step.script ?? "").contains("${{"), "\(step.name)") }
        let hooks = try String(
            contentsOf: EndToEndTests.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        let parsed = try #require(try Yams.load(yaml: hooks) as? [[String: Any]])
        #expect(parsed.map { $0["id"] as? String } == ["kbtool-verify", "kbtool-verify-system"])
        for hook in parsed {
            #expect(hook["entry"] as? String == "kbtool verify --changed")
            #expect(["swift", "system"].contains(hook["language"] as? String))
            let files = try Regex(try #require(hook["files"] as? String))
            #expect("docs/guide.md".contains(files) && "kb/claims.yml".contains(files))
            #expect(!"Sources/main.swift".contains(files))
        }
    }

    @Test func oneRunPrintsAnnotationsWritesSARIFAndFailsOnErrors() throws {
        let (verify, runner, workspace) = try Self.runAction(inputs: ["paths": "docs"])
        defer { try? FileManager.default.removeItem(at: workspace.deletingLastPathComponent()) }
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("::error file=docs/a.md,line="), "\(verify.stdout)")
        #expect(verify.stdout.contains("s3:GetObjekt"))
        #expect(runner.outputs["verify"]?["sarif"] == "kbtool.sarif")
        let sarif = try Data(contentsOf: workspace.appendingPathComponent("kbtool.sarif"))
        let document = try #require(try JSONSerialization.jsonObject(with: sarif) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")
        let results = (document["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []
        #expect(results.contains { $0["ruleId"] as? String == "policy-unknown-action" })
        // The cache key names kbtool's version and what it is built from.
        let key = try #require(runner.outputs["prepare"]?["key"])
        #expect(key.hasPrefix("kbtool-Linux-") && key.contains("-0.") && key.count > 30)
    }

    @Test func strictAndBaselineInputsReachVerify() throws {
        // The guide's warning alone fails under strict; a baseline of today's
        // findings lets the same run pass.
        let (passing, _, passingWorkspace) = try Self.runAction(
            inputs: ["paths": "docs", "strict": "true", "sarif": "", "baseline": "kbtool-baseline.txt"]
        ) { workspace in
            let write = try EndToEndTests.run(
                ["verify", "docs", "--write-baseline", "kbtool-baseline.txt"], in: workspace)
            #expect(write.status == 0, "\(write.stderr)")
        }
        defer { try? FileManager.default.removeItem(at: passingWorkspace.deletingLastPathComponent()) }
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        let (bad, _, badWorkspace) = try Self.runAction(inputs: ["paths": "docs", "strict": "yes"])
        defer { try? FileManager.default.removeItem(at: badWorkspace.deletingLastPathComponent()) }
        #expect(bad.status == 2)
        #expect(bad.stdout.contains("::error::kbtool: the strict input must be true or false"))
    }
}
