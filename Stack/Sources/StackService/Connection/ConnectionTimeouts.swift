/// How long one connection to `stack serve` may take at each stage before it is closed, so a client
/// that trickles bytes or sits idle cannot hold a descriptor and a task for long.
///
/// | Variable | Field | Default |
/// |---|---|---|
/// | `STACK_HEADER_TIMEOUT` | ``header``: from a request's first byte to the end of its headers | 10 s |
/// | `STACK_READ_TIMEOUT` | ``read``: from the end of the headers to the end of the body | 30 s |
/// | `STACK_IDLE_TIMEOUT` | ``idle``: a connection without a request in progress (new or kept alive) | 15 s |
///
/// A request past ``header`` or ``read`` gets 408 (JSON, with `X-Trace-Id`) and the connection closes;
/// an idle connection is closed silently. Answering is not bounded here: the model call has its own
/// timeout (`OPENAI_TIMEOUT`), and a stream is as long as the answer.
public struct ConnectionTimeouts: Sendable, Hashable {
    /// From a request's first byte to the end of its request line and headers.
    public var header: Duration
    /// From the end of a request's headers to the end of its body.
    public var read: Duration
    /// How long a connection may wait for its next request.
    public var idle: Duration

    /// Timeouts with the defaults in the table above.
    public init(header: Duration = .seconds(10), read: Duration = .seconds(30), idle: Duration = .seconds(15)) {
        self.header = header
        self.read = read
        self.idle = idle
    }
}
