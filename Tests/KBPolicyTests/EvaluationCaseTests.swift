import Foundation
import KBDiagnostics
import KBJSON
import KBPolicy
import Testing

/// One table case from `Cases/evaluation.json` (written by scripts/evaluation-cases):
/// a `kbtool simulate` case, its expected decision, and the point of
/// semantics.md and the AWS page it proves.
struct EvaluationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var point: String
    var source: String
    var expect: Decision
    /// The deciding statements the case expects, when it names them (`["service"]`).
    var decidedBy: [String]?
    var simulation: JSONValue
    var testDescription: String { "\(point) \(name)" }

    static let sourceText: SourceText = {
        let url = Bundle.module.url(forResource: "evaluation", withExtension: "json", subdirectory: "Cases")!
        return SourceText(path: "Cases/evaluation.json", text: try! String(contentsOf: url, encoding: .utf8))
    }()

    static let all: [EvaluationCase] = {
        guard let cases = JSONParser.parse(sourceText.text).value?.elements else {
            fatalError("evaluation.json is not JSON")
        }
        return cases.map { value in
            EvaluationCase(
                name: value["name"]?.string ?? "?", point: value["point"]?.string ?? "?",
                source: value["source"]?.string ?? "?",
                expect: Decision(rawValue: value["expect"]?.string ?? "") ?? .allowed,
                decidedBy: value["decidedBy"]?.elements?.compactMap(\.string), simulation: value["case"]!)
        }
    }()

    func evaluate() throws -> Evaluation {
        let parsed = try SimulationCase.parse(simulation, locate: SourceLocator(Self.sourceText))
        return try PolicyEvaluator().evaluate(parsed.request, policies: parsed.policies)
    }
}

@Suite struct EvaluationCaseTests {
    @Test(arguments: EvaluationCase.all)
    func decidesAsAWSDocumentsIt(_ testCase: EvaluationCase) throws {
        let evaluation = try testCase.evaluate()
        #expect(
            evaluation.decision == testCase.expect,
            "\(testCase.source): \(evaluation.reason); decided by \(evaluation.decidedBy)")
        if let decidedBy = testCase.decidedBy {
            #expect(evaluation.decidedBy == decidedBy)
            // A refusal by the service carries the error AWS returns.
            #expect((evaluation.error != nil) == (decidedBy == ["service"]))
        }
    }

    @Test func theTableIsLargeAndCoversEveryPointOfSemanticsSectionsOneToThree() {
        #expect(EvaluationCase.all.count >= 150)
        let points = Set(EvaluationCase.all.map(\.point))
        let required = [
            "§1.1", "§1.2", "§1.3", "§1.4", "§2.1", "§2.2", "§2.3", "§2.4", "§2.5", "§2.6", "§2.7", "§3.1", "§3.2",
            "§3.5",
        ]
        for point in required { #expect(points.contains(point), "no case proves \(point)") }
        let decisions = Set(EvaluationCase.all.map(\.expect))
        #expect(decisions == [.allowed, .implicitlyDenied, .explicitlyDenied], "§1.5: all three outcomes occur")
    }
}
