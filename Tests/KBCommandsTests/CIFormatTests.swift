import Foundation
import KBCommands
import KBDiagnostics
import KBReporting
import KBTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The CI-facing options of `verify`: output formats, --strict, --fix, kbtool.yml,
/// kbtool-disable comments, and `explain`.
@Suite struct CIFormatTests {
    static let brokenGuide = EndToEndTests.brokenGuide

    /// A scratch folder with the given files; the test removes it.
    func folder(_ files: [String: String]) throws -> TemporaryFolder {
        try TemporaryFolder("kbtool-ci", files: files)
    }

    static let guideWithWarning = """
        ---
        title: Warned
        sidebar_positon: 1
        ---

        # Warned

        ```json
        {"a": [1, 2 3]}
        ```
        """

    @Test("SARIF carries rules with their documentation, locations, related locations and fixes")
    func sarif() throws {
        let result = try EndToEndTests.run(["verify", Self.brokenGuide, "--format", "sarif"])
        #expect(result.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let rules =
            try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])["rules"] as? [[String: Any]]
        #expect(rules?.contains { $0["id"] as? String == "json-syntax" && $0["fullDescription"] != nil } == true)
        let results = try #require(run["results"] as? [[String: Any]])
        let syntax = try #require(results.first { $0["ruleId"] as? String == "json-syntax" })
        let region =
            ((syntax["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"]
            as? [String: Any]
        #expect(region?["startLine"] as? Int == 19)
        #expect(region?["startColumn"] as? Int == 9)
        #expect((syntax["relatedLocations"] as? [[String: Any]])?.count == 1)
        #expect((syntax["fixes"] as? [[String: Any]])?.count == 1)
    }

    @Test("GitHub annotations: escaped, capped at ten of a kind, with the rest counted")
    func github() throws {
        let blocks = (1...12).map { "```json\n{\"n\": [\($0) \($0)]}\n```" }.joined(separator: "\n\n")
        let directory = try folder(["many.md": "# Many, errors: 100%\n\n" + blocks])
        defer { directory.remove() }
        let result = try EndToEndTests.run(["verify", "many.md", "--format", "github"], in: directory)
        let errors = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        #expect(errors.count == 10)
        #expect(result.stdout.contains("::warning title=kbtool::2 more findings not shown as annotations"))
        #expect(errors.first?.hasPrefix("::error file=many.md,line=4,col=10,") == true)
        #expect(result.lastLine.hasPrefix("kbtool verify: 1 file, 12 errors"))
    }

    @Test("JUnit has one test case per checked item, failures carrying their findings")
    func junit() throws {
        let result = try EndToEndTests.run(["verify", Self.brokenGuide, "--format", "junit"])
        #expect(
            result.stdout.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kbtool verify\" tests=\"3\" failures=\"3\">"
            ))
        #expect(result.stdout.contains("<failure message=\"expected &apos;,&apos; between array elements\">"))
        let parsed = try XMLDocument(data: Data(result.stdout.utf8))
        #expect(try parsed.nodes(forXPath: "//testcase").count == 3)
    }

    @Test("--strict fails on warnings; without it warnings pass")
    func strict() throws {
        let directory = try folder([
            "warned.md": Self.guideWithWarning.replacingOccurrences(of: "[1, 2 3]", with: "[1, 2, 3]")
        ])
        defer { directory.remove() }
        #expect(try EndToEndTests.run(["verify", "warned.md"], in: directory).status == 0)
        #expect(try EndToEndTests.run(["verify", "warned.md", "--strict"], in: directory).status == 1)
    }

    @Test("--fix applies only unambiguous fixes, byte for byte, keeping CRLF and the BOM")
    func fix() throws {
        let original =
            "\u{FEFF}---\r\ntitle: Fix me\r\nsidebar_positon: 1\r\n---\r\n\r\n# Fix me\r\n\r\n```json\r\n{\"a\": [1, 2 3]}\r\n```\r\n\r\nSee [it](#Fix-me).\r\n"
        let directory = try folder(["fix.md": original])
        defer { directory.remove() }
        let result = try EndToEndTests.run(["verify", "fix.md", "--fix"], in: directory)
        #expect(result.stdout.contains("fixed fix.md:9:12: insert ','"))
        #expect(result.stdout.contains("fixed fix.md:12:11: link to '#fix-me'"))
        #expect(result.stdout.contains("kbtool verify --fix: 2 fixes applied"))
        let fixed = try Data(contentsOf: directory.appendingPathComponent("fix.md"))
        let expected = original.replacingOccurrences(of: "[1, 2 3]", with: "[1, 2, 3]")
            .replacingOccurrences(of: "(#Fix-me)", with: "(#fix-me)")
        #expect(Array(fixed) == Array(expected.utf8))
        // The did-you-mean on the front matter key is a guess: not applied, still reported.
        #expect(result.stdout.contains("unknown front matter field 'sidebar_positon'"))
        #expect(result.status == 0)
    }

    @Test("--fix corrects an unambiguous option or subcommand typo in an aws command, and leaves a guess alone")
    func fixCommands() throws {
        let original =
            "# Runbook\n\n```bash\naws kms create-key --key-specs RSA_2048 --description \"x\"\naws s3api get-objects --bucket amzn-s3-demo-bucket --key k out.csv\naws ksm list-keys\n```\n"
        let directory = try folder(["runbook.md": original])
        defer { directory.remove() }
        let result = try EndToEndTests.run(["verify", "runbook.md", "--fix"], in: directory)
        #expect(result.stdout.contains("fixed runbook.md:4:20: write '--key-spec'"), "\(result.stdout)")
        #expect(result.stdout.contains("fixed runbook.md:5:11: write 'get-object'"), "\(result.stdout)")
        let fixed = try String(contentsOf: directory.appendingPathComponent("runbook.md"), encoding: .utf8)
        let expected = original.replacingOccurrences(of: "--key-specs", with: "--key-spec")
            .replacingOccurrences(of: "get-objects", with: "get-object")
        #expect(fixed == expected)
        // 'ksm' is as close to 'ssm' as to 'kms': reported, not rewritten.
        #expect(result.stdout.contains("`aws` has no command 'ksm'"))
        #expect(result.status == 1)
    }

    @Test("kbtool.yml sets rule levels and excludes files; an unknown rule is reported")
    func configuration() throws {
        let directory = try folder([
            "kbtool.yml":
                "rules:\n  json-syntax: warning\n  front-matter-unknown-key: off\n  json-syntx: error\nexclude: [\"drafts/**\"]\n",
            "guide.md": Self.guideWithWarning,
            "drafts/wip.md": "```json\n{broken\n```\n",
        ])
        defer { directory.remove() }
        let result = try EndToEndTests.run(["verify", "."], in: directory)
        #expect(result.stdout.contains("guide.md:9:13: warning: expected ','"))
        #expect(!result.stdout.contains("sidebar_positon"))
        #expect(!result.stdout.contains("wip.md"))
        #expect(result.stdout.contains("kbtool.yml:4:3: warning: kbtool has no rule 'json-syntx'"))
        #expect(result.status == 0)
    }

    @Test("the former rule prose-outdated-claim names fact-outdated, in kbtool.yml and in kbtool-disable")
    func formerRuleID() throws {
        let belief = "Create the key first. KMS keys can only be used in the Region that created them.\n"
        let configured = try folder([
            "kbtool.yml": "rules:\n  prose-outdated-claim: off\n",
            "guide.md": "# Keys\n\n" + belief,
        ])
        defer { configured.remove() }
        let off = try EndToEndTests.run(["verify", "."], in: configured)
        #expect(!off.stdout.contains("[fact-outdated]"), "\(off.stdout)")
        #expect(off.stdout.contains("rule 'prose-outdated-claim' is now part of 'fact-outdated'"))
        #expect(!off.stdout.contains("kbtool has no rule"))

        let commented = try folder([
            "silenced.md": "# Keys\n\n<!-- kbtool-disable prose-outdated-claim -->\n" + belief,
            "reported.md": "# Keys\n\n" + belief,
        ])
        defer { commented.remove() }
        let result = try EndToEndTests.run(["verify", "."], in: commented)
        #expect(result.stdout.contains("reported.md:3:"), "\(result.stdout)")
        #expect(result.stdout.contains("[fact-outdated]"))
        #expect(!result.stdout.contains("silenced.md:"))
        let explained = try EndToEndTests.run(["explain", "prose-outdated-claim"])
        #expect(explained.status == 0)
        #expect(explained.stdout.hasPrefix("'prose-outdated-claim' is now part of 'fact-outdated'."))
    }

    @Test("a policy file's kind: --kind over kind: in kbtool.yml over its name; bad kinds are reported")
    func kinds() throws {
        // A permissions policy whose name says "trust", and one named for nothing.
        let permissions =
            #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#
        let directory = try folder([
            "kbtool.yml": "kind:\n  \"managed/**\": identity-policy\n  \"roles/*.json\": trust-policy\n",
            "managed/ServiceTrust.json": permissions,
            "roles/reader.json": permissions,
        ])
        let configured = try EndToEndTests.run(["verify", "."], in: directory)
        #expect(!configured.stdout.contains("ServiceTrust.json"))
        #expect(
            configured.stdout.contains(
                "roles/reader.json:1:41: error: a statement in a trust policy needs a 'Principal'"))
        let said = try EndToEndTests.run(["verify", "--kind", "identity-policy", "roles/reader.json"], in: directory)
        #expect(said.status == 0)
        let unknown = try EndToEndTests.run(
            ["verify", "--kind", "trust", "--kind", "bucket-polcy", "."], in: directory)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'bucket-policy'?"))
        let typo = try folder(["kbtool.yml": "kind:\n  \"*.json\": trust-polcy\n", "p.json": permissions])
        let reported = try EndToEndTests.run(["verify", "."], in: typo)
        #expect(reported.stdout.contains("kbtool.yml:2:13: error: unknown policy kind 'trust-polcy'"))
    }

    @Test("kbtool-disable silences the next block, in HTML and MDX comment forms")
    func disable() throws {
        let guide = """
            # Quiet

            <!-- kbtool-disable json-syntax -->

            ```json
            {"a": [1 2]}
            ```

            {/* kbtool-disable */}

            ```json
            {"b": [1 2]}
            ```

            ```json
            {"c": [1 2]}
            ```
            """
        let directory = try folder(["quiet.mdx": guide])
        defer { directory.remove() }
        let result = try EndToEndTests.run(["verify", "quiet.mdx"], in: directory)
        let findings = result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(findings.count == 1)
        #expect(findings.first?.hasPrefix("quiet.mdx:16:") == true)
    }

    @Test("explain prints a rule's documentation; an unknown id exits 2 with a suggestion")
    func explain() throws {
        let known = try EndToEndTests.run(["explain", "policy-key-lockout"])
        #expect(known.status == 0)
        #expect(known.stdout.hasPrefix("policy-key-lockout ("))
        #expect(known.stdout.contains("Why: "))
        let unknown = try EndToEndTests.run(["explain", "json-syntx"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: kbtool has no rule or claim 'json-syntx'; did you mean 'json-syntax'?\n")
    }

    @Test("explain lists exactly the registry's rules, each documented")
    func explainListsTheRegistry() throws {
        let listing = try EndToEndTests.run(["explain"]).stdout
        let listed = listing.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }
        #expect(listed == RuleRegistry.kbtool.ids)
        for rule in RuleRegistry.kbtool.rules {
            #expect(!rule.summary.isEmpty && !rule.why.isEmpty && !rule.fix.isEmpty, "\(rule.id)")
        }
    }

    @Test("every finding on the fixtures, content/ and the hostile guide is of a registered rule")
    func findingsAreOfRegisteredRules() throws {
        let fixtures = EndToEndTests.packageRoot.appendingPathComponent("Tests/KBChecksTests/Fixtures")
        let folders = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter {
            !$0.hasSuffix(".expected")
        }.map { "Tests/KBChecksTests/Fixtures/\($0)" }
        var seen: Set<String> = []
        for folder in folders + ["content", "Tests/Browser/hostile", "Tests/Browser/grouped"] {
            let result = try EndToEndTests.run(["verify", folder, "--format", "json", "--no-cache"])
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            for diagnostic in document["diagnostics"] as? [[String: Any]] ?? [] {
                seen.insert(diagnostic["rule"] as? String ?? "")
            }
        }
        #expect(seen.count > 20)
        #expect(seen.filter { !RuleRegistry.kbtool.contains($0) }.isEmpty)
    }

    @Test("the README's rule tables are the registry's (scripts/rule-tables rewrites them)")
    func readmeTablesAreCurrent() throws {
        let readme = try String(
            contentsOf: EndToEndTests.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for section in RuleTables.sections(RuleRegistry.kbtool) {
            let (begin, end) = RuleTables.markers(section.name)
            let start = try #require(readme.range(of: begin + "\n"), "README lacks \(begin)")
            let stop = try #require(readme.range(of: end, range: start.upperBound..<readme.endIndex))
            #expect(
                String(readme[start.upperBound..<stop.lowerBound]) == section.table,
                "README section '\(section.name)' is stale: run scripts/rule-tables")
        }
    }
}

