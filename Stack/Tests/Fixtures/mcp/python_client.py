"""Python's MCP client (PyPI `mcp`), instrumented with openinference-instrumentation-mcp, calling
`stack mcp` inside a span of its own: the Swift server's TOOL span must join this trace.

    python_client.py PHOENIX_URL PROJECT STACK_EXECUTABLE   # starts `stack mcp` on stdio
    python_client.py PHOENIX_URL PROJECT http://HOST:PORT/mcp   # calls `stack mcp --http` (Streamable HTTP)

Prints one JSON line: the trace id and span id of the Python span, the tools listed and the result.
"""
import asyncio
import json
import os
import sys

from openinference.instrumentation.mcp import MCPInstrumentor
from opentelemetry import trace
from phoenix.otel import register

phoenix_url, project, stack = sys.argv[1:4]
provider = register(project_name=project, endpoint=f"{phoenix_url}/v1/traces", batch=False, set_global_tracer_provider=True, verbose=False)
MCPInstrumentor().instrument(tracer_provider=provider)

from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402


def transport(environment):
    """The instrumented transport to `stack mcp`: Streamable HTTP for a URL, else a child process on stdio."""
    if stack.startswith(("http://", "https://")):
        return streamable_http_client(stack)
    return stdio_client(StdioServerParameters(command=stack, args=["mcp", "--index", "/nonexistent/index.sqlite"], env=environment))


async def main() -> None:
    tracer = trace.get_tracer("python-mcp-client")
    environment = dict(os.environ, PHOENIX_COLLECTOR_ENDPOINT=phoenix_url, PHOENIX_PROJECT_NAME=project)
    with tracer.start_as_current_span("python-agent", attributes={"openinference.span.kind": "AGENT"}) as span:
        async with transport(environment) as (read, write, *_):
            async with ClientSession(read, write) as session:
                await session.initialize()
                listed = await session.list_tools()
                result = await session.call_tool("now", {"timezone": "Europe/Oslo"})
        context = span.get_span_context()
    print(
        json.dumps(
            {
                "trace_id": format(context.trace_id, "032x"),
                "span_id": format(context.span_id, "016x"),
                "tools": [tool.name for tool in listed.tools],
                "result": "".join(part.text for part in result.content if part.type == "text"),
                "is_error": bool(result.is_error),
            }
        ),
        flush=True,
    )


asyncio.run(main())
