import KBDiagnostics
import KBGuide

/// Where a code block sits in its guide: the nearest heading before it, the
/// paragraph just before it (when nothing but the paragraph separates them), the
/// line where its section starts (a heading, or a paragraph that opens with a
/// line in bold (`**Example 2 – …**`), the pseudo-heading of AWS's exported
/// guides), and the numbered steps it is part of.
struct BlockContext {
    var code: CodeBlock
    var heading: Heading?
    var paragraph: Paragraph?
    var section: Int
    var steps: [ClassifiedBlock.Step]

    /// The run of `Step N` headings being read: its level and first line, and
    /// the current step's number.
    struct StepHeadings {
        var level: Int
        var firstLine: Int
        var number: Int
    }

    static func contexts(_ blocks: [Block]) -> [BlockContext] {
        var stepHeadings: StepHeadings?
        return contexts(blocks, heading: nil, section: 0, steps: [], stepHeadings: &stepHeadings)
    }

    private static func contexts(
        _ blocks: [Block], heading: Heading?, section: Int, steps: [ClassifiedBlock.Step],
        stepHeadings: inout StepHeadings?
    ) -> [BlockContext] {
        var result: [BlockContext] = []
        var heading = heading
        var section = section
        var steps = steps
        var paragraph: Paragraph?
        /// Blocks nested in a list item or quote that have no paragraph of their own
        /// see the one before the container.
        func inheritingParagraph(_ nested: [BlockContext]) -> [BlockContext] {
            nested.map { context in
                var context = context
                context.paragraph = context.paragraph ?? paragraph
                return context
            }
        }
        for block in blocks {
            switch block {
            case .heading(let found):
                heading = found
                section = found.range.start.line
                paragraph = nil
                stepHeadings = next(stepHeadings, after: found)
                steps = stepHeadings.map { [ClassifiedBlock.Step(number: $0.number, scope: $0.firstLine)] } ?? []
            case .paragraph(let found):
                paragraph = found
                if opensWithBoldLine(found) { section = found.range.start.line }
            case .code(let code):
                result.append(
                    BlockContext(code: code, heading: heading, paragraph: paragraph, section: section, steps: steps))
            case .list(let list):
                // A block inside a list item sees the item's own paragraph first;
                // an ordered list's items are numbered steps.
                for (offset, item) in list.items.enumerated() {
                    let itemSteps =
                        list.ordered
                        ? steps + [ClassifiedBlock.Step(number: list.start + offset, scope: list.range.start.line)]
                        : steps
                    result += inheritingParagraph(
                        contexts(
                            item.blocks, heading: heading, section: section, steps: itemSteps,
                            stepHeadings: &stepHeadings))
                }
                paragraph = nil
            case .blockQuote:
                result += inheritingParagraph(
                    contexts(
                        block.children, heading: heading, section: section, steps: steps, stepHeadings: &stepHeadings))
                paragraph = nil
            default:
                break
            }
        }
        return result
    }

    /// The run of step headings after a heading: a `Step N` heading at the run's
    /// level continues it (at a shallower level, or with none, it starts one; a
    /// deeper one, such as `Step 1.2`, is part of the current step); any other
    /// heading at the run's level or above ends it.
    static func next(_ run: StepHeadings?, after heading: Heading) -> StepHeadings? {
        if let number = stepNumber(heading.text) {
            guard let run, run.level <= heading.level else {
                return StepHeadings(level: heading.level, firstLine: heading.range.start.line, number: number)
            }
            if run.level == heading.level {
                return StepHeadings(level: run.level, firstLine: run.firstLine, number: number)
            }
            return run
        }
        guard let run, heading.level > run.level else { return nil }
        return run
    }

    /// The number of a heading that names a step: `Step 2: Create a key policy`,
    /// `Step 1.1 – …` (step 1).
    static func stepNumber(_ text: String) -> Int? {
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard words.count >= 2, words[0].lowercased() == "step" else { return nil }
        return Int(words[1])
    }
}

extension BlockContext {
    /// A paragraph whose first line is all bold: a pseudo-heading.
    static func opensWithBoldLine(_ paragraph: Paragraph) -> Bool {
        let nodes = paragraph.content.nodes
        guard nodes.first == .enterStrong, let exit = nodes.firstIndex(of: .exitStrong) else { return false }
        let next = nodes.index(after: exit)
        guard next < nodes.endIndex else { return true }
        switch nodes[next] {
        case .lineBreak, .softBreak: return true
        case .text(let text): return text.allSatisfy(\.isWhitespace) || text.hasPrefix("\n")
        default: return false
        }
    }
}