/// SARIF output against the published OASIS schema, with Python's jsonschema
/// (installed by scripts/setup): the same check code-scanning services make.
@Suite struct SARIFSchemaTests {
    @Test(
        "SARIF output validates against the SARIF 2.1.0 schema",
        arguments: ["missing-comma", "transcripts", "policies"])
    func validates(fixture: String) throws {
        let result = try EndToEndTests.run(
            ["verify", "Tests/KBChecksTests/Fixtures/\(fixture)", "--format", "sarif", "--no-cache"])
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kbtool-\(fixture)-\(UUID().uuidString).sarif")
        try Data(result.stdout.utf8).write(to: log)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", EndToEndTests.packageRoot.appendingPathComponent("scripts/validate-sarif").path, log.path,
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.hasSuffix("valid SARIF 2.1.0\n"))
    }
}

@Suite struct ClaimFileTests {
    @Test("a claim's demonstration must lead to a guide heading that exists")
    func demonstrations() throws {
        let directory = try CIFormatTests().folder([
            "guide.md":
                "# Guide\n\n## Facts\n\n- Default encryption leaves objects already in the bucket as they were.\n",
            "claims.yml": """
            claims:
              - id: not-retroactive
                statement: Default encryption applies to new objects; objects already in the bucket keep their encryption.
                status: holds
                demonstration: guide.md#fact
                keywords: [default encryption, objects already]
              - id: elsewhere
                statement: Something shown in another guide.
                demonstration: missing.md#x
            """,
        ])
        defer { directory.remove() }
        let result = try EndToEndTests.run(["verify", "."], in: directory)
        #expect(
            result.stdout.contains("claims.yml:2:9: error: claim 'not-retroactive': 'guide.md' has no heading '#fact'"))
        #expect(result.stdout.contains("= help: did you mean '#facts'?"))
        #expect(
            result.stdout.contains(
                "claims.yml:7:9: error: claim 'elsewhere': its demonstration 'missing.md' is not a guide here"))
        #expect(!result.stdout.contains("unverified fact"))
    }
}

@Suite struct ConfigurationGlobTests {
    @Test("globs: ** is linear however many there are; a folder name covers what is inside it")
    func globs() throws {
        let deep = (0..<20).map { "d\($0)" }.joined(separator: "/")
        let directory = try CIFormatTests().folder([
            "kbtool.yml": "exclude: [\"**/**/**/**/**/**/**/**/**/**/**/**/z\", \"drafts/\"]\n",
            "\(deep)/guide.md": "# Deep\n", "drafts/wip.md": "```json\n{broken\n```\n", "top.md": "# Top\n",
        ])
        defer { directory.remove() }
        let result = try EndToEndTests.run(["verify", "."], in: directory)
        #expect(result.lastLine.hasPrefix("kbtool verify: 2 files, 0 errors"))
    }
}
