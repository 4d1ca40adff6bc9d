import KBBlocks
import KBCommandCheck
import KBDiagnostics
import KBGuide

/// Checks the `aws` commands of the guide's blocks other than transcripts
/// against the CLI model: each command is an item. (Transcripts' commands are
/// checked the same way by ``TranscriptPass``, before they run.)
///
/// One mistake repeated through a block (the same misspelt option in each of
/// its commands) is one finding, counted against every command that has it.
struct CommandPass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        let commands = GuideCommands.check(input.guide, directory: input.directory)
        var findings: [(diagnostic: Diagnostic, owner: Int)] = []
        var block: Int?
        func flush() {
            for group in RepeatedFindings.merge(findings, source: input.guide.guide.source) {
                checks.report([group.diagnostic], against: Array(Set(group.owners)).sorted())
            }
            findings = []
        }
        for command in commands {
            if command.block != block { flush() }
            block = command.block
            let item = checks.declare(.command, at: command.range, name: command.name)
            findings += command.diagnostics.map { ($0, item) }
        }
        flush()
    }
}
