import KBBlocks
import KBPolicyLint
import Testing

/// Prose that points back at an earlier block, and prose that does not.
@Suite struct BackReferenceTests {
    @Test(
        "references back, read from the paragraph before a block",
        arguments: [
            ("Add this statement to the key policy above.", [BackReference.earlier(.key)]),
            ("Attach the policy from step 2 to the role.", [.step(2)]),
            ("Grant the role access in the bucket policy you created earlier.", [.earlier(.bucket)]),
            ("In step 2, the partner's role was created.", [.step(2)]),
            ("Edit the inline policy that you created in the previous step.", [.earlier(.identity), .previousStep]),
            ("The preceding policy reads objects; this one also writes them.", [.earlier(nil)]),
            ("Combine the key policy statement shown above with this one.", [.earlier(.key)]),
            ("Start the job with the values set in the preceding steps.", [.earlierSteps]),
            ("Use the role that you made in the prior step.", [.previousStep]),
        ])
    func references(text: String, expected: [BackReference]) {
        #expect(BackReference.references(in: text) == expected)
    }

    @Test(
        "prose that introduces a block, or points forward, refers back to nothing",
        arguments: [
            "The following key policy lets the partner use the key.",
            "Save the following bucket policy as policy.json.",
            "See the example policies below for more.",
            "AWS Step Functions runs the next steps for you.",
            "This example key policy grants access to one role.",
            "Each step of the walkthrough has its own policy.",
        ])
    func noReference(text: String) {
        #expect(BackReference.references(in: text).isEmpty)
    }

    @Test("blocks know their numbered steps: a run of Step headings, then ordered lists")
    func steps() throws {
        let text = """
            ## Step 1: Create the key

            ```json
            {"a": 1}
            ```

            ### Details of step one

            ```json
            {"b": 2}
            ```

            ## Step 2: Share it

            1. First:

               ```json
               {"c": 3}
               ```

            1. Then:

               ```json
               {"d": 4}
               ```

            ## Cleaning up

            ```json
            {"e": 5}
            ```
            """
        let blocks = classify(text).blocks
        let run = 1
        #expect(blocks[0].steps == [.init(number: 1, scope: run)])
        #expect(blocks[1].steps == [.init(number: 1, scope: run)])
        let list = try #require(blocks[2].steps.last?.scope)
        #expect(blocks[2].steps == [.init(number: 2, scope: run), .init(number: 1, scope: list)])
        #expect(blocks[3].steps == [.init(number: 2, scope: run), .init(number: 2, scope: list)])
        #expect(blocks[4].steps.isEmpty)
    }
}
