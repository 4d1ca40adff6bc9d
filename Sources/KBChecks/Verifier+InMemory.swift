import KBGuide

extension Verifier {
    /// One guide held in memory, put through every pass that looks at it alone
    /// and those across guides (with itself the only guide), without a knowledge
    /// base's claims: the report `kbtool build` renders, for the page renderer's
    /// fuzz target and its tests, which must not touch the disk per input.
    public func verify(guide file: InputFile, bytes: [UInt8]) -> VerificationReport {
        var report = VerificationReport(files: [file])
        let guide = GuideParser.parse(path: file.displayPath, bytes: bytes)
        var checker = self
        checker.keepsGuides = true
        let result = checker.check(file, guide: guide, factCheck: nil)
        let index = GuideIndex(results: [(file, result)], maxFileBytes: maxFileBytes)
        report.guides = [link(result, file: file, index: index)]
        return settle(report)
    }
}
