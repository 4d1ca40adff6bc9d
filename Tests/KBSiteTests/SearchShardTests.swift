import Foundation
import KBDiagnostics
import KBTestSupport
import Testing

@testable import KBSite

/// A large site's search index is split by sidebar section into shards listed
/// by `assets/search-index.js`; every entry is in exactly one shard.
@Suite struct SearchShardTests {
    /// Three folders of ten guides; each guide gives two search entries.
    static func index(maxEntries: Int) throws -> [(path: String, text: String)] {
        var guides: [String: String] = [:]
        for folder in ["alpha", "beta", "gamma"] {
            for number in 0..<10 {
                guides["\(folder)/guide-\(number).md"] = "# \(folder) \(number)\n\nText.\n\n## Part\n\nMore.\n"
            }
        }
        let fixture = try SiteFixture(guides)
        defer { fixture.remove() }
        var diagnostics: [Diagnostic] = []
        let pages = SiteBuilder.sitePages(try #require(fixture.report), diagnostics: &diagnostics)
        let navigation = SiteNavigation(pages: pages)
        let articles = pages.indices.map { index in
            (
                index: index, title: pages[index].title,
                sections: [
                    SearchSection(heading: "", anchor: "", text: "Text.", keywords: []),
                    SearchSection(heading: "Part", anchor: "part", text: "More.", keywords: []),
                ]
            )
        }
        return SearchIndex.files(pages: pages, articles: articles, navigation: navigation, maxEntries: maxEntries)
    }

    static func urls(_ text: String) -> [String] {
        text.matches(of: /"u":"([^"]+)"/).map { String($0.output.1) }
    }

    @Test func aSmallIndexIsOneScript() throws {
        let files = try Self.index(maxEntries: 1_000)
        #expect(files.map(\.path) == ["assets/search-index.js"])
        #expect(files[0].text.hasPrefix("window.KBTOOL_SEARCH_INDEX = {\"docs\":["))
        #expect(Self.urls(files[0].text).count == 60)
    }

    @Test func sectionsThatFitStayWhole() throws {
        // Twenty entries a folder, at most 25 a shard: one shard per folder.
        let files = try Self.index(maxEntries: 25)
        #expect(files.map(\.path) == ["assets/search-index.js"] + (0..<3).map { "assets/search/\($0).js" })
        let manifest = files[0].text
        #expect(manifest.contains("\"shards\":["))
        #expect(!manifest.contains("\"docs\""))
        for (number, folder) in ["alpha", "beta", "gamma"].enumerated() {
            #expect(manifest.contains("{\"f\":[\"\(folder)\"],\"u\":\"search/\(number).js\"}"))
            let urls = Self.urls(files[number + 1].text)
            #expect(urls.count == 20 && urls.allSatisfy { $0.hasPrefix(folder + "/") })
            #expect(
                files[number + 1].text.hasPrefix(
                    "(window.KBTOOL_SEARCH_SHARDS = window.KBTOOL_SEARCH_SHARDS || {})[\(number)] = {\"docs\":["))
        }
    }

    @Test func aLargeSectionIsSplitAndNothingIsLost() throws {
        let files = try Self.index(maxEntries: 8)
        let shards = files.dropFirst()
        #expect(shards.count >= 8)
        let urls = shards.flatMap { Self.urls($0.text) }
        #expect(urls.count == 60)
        #expect(Set(urls).count == 60)
        #expect(shards.allSatisfy { Self.urls($0.text).count <= 8 })
    }
}
