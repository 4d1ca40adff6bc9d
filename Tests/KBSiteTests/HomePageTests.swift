import Foundation
import KBTestSupport
import Testing

/// The home page and the page status say what was actually checked.
@Suite struct HomePageTests {
    static let policy = """
        ```json
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
        ```
        """

    @Test func aGuideWithNothingCheckableIsNotCalledVerified() throws {
        let site = try SiteFixture([
            "prose.md": "# Prose only\n\nJust words.\n",
            "keys/policy.md": "# A policy\n\n" + Self.policy + "\n",
            "keys/broken.md": "# Broken\n\nSee [nowhere](missing.md).\n",
        ])
        defer { site.remove() }
        let page = site.page("index.html")
        let home = String(page[try #require(page.range(of: "<article")).lowerBound...])
        func card(_ title: String) throws -> String {
            let start = try #require(home.range(of: ">\(title)</a>"))
            let end = try #require(home.range(of: "</li>", range: start.upperBound..<home.endIndex))
            return String(home[start.upperBound..<end.lowerBound])
        }
        #expect(try card("Prose only").contains("status-skip\">not checked</span>"))
        #expect(!(try card("Prose only")).contains("passed"))
        #expect(
            try card("A policy").contains(
                "status-pass\">verified</span> <span class=\"guide-counts\">1 policy block</span>"))
        #expect(try card("Broken").contains("status-fail\">1 error</span>"))
        // The lead counts what was checked, and never claims more.
        #expect(home.contains("3 guides: 1 verified, 1 with problems, 1 with nothing kbtool can check."))
        #expect(home.contains("kbtool checked 1 policy block against"))
        #expect(!home.contains("Every policy"))
        // Grouped by category: the loose guide first, then the folder's group.
        let loose = try #require(home.range(of: "<section class=\"guide-group\" id=\"all-guides\">"))
        let keys = try #require(home.range(of: "<section class=\"guide-group\" id=\"section-keys\"><h2>Keys"))
        #expect(loose.lowerBound < keys.lowerBound)
        // The page itself says so too, and its footer does not say "Verified".
        let prose = site.page("prose/index.html")
        #expect(prose.contains("<div class=\"page-status status-skip\"><strong>Not checked</strong>"))
        #expect(prose.contains("<footer class=\"provenance\"><p>Built <time"))
        #expect(
            site.page("keys/policy/index.html").contains(
                "<strong>Verified</strong> <span class=\"page-status-counts\">Checked 1 policy block: "))
    }

    @Test func theSidebarsMoreLinksLeadToTheGroup() throws {
        var guides: [String: String] = [:]
        for index in 0..<60 { guides["many/p\(index).md"] = "# Page \(index)\n" }
        let site = try SiteFixture(guides)
        defer { site.remove() }
        #expect(site.page("many/p0/index.html").contains("<a href=\"../../index.html#section-many\">… 29 more</a>"))
        #expect(site.page("index.html").contains("id=\"section-many\""))
    }
}
