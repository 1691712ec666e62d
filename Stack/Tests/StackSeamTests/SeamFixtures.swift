import Foundation
import StackTestSupport

/// Requests and answers both seams' tests send through a scripted model server.
enum SeamFixtures {
    static let key = "sk-seam-secret-123"

    static let chatRequest = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hi"}],"temperature":0.2}"#
    static let chatAnswer =
        #"{"id":"c1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hi."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}"#

    static let streamedRequest = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Count"}]}"#
    static let streamedEvents = [
        #"{"id":"c2","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"One"},"finish_reason":null}]}"#,
        #"{"id":"c2","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":", two"},"finish_reason":null}]}"#,
        #"{"id":"c2","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
    ]

    /// The bytes a client reads for ``streamedEvents``, as the scripted server writes them.
    static var streamedBody: String {
        (streamedEvents.map { "data: \($0)\n\n" } + ["data: [DONE]\n\n"]).joined()
    }

    static let anthropicRequest = #"{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#
    static let anthropicAnswer =
        #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello."}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":2}}"#
}
