import Foundation

/// Hides images inside a request body recorded as `input.value`, as the trace configuration asks: every
/// image with ``TraceConfig/hideInputImages``, a base64 image longer than
/// ``TraceConfig/base64ImageMaxLength`` always, in each API's image shape (OpenAI's `image_url`, Anthropic's
/// base64 `source`, Gemini's `inlineData`).
enum WireImageRedaction {
    /// The body's text, with its images replaced by ``TraceConfig/redacted`` where the configuration hides
    /// them; the text as sent, not re-encoded, when nothing is hidden.
    static func redacted(_ json: OpenInferenceJSON, body: Data, config: TraceConfig) -> String {
        // A body shorter than the base64 limit can only hold an image to hide when every image is hidden.
        if config.hideInputImages || body.count > config.base64ImageMaxLength {
            let (hidden, changed) = walk(json, config: config)
            if changed { return hidden.jsonString }
        }
        return String(decoding: body, as: UTF8.self)
    }

    private static func walk(_ value: OpenInferenceJSON, config: TraceConfig) -> (OpenInferenceJSON, Bool) {
        switch value {
        case .array(var elements):
            var changed = false
            for index in elements.indices {
                let (element, elementChanged) = walk(elements[index], config: config)
                if elementChanged {
                    elements[index] = element
                    changed = true
                }
            }
            return (changed ? .array(elements) : value, changed)
        case .object(var members):
            var changed = false
            for (key, member) in members {
                let (hidden, memberChanged) = hide(key: key, member, in: members, config: config)
                if memberChanged {
                    members[key] = hidden
                    changed = true
                }
            }
            return (changed ? .object(members) : value, changed)
        default:
            return (value, false)
        }
    }

    /// `member` (under `key` of `object`) with a hidden image redacted, or walked into.
    private static func hide(
        key: String,
        _ member: OpenInferenceJSON,
        in object: [String: OpenInferenceJSON],
        config: TraceConfig
    ) -> (OpenInferenceJSON, Bool) {
        let redacted = OpenInferenceJSON.string(TraceConfig.redacted)
        switch key {
        case "url" where object["detail"] != nil || object.count == 1:
            // OpenAI Chat: `"image_url": {"url": …, "detail": …}`.
            if let url = member.stringValue, config.hidesImageURL(url) { return (redacted, true) }
        case "image_url":
            // OpenAI Responses: `"image_url": "…"`.
            if let url = member.stringValue, config.hidesImageURL(url) { return (redacted, true) }
        case "data":
            // Anthropic `{"type": "base64", "media_type": …, "data": …}`; Gemini `{"mimeType": …, "data": …}`.
            let mediaType = (object["media_type"] ?? object["mimeType"] ?? object["mime_type"])?.stringValue
            if let mediaType, mediaType.hasPrefix("image/"), let data = member.stringValue,
                config.hideInputImages
                    || "data:\(mediaType);base64,".utf8.count + data.utf8.count > config.base64ImageMaxLength
            {
                return (redacted, true)
            }
        default:
            break
        }
        return walk(member, config: config)
    }
}
