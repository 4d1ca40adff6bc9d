// libFuzzer target: a guide's bytes (markdown with raw HTML, front matter, MDX)
// verified and built into a site as `kbtool build` builds it, with the built-in
// theme and `site.raw_html: true`; then every page judged by the page oracle
// (KBPageOracle), which traps on a script not from the theme, an event
// handler, a javascript:/vbscript:/data: URL outside images, markup that does
// not balance inside the article, or landmarks that differ from an empty guide's.
import KBPageOracle

/// Built once: the theme, and the oracle learnt from an empty guide's site.
nonisolated(unsafe) let site = try! GuideSite()

/// One input; libFuzzer ignores the result.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let found = site.violations(bytes)
    if !found.isEmpty {
        let report = found.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
        fatalError("the page oracle found an escape:\n\(report)")
    }
    return 0
}
