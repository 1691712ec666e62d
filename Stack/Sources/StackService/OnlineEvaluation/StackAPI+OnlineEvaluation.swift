import OpenInference
import StackLLM

extension StackAPI {
    /// Hands the run the current request answered to ``onlineEvaluator`` (which samples it by trace id
    /// and never suspends): its root span is the request span, current here.
    func offerForEvaluation(input: String, output: String) {
        guard let onlineEvaluator, let request = TraceParent.current else { return }
        onlineEvaluator.offer(OnlineEvaluator.Run(traceID: request.traceID, rootSpanID: request.spanID, input: input, output: output))
    }

    /// Offers a chat completion: the last user message and the answer's text.
    func offerForEvaluation(_ chat: ChatRequest, answer: ChatResponse) {
        guard onlineEvaluator != nil else { return }
        let question = chat.messages.last { $0.role == "user" }?.content ?? ""
        offerForEvaluation(input: question, output: answer.message.content ?? "")
    }
}
