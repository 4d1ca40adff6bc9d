import Foundation
import KBDiagnostics
import Testing

@testable import KBFacts

/// The built-in knowledge base and how a project's files extend it.
@Suite struct BuiltInKnowledgeTests {
    @Test func theBuiltInBaseParsesCleanAndIsMarkedBuiltIn() {
        let (base, diagnostics) = ClaimBase.builtIn
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(base.claims.count >= 20)
        #expect(base.claims.allSatisfy { $0.origin == .builtIn && $0.originDescription == "built into kbtool" })
        #expect(base.terms.contains { $0.term == "customer master key" && $0.origin == .builtIn })
        #expect(base.claims.first?.range.file == "kbtool:built-in/claims.yml")
        #expect(!base.synonyms.isEmpty)
    }

    static func project(_ claims: String, rules: String = "") -> ClaimBase {
        let (base, diagnostics) = claimBase(claims, rules: rules)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return base
    }

    @Test func aSameIdReplacesNewIdsAddAndDisableDrops() {
        var base = ClaimBase.builtIn.0
        let count = base.claims.count
        // Where the replaced claim should stay: its place once the disabled one is gone.
        let position = base.claims.filter { $0.id != "multi-region-keys-s3" }.firstIndex {
            $0.id == "list-needs-no-kms"
        }
        let findings = base.extend(
            with: Self.project(
                """
                disable: [multi-region-keys-s3]
                claims:
                  - id: list-needs-no-kms
                    statement: Our own wording of it.
                  - id: team-only
                    statement: Something only this team knows.
                """))
        #expect(findings.isEmpty)
        #expect(base.claims.count == count)  // one replaced in place, one added, one dropped
        let replaced = base.claims.first { $0.id == "list-needs-no-kms" }
        #expect(replaced?.statement == "Our own wording of it.")
        #expect(replaced?.origin == .project && replaced?.overridesBuiltIn == true)
        #expect(replaced?.originDescription == "claims.yml:3 (replacing the built-in claim)")
        // Replaced in place.
        #expect(position != nil && base.claims.firstIndex { $0.id == "list-needs-no-kms" } == position)
        #expect(base.claims.last?.id == "team-only" && base.claims.last?.overridesBuiltIn == false)
        #expect(!base.claims.contains { $0.id == "multi-region-keys-s3" })
    }

    @Test func disableMistakesAreLocatedErrors() {
        var base = ClaimBase.builtIn.0
        let findings = base.extend(
            with: Self.project(
                """
                disable: [multi-region-keys-s4, team-only]
                claims:
                  - id: team-only
                    statement: Defined and disabled.
                """))
        #expect(
            findings.map(\.message) == [
                "'disable' names 'multi-region-keys-s4', which is not a built-in claim",
                "claim 'team-only' is both disabled and defined here; keep one",
            ])
        #expect(findings.first?.notes == ["did you mean 'multi-region-keys-s3'?"])
        #expect(findings.map(\.range.start.line) == [1, 1])
        #expect(findings.allSatisfy { $0.rule == .factsFile && $0.severity == .error })
        let (_, malformed) = claimBase("disable: not-a-list\n")
        #expect(malformed.map(\.message) == ["'disable' must be a list of claim ids"])
    }

    @Test func termsAreReplacedByTheirTermAndDisabledLikeClaims() {
        var base = ClaimBase.builtIn.0
        _ = base.extend(
            with: Self.project(
                "claims: []\n",
                rules: """
                    terms:
                      - term: Customer Master Key
                        forms: [CMK]
                        use: KMS key (customer managed)
                      - term: bucket ACL
                        use: bucket policy
                    """))
        #expect(
            base.terms.filter { $0.term.lowercased() == "customer master key" }.map(\.use) == [
                "KMS key (customer managed)"
            ])
        #expect(base.terms.contains { $0.term == "bucket ACL" })
        var dropped = ClaimBase.builtIn.0
        let findings = dropped.extend(
            with: Self.project("claims: []\n", rules: "disable: [customer master key, no such term]\n"))
        #expect(!dropped.terms.contains { $0.term == "customer master key" })
        #expect(findings.map(\.message) == ["'disable' names 'no such term', which is not a built-in term"])
    }
}

/// A run parses the built-in claims only when it needs them.
@Suite struct KnowledgeBaseLoadTests {
    /// Where this test's folders go; the test removes it.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kbload-\(UUID().uuidString)")

    func folder(_ files: [String: String]) throws -> String {
        let folder = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder.path
    }

    @Test func theBuiltInBaseIsParsedOnlyWhenItsClaimsAreNeeded() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let empty = KnowledgeBaseLoad(folders: [try folder([:])]) { $0 }
        #expect(empty.diagnostics.isEmpty)
        #expect(!empty.isMerged, "no project file: nothing to merge until a guide is checked")
        #expect(empty.base.claims.count == ClaimBase.builtIn.0.claims.count)
        #expect(empty.isMerged)

        let overriding = KnowledgeBaseLoad(
            folders: [try folder(["claims.yml": "claims:\n  - id: list-needs-no-kms\n    statement: Mine.\n"])]
        ) { $0 }
        #expect(overriding.diagnostics.isEmpty && !overriding.isMerged)
        #expect(overriding.base.claims.first { $0.id == "list-needs-no-kms" }?.statement == "Mine.")

        // `disable` is checked against the built-in ids, so its findings need the merge.
        let disabling = KnowledgeBaseLoad(folders: [try folder(["claims.yml": "disable: [no-such-claim]\n"])]) {
            $0
        }
        #expect(
            disabling.diagnostics.map(\.message) == ["'disable' names 'no-such-claim', which is not a built-in claim"])
        #expect(disabling.isMerged)
    }

    @Test func theIdentityChangesWithTheProjectsFilesNotWithoutThem() throws {
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = try self.folder(["prose-rules.yml": "terms: []\n"])
        let first = KnowledgeBaseLoad(folders: [folder]) { $0 }
        let again = KnowledgeBaseLoad(folders: [folder]) { $0 }
        #expect(first.identity == again.identity)
        try Data("terms: []\ndisable: []\n".utf8).write(
            to: URL(fileURLWithPath: folder).appendingPathComponent("prose-rules.yml"))
        #expect(KnowledgeBaseLoad(folders: [folder]) { $0 }.identity != first.identity)
        #expect(KnowledgeBaseLoad(folders: [try self.folder([:])]) { $0 }.identity != first.identity)
    }
}
