import KBBlocks
import KBDiagnostics
import KBTranscript

/// Runs the guide's transcripts against the simulated AWS: each command that
/// ran (or failed to) is an item; setup problems and commands not run fail none.
struct TranscriptPass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        let transcript = TranscriptRunner(strict: input.strict).run(input.guide, directory: input.directory)
        checks.filesRead = transcript.filesRead
        checks.examples = transcript.examples
        checks.report(transcript.setup, against: nil)
        for example in transcript.examples {
            var item: Int?
            if [.pass, .fail, .error].contains(example.status) {
                let command = example.command.split(separator: "\n").first.map(String.init) ?? ""
                item = checks.declare(
                    .example, at: SourceRange(file: input.file.displayPath, at: .init(line: example.line, column: 1)),
                    name: "$ \(command.count > 80 ? command.prefix(77) + "..." : command)")
            }
            checks.report(example.findings, against: item)
        }
    }
}
