import Foundation
import KBDiagnostics
import KBTestSupport
import Testing

@testable import KBChecks
@testable import KBFacts

/// The probes that passed with a binary are recorded in the user's cache
/// folder and not run again; failures are never recorded.
@Suite struct ProbeRecordTests {
    @Test func passesAreRecordedPerBinaryAndFailuresRunAgain() throws {
        let folder = try TemporaryFolder("kbtool-probe-record", files: ["claims.yml": ClaimProofTests.failing])
        defer { folder.remove() }
        let environment = ["XDG_CACHE_HOME": folder.appendingPathComponent("cache").path]
        let passing = ClaimProofTests.failing.replacingOccurrences(of: "        aws:kms\n", with: "        AES256\n")
        let base = Self.base(passing)

        var record = ProbeRecord(binaryKey: "binary A", environment: environment)
        #expect(record.passed.isEmpty)
        let first = ClaimProofs.run(base, record: &record)
        #expect(first.states["team-list"] == .proved && first.states["team-broken"] == .failed)
        #expect(record.passed.count == 1)
        record.save()

        // Read back: the passing probe is not run again, the failing one is, and reported again.
        var again = ProbeRecord(binaryKey: "binary A", environment: environment)
        #expect(again.passed == record.passed)
        let second = ClaimProofs.run(base, record: &again)
        #expect(second.states == first.states)
        #expect(second.findings == first.findings && !second.findings.isEmpty)

        // Another binary, another record; a changed probe is another probe.
        #expect(ProbeRecord(binaryKey: "binary B", environment: environment).passed.isEmpty)
        let changed = passing.replacingOccurrences(of: "printf 'ledger'", with: "printf 'ledgers'")
        var reread = ProbeRecord(binaryKey: "binary A", environment: environment)
        let third = ClaimProofs.run(Self.base(changed), record: &reread)
        #expect(third.states["team-list"] == .proved)
        #expect(reread.passed.count == 2)
    }

    static func base(_ yaml: String) -> ClaimBase {
        var base = ClaimBase()
        let source = SourceText(path: "claims.yml", text: yaml)
        base.sources[source.path] = source
        let problems = base.readClaims(source)
        #expect(problems.isEmpty)
        return base
    }

    @Test func theFolderFollowsXDGAndCanBeTurnedOff() {
        #expect(ProbeRecord.folder(["XDG_CACHE_HOME": "/c", "HOME": "/h"]) == "/c/kbtool")
        #expect(ProbeRecord.folder(["XDG_CACHE_HOME": "relative", "HOME": "/h"]) == "/h/.cache/kbtool")
        #expect(ProbeRecord.folder(["HOME": "/h", "KBTOOL_PROBE_RECORD": "off"]) == nil)
        #expect(ProbeRecord.folder([:]) == nil)
    }

    @Test func aFolderThatCannotBeWrittenIsNoError() {
        var record = ProbeRecord(binaryKey: "x", environment: ["XDG_CACHE_HOME": "/proc/no-such/place"])
        record.recordPass("abc")
        record.save()
        #expect(ProbeRecord(binaryKey: "x", environment: ["XDG_CACHE_HOME": "/proc/no-such/place"]).passed.isEmpty)
    }
}
