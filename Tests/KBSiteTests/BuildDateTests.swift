import Foundation
import Testing

@testable import KBSite

/// The build date is formatted once and reused; a different date must never get
/// the element kept for the previous one.
@Suite struct BuildDateTests {
    @Test func eachDateGetsItsOwnElement() {
        let dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_765_000_000), Date(timeIntervalSince1970: 0),
        ]
        let elements = dates.map(SiteBuilder.timeElement)
        #expect(elements[0] == "<time datetime=\"1970-01-01T00:00:00Z\">1 January 1970, 00:00 UTC</time>")
        #expect(elements[1] == "<time datetime=\"2025-12-06T05:46:40Z\">6 December 2025, 05:46 UTC</time>")
        #expect(elements[2] == elements[0])
    }
}
