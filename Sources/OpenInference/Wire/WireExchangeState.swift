import Foundation

/// The mutable part of a ``WireExchange``, kept behind its lock: the API's reader, the span, and where the
/// response has got to.
struct WireExchangeState {
    private var api: any WireAPI
    private let span: OpenInferenceSpan
    private var status: Int?
    private var isStream = false
    /// A body that is not a stream, kept until it ends (it is parsed whole).
    private var body = Data()
    private var parser = ServerSentEventParser()
    private var events = 0
    private var sawDone = false
    private var sawFirstToken = false
    /// When the request was recorded, for the time to the first chunk.
    private let requested = ContinuousClock.now
    private var ended = false
    /// Why something could not be recorded as given; written as `openinference.swift.recording_issue`.
    private var notes: [String] = []
    private var skippedEvents = 0
    private var firstSkip: String?

    init(api: any WireAPI, span: OpenInferenceSpan) {
        self.api = api
        self.span = span
    }

    private var isRecording: Bool { !ended && span.span.isRecording }
    private var succeeded: Bool { status.map { (200..<300).contains($0) } ?? true }

    // MARK: The request

    /// Reads the request body and starts the span with what it says.
    mutating func recordRequest(url: URL, body: Data?) {
        var request: WireRequestRecord?
        var input: (text: String, isJSON: Bool)?
        if let body, !body.isEmpty {
            do {
                let json = try OpenInferenceJSON.parse(body)
                if let object = json.objectValue {
                    request = api.readRequest(object)
                    notes += request?.notes ?? []
                } else {
                    notes.append("the request body is JSON but not an object, so no request attributes were read")
                }
                input = (WireImageRedaction.redacted(json, body: body, config: span.config), true)
            } catch {
                notes.append("the request body is not JSON (\(error)), so no request attributes were read")
                input = (String(decoding: body, as: UTF8.self), false)
            }
        } else {
            notes.append("the request has no body, so no request attributes were read")
        }
        let kind = api.kind
        let system = api.system
        let provider = url.host.flatMap(LLMProvider.inferred(fromHost:)) ?? api.fallbackProvider
        let notes = notes
        span.start(kind: kind) { writer in
            writer.set(SemanticConventions.LLM.system, system)
            writer.set(SemanticConventions.LLM.provider, provider)
            if let input {
                writer.set(SemanticConventions.Input.value, input.text)
                writer.set(SemanticConventions.Input.mimeType, input.isJSON ? "application/json" : "text/plain")
            }
            if let request { Self.write(request, kind: kind, into: &writer) }
            if !notes.isEmpty { writer.set(SemanticConventions.Recording.issue, notes.joined(separator: "; ")) }
        }
    }

    private static func write(_ request: WireRequestRecord, kind: OpenInferenceSpanKind, into writer: inout AttributeWriter) {
        if kind == .embedding {
            writer.set(SemanticConventions.Embedding.modelName, request.model)
            writer.set(SemanticConventions.Embedding.invocationParameters, json: request.parameters)
            for (index, text) in request.embeddingTexts.enumerated() {
                writer.set(AttributeKeys.embedding(index, SemanticConventions.Embedding.text), text)
            }
            return
        }
        writer.set(SemanticConventions.LLM.modelName, request.model)
        if request.recordsRequestModel { writer.set(SemanticConventions.LLM.requestModelName, request.model) }
        writer.set(SemanticConventions.LLM.invocationParameters, json: request.parameters)
        writer.set(messages: request.messages, under: SemanticConventions.LLM.inputMessages)
        for (index, tool) in request.tools.enumerated() {
            writer.set(AttributeKeys.toolJSONSchema(index), json: tool)
        }
    }

    // MARK: The response

    mutating func receiveResponse(status: Int, headers: [String: String]) {
        guard isRecording, self.status == nil else { return }
        self.status = status
        let contentType = headers.first { $0.key.lowercased() == "content-type" }?.value.lowercased()
        isStream = contentType?.contains("text/event-stream") == true && succeeded
    }

    mutating func receiveBody(_ chunk: Data) {
        guard isRecording else { return }
        guard isStream else {
            body.append(contentsOf: chunk)
            return
        }
        for payload in parser.feed(chunk) { read(event: payload) }
    }

    /// Reads one server-sent event's data.
    private mutating func read(event payload: String) {
        if payload == "[DONE]" {
            sawDone = true
            return
        }
        events += 1
        let event: [String: OpenInferenceJSON]
        do {
            guard let object = try OpenInferenceJSON.parse(Data(payload.utf8)).objectValue else {
                skip("stream event \(events) is not a JSON object")
                return
            }
            event = object
        } catch {
            skip("stream event \(events) is not JSON (\(error))")
            return
        }
        if api.readStreamEvent(event), !sawFirstToken {
            sawFirstToken = true
            span.addEvent(WireExchange.firstTokenEvent)
            LLMSpan(base: span).recordTimeToFirstChunk(ContinuousClock.now - requested)
        }
    }

