import OpenInference
import StackEvaluation
import StackLLM
import Testing

@Suite("Code evaluators")
struct CodeEvaluatorTests {
    static let documents = [RetrievalDocument(id: "sqlite.md#2", content: "…"), RetrievalDocument(id: "postgres.md#1", content: "…")]

    @Test("An empty or blank answer scores 0, any answer 1", arguments: [("", 0.0), ("  \n", 0.0), ("Use SQLite.", 1.0)])
    func nonEmpty(answer: String, score: Double) async throws {
        #expect(try await NonEmptyAnswer().evaluate(EvaluationSample(input: "q", output: answer)).score == score)
    }

    @Test(
        "Only a citation of a retrieved passage counts",
        arguments: [
            ("See sqlite.md#2 for backups.", 1.0, "cited"),
            ("See backups.md#9.", 0.0, "uncited"),
            ("No citation at all.", 0.0, "uncited"),
        ]
    )
    func citations(answer: String, score: Double, label: String) async throws {
        let verdict = try await CitesRetrievedPassage().evaluate(EvaluationSample(input: "q", output: answer, documents: Self.documents))
        #expect(verdict.score == score)
        #expect(verdict.label == label)
    }

    @Test("Correctness against the reference is the share of its words in the answer")
    func matchesExpected() async throws {
        let sample = EvaluationSample(input: "q", output: "Run VACUUM INTO to back up SQLite", expected: "VACUUM INTO makes a backup copy")
        let verdict = try await MatchesExpected().evaluate(sample)
        #expect(verdict.score == 2.0 / 5.0)
        #expect(verdict.label == "mismatch")
    }

    @Test("Without a reference answer correctness is an evaluation error, not a score")
    func missingReference() async {
        await #expect(throws: EvaluationError(code: .missingInput, detail: "the example has no expected answer")) {
            try await MatchesExpected().evaluate(EvaluationSample(input: "q", output: "a"))
        }
    }
}

@Suite("Regression gate")
struct RegressionGateTests {
    @Test(
        "A drop beyond --max-drop fails, a drop within it or a rise passes",
        arguments: [(0.80, 0.90, true), (0.84, 0.90, true), (0.85, 0.90, false), (0.95, 0.90, false)]
    )
    func gate(current: Double, baseline: Double, regressed: Bool) {
        let rows = RegressionGate(maxDrop: 0.05).compare(current: ["correct": current], baseline: ["correct": baseline])
        #expect(rows.map(\.regressed) == [regressed])
    }

    @Test("An evaluator the baseline had but this run lost counts as a regression; a new one does not")
    func missingScores() {
        let rows = RegressionGate(maxDrop: 0.05).compare(current: ["new": 0.1], baseline: ["old": 0.9])
        #expect(rows.map(\.name) == ["new", "old"])
        #expect(rows.map(\.regressed) == [false, true])
    }

    @Test("Means are per evaluator and the table shows both sides and the change")
    func meansAndTable() {
        let means = RegressionGate.means([("a", 1), ("a", 0), ("b", 0.5)])
        #expect(means == ["a": 0.5, "b": 0.5])
        let rows = RegressionGate(maxDrop: 0.05).compare(current: means, baseline: ["a": 0.75, "b": 0.5])
        let table = RegressionGate.table(rows, baselineName: "exp-1")
        #expect(table.contains("exp-1"))
        #expect(table.contains("-0.250  REGRESSED"))
        #expect(table.contains("+0.000"))
    }
}

@Suite("Dataset files")
struct DatasetFileTests {
    @Test("Lines of input and expected become examples; blank lines are skipped")
    func parses() throws {
        let examples = try DatasetFile.parse("{\"input\":\"a?\",\"expected\":\"A.\"}\n\n{\"input\":\"b?\"}\n")
        #expect(examples.count == 2)
        #expect(examples[0].input == ["input": .string("a?")])
        #expect(examples[0].output == ["expected": .string("A.")])
        #expect(examples[1].output.isEmpty)
    }

    @Test(
        "A malformed line is an error naming its line",
        arguments: [
            ("{\"input\":\"a\"}\n{\"input\": oops}", 2),
            ("{\"input\":\"a\"}\n\n[1,2]", 3),
            ("{\"expected\":\"x\"}", 1),
            ("{\"input\":\"a\",\"answer\":\"x\"}", 1),
            ("\n\n", 0),
        ]
    )
    func rejects(text: String, line: Int) {
        #expect {
            try DatasetFile.parse(text)
        } throws: { error in
            (error as? DatasetFile.Error)?.line == line
        }
    }
}

@Suite("Judge output parsing")
struct JudgeOutputParserTests {
    static let parser = JudgeOutputParser(labels: ["correct": 1, "incorrect": 0])

    @Test(
        "A verdict is read from JSON (even inside prose) or from label/score lines",
        arguments: [
            (#"{"label": "correct", "score": 1, "explanation": "same facts"}"#, "correct", 1.0),
            ("Sure! {\"label\":\"incorrect\",\"score\":0.2,\"explanation\":\"wrong tool\"} Hope this helps.", "incorrect", 0.2),
            ("**Label:** Correct\n**Score:** 0.9\nExplanation: close enough", "correct", 0.9),
            ("label: incorrect", "incorrect", 0.0),
        ]
    )
    func parses(text: String, label: String, score: Double) throws {
        let verdict = try Self.parser.parse(text)
        #expect(verdict.label == label)
        #expect(verdict.score == score)
    }

    @Test(
        "Output the judge cannot be held to is an evaluation error",
        arguments: ["I think it is fine.", #"{"label": "maybe", "score": 0.5}"#, "label: correct\nscore: 7", ""]
    )
    func rejects(text: String) {
        #expect {
            try Self.parser.parse(text)
        } throws: { error in
            (error as? EvaluationError)?.code == .unparsableJudgement
        }
    }

    @Test("A judge that answers garbage gives an evaluation error; one that answers JSON a verdict")
    func judgeMechanics() async throws {
        let garbage = LLMJudge.correctness { _ in "The the the" }
        let sample = EvaluationSample(input: "q", output: "a", expected: "a")
        await #expect(throws: EvaluationError.self) { try await garbage.evaluate(sample) }
        let judge = LLMJudge.correctness { request in
            #expect(request.messages.last?.content?.contains("REFERENCE: a") == true)
            return #"{"label":"correct","score":1,"explanation":"same"}"#
        }
        #expect(try await judge.evaluate(sample).label == "correct")
        await #expect(throws: EvaluationError.self) { try await judge.evaluate(EvaluationSample(input: "q", output: "a")) }
    }
}
