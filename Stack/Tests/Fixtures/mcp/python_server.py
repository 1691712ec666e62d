"""A Python MCP server (PyPI `mcp`) instrumented with openinference-instrumentation-mcp, for the test in
which our agent calls it: its tool's TOOL span must join the caller's trace through `_meta`.

    python_server.py PHOENIX_URL PROJECT          # serves on stdio
    python_server.py PHOENIX_URL PROJECT --http   # Streamable HTTP (JSON answers) on a free loopback port

With --http it prints "serving MCP at http://127.0.0.1:PORT/mcp" once listening and runs until SIGTERM.
Spans are exported as they end (no batching), so they are in Phoenix before the answer.
"""
import socket
import sys

from openinference.instrumentation.mcp import MCPInstrumentor
from opentelemetry import trace
from phoenix.otel import register

phoenix_url, project = sys.argv[1:3]
provider = register(project_name=project, endpoint=f"{phoenix_url}/v1/traces", batch=False, set_global_tracer_provider=True, verbose=False)
MCPInstrumentor().instrument(tracer_provider=provider)

from mcp.server.mcpserver import MCPServer  # noqa: E402 (imported after instrumenting, as the docs ask)

server = MCPServer("python-words")
tracer = trace.get_tracer("python-words")


@server.tool()
def word_count(text: str) -> str:
    """Counts the words in a text."""
    with tracer.start_as_current_span(
        "word_count",
        attributes={"openinference.span.kind": "TOOL", "tool.name": "word_count", "input.value": text},
    ) as span:
        result = str(len(text.split()))
        span.set_attribute("output.value", result)
        return result


if sys.argv[3:] == ["--http"]:
    import anyio
    import uvicorn

    # JSON answers: the Swift SDK's Linux HTTP client cannot read event-stream ones.
    app = server.streamable_http_app(json_response=True, host="127.0.0.1")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # connections wait in the backlog until uvicorn accepts them
    print(f"serving MCP at http://127.0.0.1:{listener.getsockname()[1]}/mcp", flush=True)
    anyio.run(lambda: uvicorn.Server(uvicorn.Config(app, log_level="warning")).serve(sockets=[listener]))
else:
    server.run()