    mutating func finish() {
        guard isRecording else { return }
        if isStream {
            if let last = parser.finish() { read(event: last) }
            if !api.streamIsComplete(sawDone: sawDone) {
                note("the stream ended after \(events) events without the event that closes it, so the answer may be cut short")
            }
            recordStreamedResponse()
            if let failure = api.streamFailure {
                end(error: WireHTTPError(status: status ?? 200, inStream: true, message: failure))
                return
            }
        } else {
            recordWholeBody()
        }
        end(error: nil)
    }

    mutating func fail(_ error: any Error) {
        guard isRecording else { return }
        if isStream {
            note("the stream broke off after \(events) events; the answer recorded is what arrived before")
            recordStreamedResponse()
        } else if !body.isEmpty {
            note("the call failed after \(body.count) bytes of the response body, which were not recorded")
        }
        end(error: error)
    }

    mutating func abandon() {
        guard isRecording else { return }
        note("the exchange was released before its response ended, so the response was not recorded")
        end(error: nil)
    }

    private mutating func recordWholeBody() {
        let json: OpenInferenceJSON
        do {
            json = try OpenInferenceJSON.parse(body)
        } catch {
            if succeeded {
                note("the response body is not JSON (\(error)), so no response attributes were read")
                let text = String(decoding: body, as: UTF8.self)
                span.record { writer in
                    writer.set(SemanticConventions.Output.value, text)
                    writer.set(SemanticConventions.Output.mimeType, "text/plain")
                }
            }
            if !succeeded, let status { span.recordError(WireHTTPError(status: status, message: nil)) }
            return
        }
        if !succeeded, let status {
            span.recordError(WireHTTPError(status: status, message: WireHTTPError.message(in: json)))
            return
        }
        if let object = json.objectValue {
            record(api.readResponse(object), outputJSON: String(decoding: body, as: UTF8.self))
        } else if let elements = json.arrayValue {
            // A stream sent as one JSON array (Gemini's `streamGenerateContent` without `alt=sse`).
            for element in elements {
                if let event = element.objectValue { _ = api.readStreamEvent(event) }
            }
            recordStreamedResponse()
        } else {
            note("the response body is JSON but not an object, so no response attributes were read")
        }
    }

    private mutating func recordStreamedResponse() {
        guard let merged = api.streamedResponse else {
            note("the stream carried no events, so no response attributes were read")
            return
        }
        record(api.readResponse(merged), outputJSON: OpenInferenceJSON.object(merged).jsonString)
    }

    private mutating func record(_ response: WireResponseRecord, outputJSON: String) {
        notes += response.notes
        let kind = api.kind
        span.record { writer in
            if kind == .embedding {
                writer.set(SemanticConventions.Embedding.modelName, response.model)
            } else {
                writer.set(SemanticConventions.LLM.modelName, response.model)
                if response.recordsResponseModel { writer.set(SemanticConventions.LLM.responseModelName, response.model) }
                writer.set(messages: response.messages, under: SemanticConventions.LLM.outputMessages)
                writer.set(SemanticConventions.LLM.finishReason, response.finishReason)
                for (index, tool) in response.tools.enumerated() {
                    writer.set(AttributeKeys.toolJSONSchema(index), json: tool)
                }
            }
            writer.set(SemanticConventions.Output.value, outputJSON)
            writer.set(SemanticConventions.Output.mimeType, "application/json")
        }
        if kind == .embedding {
            let embedding = EmbeddingSpan(base: span)
            if !response.vectors.isEmpty { embedding.recordVectors(response.vectors) }
            if let usage = response.usage { embedding.recordTokenUsage(usage) }
        } else if let usage = response.usage {
            LLMSpan(base: span).recordTokenUsage(usage)
        }
    }

    private mutating func note(_ issue: String) {
        notes.append(issue)
    }

    /// Notes the first stream event skipped, with why, and counts the others (a stream of events that are
    /// not JSON would otherwise grow the note without bound).
    private mutating func skip(_ why: String) {
        skippedEvents += 1
        if skippedEvents == 1 { firstSkip = why }
    }

    private mutating func end(error: (any Error)?) {
        if let firstSkip {
            let others = skippedEvents - 1
            notes.append(
                firstSkip + (others > 0 ? ", and \(others) more could not be read either, so they were" : ", so it was") + " skipped"
            )
        }
        if !notes.isEmpty {
            let issues = notes.joined(separator: "; ")
            span.record { $0.set(SemanticConventions.Recording.issue, issues) }
        }
        if let error { span.recordError(error) }
        span.markSucceeded()
        span.end()
        ended = true
    }
}
