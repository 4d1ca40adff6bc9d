import Foundation
import KBChecks
import KBTestSupport
import Testing

@testable import KBSite

/// `aws` commands kbtool checks against the CLI model but does not run say so
/// on the built page, and their findings annotate the block.
@Suite struct CheckedCommandsSiteTests {
    @Test func commandsOfServicesNotEmulatedAreShownCheckedNotRun() throws {
        let site = try SiteFixture([
            "g.md": """
            # G

            ```bash
            aws ec2 describe-instances --max-items 5
            aws lambda invoke --function-name f out.json
            ```

            ```bash
            aws ec2 describe-instances --max-itmes 5
            ```

            ```console
            $ aws ec2 describe-vpcs --max-items 5
            ```
            """
        ])
        defer { site.remove() }
        let page = site.page("g/index.html")
        #expect(page.contains(">2 commands checked, not run</span>"), "\(page)")
        #expect(page.contains(">1 of 1 command refused by the CLI model</span>"))
        // The refused command's finding follows its block.
        #expect(page.contains("has no option '--max-itmes'"))
        #expect(page.contains("command-option"))
        // A transcript command kbtool does not emulate is marked the same way.
        #expect(page.contains("title=\"checked, not run\""))
    }

    @Test func aTranscriptCommandRefusedBeforeRunningShowsItsFindingAndNoDiff() throws {
        let site = try SiteFixture([
            "g.md": """
            ---
            title: G
            kbtool:
              profiles:
                owner: arn:aws:iam::111122223333:root
              default-profile: owner
            ---

            ```console
            $ aws kms create-key --key-specs RSA_2048 --query KeyMetadata.KeyState --output text
            Enabled
            ```
            """
        ])
        defer { site.remove() }
        let page = site.page("g/index.html")
        #expect(page.contains("has no option '--key-specs'"), "\(page)")
        #expect(page.contains("command-option"))
        // Nothing ran, so there is no output to compare with what the guide shows.
        #expect(!page.contains("What kbtool got instead"))
    }
}
