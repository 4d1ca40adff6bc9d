import KBCommandCheck
import KBDiagnostics

/// Checks the `aws` commands of the guide's blocks other than transcripts
/// against the CLI model: each command is an item. (Transcripts' commands are
/// checked the same way by ``TranscriptPass``, before they run.)
struct CommandPass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        for command in GuideCommands.check(input.guide, directory: input.directory) {
            let item = checks.declare(.command, at: command.range, name: command.name)
            checks.report(command.diagnostics, against: item)
        }
    }
}
