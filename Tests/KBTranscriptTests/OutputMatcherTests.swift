import Testing

@testable import KBTranscript

@Suite struct OutputMatcherTests {
    func matches(_ expected: String, stdout: String, stderr: String = "", status: Int32 = 0) -> Bool {
        OutputMatcher.compare(
            expected: expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            stdout: stdout, terminal: stdout + stderr, status: status) == .match
    }

    @Test(
        "JSON expectations are subsets; strings may use ...",
        arguments: [
            (#"{"A": 1}"#, #"{"A": 1, "B": 2}"#, true),
            (#"{"A": 1, "C": 3}"#, #"{"A": 1, "B": 2}"#, false),
            (#"{"A": {"B": "x"}}"#, #"{"A": {"B": "x", "C": "y"}}"#, true),
            (#"{"Arn": "arn:aws:kms:...:key/..."}"#, #"{"Arn": "arn:aws:kms:us-east-1:1:key/abc"}"#, true),
            (#"{"Arn": "arn:aws:s3:..."}"#, #"{"Arn": "arn:aws:kms:us-east-1"}"#, false),
            (#"[1, 2]"#, #"[1, 2]"#, true),
            (#"[1]"#, #"[1, 2]"#, false),
            (#"{"N": 1.0}"#, #"{"N": 1}"#, true),
            (#"{"B": true}"#, #"{"B": "true"}"#, false),
            (#"{"K": null}"#, #"{"K": null}"#, true),
        ])
    func json(expected: String, actual: String, match: Bool) {
        #expect(matches(expected, stdout: actual) == match)
    }

    @Test(
        "text lines compare with ... inside a line and as whole lines",
        arguments: [
            ("upload: ./a to s3://b/a", "upload: ./a to s3://b/a\n", true),
            ("upload: ... to s3://b/a", "upload: ./x/y to s3://b/a\n", true),
            ("a\n...\nz", "a\nb\nc\nz\n", true),
            ("a\n...\nz", "a\nz\n", true),
            ("a\n...", "a\nb\n", true),
            ("a\n...\nz", "a\nb\n", false),
            ("a", "a\nb\n", false),
            ("arn:...:key/...", "arn:aws:kms:us-east-1:1:key/2\n", true),
            ("x ", "x\n", true),
            ("", "anything\n", false),
        ])
    func text(expected: String, actual: String, match: Bool) {
        #expect(matches(expected, stdout: actual) == match)
    }

    @Test("an expected error line needs that error, with ... in the message")
    func errors() {
        let stderr = "\nAn error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n"
        #expect(
            matches(
                "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied", stdout: "",
                stderr: stderr, status: 254))
        #expect(
            matches(
                "An error occurred (AccessDenied) when calling the GetObject operation: ...", stdout: "",
                stderr: stderr,
                status: 254))
        #expect(
            !matches(
                "An error occurred (NoSuchKey) when calling the GetObject operation: ...", stdout: "", stderr: stderr,
                status: 254))
        #expect(!matches("An error occurred (AccessDenied) when calling the GetObject operation: ...", stdout: "{}"))
        // Other lines around an error line are compared too, in terminal order.
        #expect(
            !matches(
                "something else\nAn error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
                stdout: "", stderr: stderr, status: 254))
        #expect(
            matches(
                "An error occurred (NotFoundException) when calling the DescribeKey operation: ...\nno such key",
                stdout: "",
                stderr:
                    "\nAn error occurred (NotFoundException) when calling the DescribeKey operation: x\nno such key\n"))
    }

    @Test("mismatches name the first difference and give a diff with the guide's lines first")
    func details() {
        let outcome = OutputMatcher.compare(
            expected: ["{", #"  "KeyMetadata": {"KeyState": "Enabled"}"#, "}"],
            stdout: "{\n    \"KeyMetadata\": {\n        \"KeyState\": \"Disabled\"\n    }\n}\n",
            terminal: "{\n    \"KeyMetadata\": {\n        \"KeyState\": \"Disabled\"\n    }\n}\n", status: 0)
        guard case .mismatch(let detail, let diff) = outcome else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(detail == #"KeyMetadata.KeyState: expected "Enabled", the command printed "Disabled""#)
        #expect(diff.first?.hasPrefix("  {") == true)
        #expect(diff.contains { $0.hasPrefix("- ") })
        #expect(diff.firstIndex { $0.hasPrefix("- ") }! < diff.firstIndex { $0.hasPrefix("+ ") }!)
    }

    @Test("many ... lines against long output stay fast and correct")
    func manyWildcards() {
        let expected = Array(repeating: "...", count: 200) + ["end"]
        let actual = (0..<5_000).map { "line \($0)" }.joined(separator: "\n") + "\nnot the end\n"
        #expect(!matches(expected.joined(separator: "\n"), stdout: actual))
        #expect(matches(expected.joined(separator: "\n"), stdout: actual + "end\n"))
    }
}
