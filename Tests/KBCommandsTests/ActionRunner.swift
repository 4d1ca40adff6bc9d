import Foundation
import Synchronization
import Testing
import Yams

/// Runs the `run:` steps of the repository's action.yml the way a GitHub runner
/// does (`bash --noprofile --norc -eo pipefail`, with GITHUB_ACTION_PATH,
/// GITHUB_OUTPUT, RUNNER_TEMP and each step's `env:`), evaluating the few
/// `${{ }}` expressions the action uses: inputs, step outputs, runner.temp and
/// github.action_ref. `uses:` steps (the cache) are the runner's job and are
/// skipped; a test sets their outputs.
struct ActionRunner {
    struct Step {
        var id: String?
        var name: String
        var condition: String?
        var environment: [String: String]
        var script: String?
    }

    static let actionFile = EndToEndTests.packageRoot.appendingPathComponent("action.yml")

    var inputs: [String: String]
    var temporary: URL
    /// Step id → its outputs.
    var outputs: [String: [String: String]] = [:]

    /// The action's steps and input defaults, as parsed YAML.
    static func load() throws -> (steps: [Step], defaults: [String: String]) {
        let text = try String(contentsOf: actionFile, encoding: .utf8)
        let action = try #require(try Yams.load(yaml: text) as? [String: Any])
        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let steps = try #require(runs["steps"] as? [[String: Any]]).map { step in
            Step(
                id: step["id"] as? String, name: step["name"] as? String ?? "", condition: step["if"] as? String,
                environment: (step["env"] as? [String: Any] ?? [:]).mapValues { "\($0)" },
                script: step["run"] as? String)
        }
        let inputs = action["inputs"] as? [String: [String: Any]] ?? [:]
        return (steps, inputs.mapValues { "\($0["default"] ?? "")" })
    }

    /// `${{ inputs.x }}`, `${{ steps.id.outputs.y }}`, `${{ runner.temp }}`,
    /// `${{ github.action_ref }}`; anything else fails the test.
    func evaluate(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let parts = expression.split(separator: ".").map(String.init)
            switch parts.first {
            case "inputs" where parts.count == 2: result += inputs[parts[1]] ?? ""
            case "steps" where parts.count == 4 && parts[2] == "outputs": result += outputs[parts[1]]?[parts[3]] ?? ""
            case "runner" where parts == ["runner", "temp"]: result += temporary.path
            case "github" where parts == ["github", "action_ref"]: result += ""
            default: Issue.record("action.yml uses an expression the test cannot evaluate: \(expression)")
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// `steps.cache.outputs.cache-hit != 'true'`, the only condition the action has.
    func holds(_ condition: String?) -> Bool {
        guard let condition else { return true }
        let pattern = #/steps\.(\w+)\.outputs\.([\w-]+) != '(\w+)'/#
        guard let match = condition.wholeMatch(of: pattern) else {
            Issue.record("action.yml has a condition the test cannot evaluate: \(condition)")
            return false
        }
        return outputs[String(match.1)]?[String(match.2)] != String(match.3)
    }

    /// Runs one step in `directory` (the caller's workspace); records its outputs.
    mutating func run(_ step: Step, in directory: URL, extraEnvironment: [String: String] = [:]) throws
        -> EndToEndTests.Run
    {
        let script = try #require(step.script)
        let scriptFile = temporary.appendingPathComponent("step-\(UUID().uuidString).sh")
        let outputFile = temporary.appendingPathComponent("output-\(UUID().uuidString)")
        try Data(script.utf8).write(to: scriptFile)
        try Data().write(to: outputFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["--noprofile", "--norc", "-eo", "pipefail", scriptFile.path]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.merge([
            "GITHUB_ACTION_PATH": EndToEndTests.packageRoot.path, "GITHUB_OUTPUT": outputFile.path,
            "RUNNER_TEMP": temporary.path, "RUNNER_OS": "Linux", "GITHUB_ACTIONS": "true",
        ]) { $1 }
        environment.merge(step.environment.mapValues(evaluate)) { $1 }
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the step runs: a build's log fills a pipe buffer.
        let errors = Mutex<Data>(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errors.withLock { $0 = data }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        if let id = step.id {
            let lines = try String(contentsOf: outputFile, encoding: .utf8).split(separator: "\n")
            for line in lines {
                let pair = line.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { outputs[id, default: [:]][pair[0]] = pair[1] }
            }
        }
        return EndToEndTests.Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self))
    }
}

extension EndToEndTests {
    /// Runs a program other than kbtool (ldd, unshare), for what the tests check around it.
    static func runTool(_ path: String, _ arguments: [String], in directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
