import KBDiagnostics

/// Links and images resolve: to the guide's own anchors, to other guides'
/// (checked in this run, from the cache, or parsed once) and to files that
/// exist. Runs every time: a target may have changed while this guide did not.
struct LinkPass: LinkedGuidePass {
    func check(_ input: LinkedGuideInput, into checks: inout GuideChecks) {
        checks.reportOnGuide(
            input.index.linkCheck.check(
                links: input.result.links, ownAnchors: input.result.anchors, absolutePath: input.file.absolutePath))
    }
}

/// A doc id or route an earlier guide of the same docs folder already has.
struct PageIdentityPass: LinkedGuidePass {
    func check(_ input: LinkedGuideInput, into checks: inout GuideChecks) {
        checks.reportOnGuide(input.index.pageConflicts[input.file.displayPath] ?? [])
    }
}
