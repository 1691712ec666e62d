import Tracing

/// A span that takes the attributes of a recording step straight into its own storage, without the
/// copy that `Span.updateAttributes` makes of everything recorded so far and without building a
/// dictionary. Tracers implement it for speed; the helpers fall back to `Span.attributes` for spans
/// that do not.
package protocol SpanAttributeBatchRecording: Sendable {
    /// Runs `write` with a writer whose sink is this span's storage, so each attribute it sets is
    /// masked by `config` and stored in order (a later value for a key replaces an earlier one).
    ///
    /// `write` must not block; it may record on this span again (the nested attributes are kept too).
    func recordAttributes(config: TraceConfig, _ write: (inout AttributeWriter) -> Void)

    /// Whether the span's status is ERROR, so a helper does not mark a failed operation OK.
    var hasErrorStatus: Bool { get }
}
