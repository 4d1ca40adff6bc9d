import Foundation
import KBDiagnostics
import KBFacts
import KBGuide
import KBTranscript
import Synchronization

extension Rule {
    public static let claimProbe = Rule(
        "claim-probe", .error,
        summary:
            "A claim's probe, run in the engine, does not show what the claim says: a command printed something else, failed, or could not run.",
        why:
            "Facts are verified only against claims the engine proves in the same run; a claim whose probe fails proves nothing, so its facts stay unverified.",
        fix:
            "Correct the probe (its setup, files or transcript) or the claim: the finding quotes the command, what it expected and what the engine printed.",
        example: "claim 'list-needs-no-kms': its probe failed: `$ aws s3 ls s3://example-claim-bucket` printed …")
}

/// What a knowledge base's probes established in this run: each claim's proof
/// state, and the failures, located at the claims.
public struct ClaimProofs: Sendable, Codable {
    public var states: [String: ProofState] = [:]
    public var findings: [Diagnostic] = []

    public init() {}

    /// Runs the probe of every claim of `base` on all cores, each in a fresh
    /// world, except those `record` says passed with this binary already.
    public static func run(_ base: ClaimBase) -> ClaimProofs {
        var record = ProbeRecord(binaryKey: "", environment: ["KBTOOL_PROBE_RECORD": "off"])
        return run(base, record: &record)
    }

    static func run(_ base: ClaimBase, record: inout ProbeRecord) -> ClaimProofs {
        var proofs = ClaimProofs()
        var probed: [(claim: Claim, digest: String)] = []
        for claim in base.claims {
            guard let probe = claim.probe else {
                proofs.states[claim.id] = .documented
                continue
            }
            let digest = ProbeRecord.digest(probe.guideText(claim: claim.id).text)
            if record.hasPassed(digest) {
                proofs.states[claim.id] = .proved
            } else {
                probed.append((claim, digest))
            }
        }
        let outcomes = Mutex<[Int: [Diagnostic]]>([:])
        let toRun = probed
        DispatchQueue.concurrentPerform(iterations: toRun.count) { index in
            let claim = toRun[index].claim
            let found = ProbeRunner.run(claim, source: base.sources[claim.probe?.range.file ?? claim.range.file])
            outcomes.withLock { $0[index] = found }
        }
        let found = outcomes.withLock { $0 }
        for (index, (claim, digest)) in probed.enumerated() {
            let failures = found[index] ?? []
            proofs.states[claim.id] = failures.isEmpty ? .proved : .failed
            proofs.findings += failures
            if failures.isEmpty { record.recordPass(digest) }
        }
        return proofs
    }
}

/// Runs one claim's probe as the guide it stands for (ClaimProbe.guideText)
/// and reports what went wrong, at the claims file's own lines.
enum ProbeRunner {
    static func run(_ claim: Claim, source: SourceText?) -> [Diagnostic] {
        guard let probe = claim.probe else { return [] }
        let (text, start) = probe.guideText(claim: claim.id)
        let guide = GuideParser.parse(path: "probe-\(claim.id).md", bytes: Array(text.utf8))
        // Strict: a command kbtool cannot run proves nothing.
        let report = TranscriptRunner(strict: true).run(guide, directory: nil)
        let atClaim = RelatedLocation(range: claim.range, message: "claim '\(claim.id)'")
        var findings: [Diagnostic] = []
        for problem in guide.diagnostics.filter({ $0.severity == .error }) + report.setup {
            findings.append(
                Diagnostic(
                    .error, .claimProbe, "claim '\(claim.id)': its probe cannot run: \(problem.message)",
                    at: probe.range, related: [atClaim]))
        }
        // Commands run in a world the setup failed to build fail for that reason alone.
        guard findings.isEmpty else { return findings }
        for example in report.examples where example.status != .pass {
            let line = probe.transcriptLine + (example.line - start)
            let column = source.map { Self.indentation(of: line, in: $0) + 1 } ?? 1
            let command = example.command.split(separator: "\n").first.map(String.init) ?? example.command
            let why = example.findings.first?.message ?? example.reason ?? example.status.rawValue
            var notes: [String] = []
            let expected = example.expected.trimmingCharacters(in: .whitespacesAndNewlines)
            let actual = example.actual.trimmingCharacters(in: .whitespacesAndNewlines)
            if !expected.isEmpty { notes.append("the probe expects: \(expected)") }
            if !actual.isEmpty { notes.append("the engine printed: \(actual)") }
            findings.append(
                Diagnostic(
                    .error, .claimProbe, "claim '\(claim.id)': its probe failed at `$ \(command)`: \(why)",
                    at: SourceRange(
                        file: probe.range.file, start: .init(line: line, column: column),
                        end: .init(line: line, column: column + 1)),
                    related: [atClaim], notes: notes))
        }
        if findings.isEmpty, report.examples.isEmpty {
            findings.append(
                Diagnostic(
                    .error, .claimProbe, "claim '\(claim.id)': its probe ran no command", at: probe.range,
                    related: [atClaim]))
        }
        return findings
    }

    static func indentation(of line: Int, in source: SourceText) -> Int {
        guard line >= 1, line <= source.lineCount else { return 0 }
        return source.line(line).prefix { $0 == " " }.count
    }
}

extension KnowledgeRoots {
    /// Runs each root's probes, or reads their outcomes from the cache when the
    /// knowledge base and kbtool are what they were (the built-in base is then
    /// not parsed). Roots with the same knowledge base share one run.
    mutating func prove(cacheFolder: String?, key: String, binaryKey: String) {
        var byFingerprint: [String: ClaimProofs] = [:]
        var record: ProbeRecord?
        var used: Set<String> = []
        for folder in folders {
            guard let load = loads[folder] else { continue }
            let fingerprint = VerificationCache.fingerprint(
                [key, load.identity, FileManager.default.currentDirectoryPath].joined(separator: "\u{0}"))
            used.insert(fingerprint)
            if let known = byFingerprint[fingerprint] {
                proofs[folder] = known
                continue
            }
            let path = cacheFolder.map { ($0 as NSString).appendingPathComponent("probes/\(fingerprint).json") }
            var result: ClaimProofs
            if let path, let data = FileManager.default.contents(atPath: path),
                let cached = try? JSONDecoder().decode(ClaimProofs.self, from: data)
            {
                result = cached
            } else {
                if record == nil { record = ProbeRecord(binaryKey: binaryKey) }
                result = ClaimProofs.run(load.base, record: &record!)
                if let path, let data = try? JSONEncoder().encode(result) {
                    try? FileManager.default.createDirectory(
                        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
                }
            }
            byFingerprint[fingerprint] = result
            proofs[folder] = result
            // A failure in the built-in claims is quoted from the embedded file.
            for finding in result.findings where sources[finding.range.file] == nil {
                sources[finding.range.file] = load.base.sources[finding.range.file]
            }
        }
        record?.save()
        var seen: Set<Diagnostic> = []
        for folder in folders {
            for finding in proofs[folder]?.findings ?? [] where seen.insert(finding).inserted {
                findings.append(finding)
            }
        }
        // Outcomes of knowledge bases no root has any more are removed.
        if let cacheFolder {
            let folder = (cacheFolder as NSString).appendingPathComponent("probes")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where !used.contains((name as NSString).deletingPathExtension) {
                try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
            }
        }
    }
}
