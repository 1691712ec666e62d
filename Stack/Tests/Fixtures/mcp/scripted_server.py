"""A deliberately faulty MCP server on stdio (standard library only), for the failure tests.

    scripted_server.py MODE

It answers `initialize` and `tools/list` (one tool, `probe`) properly; `tools/call` then behaves by MODE:
ok (echoes the arguments and the `_meta` it received), crash (exits with status 3), hang (never answers),
error (`isError: true`), rpc-error (a JSON-RPC error), malformed (a result that is not a CallToolResult).
MODE exit-at-start exits before reading anything; MODE silent reads but never answers (not even `initialize`).
"""
import json
import sys
import time

mode = sys.argv[1]
if mode == "exit-at-start":
    sys.exit(7)
if mode == "silent":
    for _ in sys.stdin:
        pass
    sys.exit(0)


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    message = json.loads(line)
    method, request_id = message.get("method"), message.get("id")
    if request_id is None:
        continue  # notifications
    if method == "initialize":
        send({"jsonrpc": "2.0", "id": request_id, "result": {
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "scripted", "version": "1"},
        }})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": request_id, "result": {"tools": [{
            "name": "probe",
            "description": "Answers according to the server's mode.",
            "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}},
        }]}})
    elif method == "tools/call":
        params = message["params"]
        if mode == "ok":
            text = json.dumps({"arguments": params.get("arguments"), "meta": params.get("_meta")}, sort_keys=True)
            send({"jsonrpc": "2.0", "id": request_id, "result": {"content": [{"type": "text", "text": text}]}})
        elif mode == "crash":
            sys.exit(3)
        elif mode == "hang":
            time.sleep(3600)
        elif mode == "error":
            send({"jsonrpc": "2.0", "id": request_id, "result": {"content": [{"type": "text", "text": "the probe broke"}], "isError": True}})
        elif mode == "rpc-error":
            send({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32603, "message": "internal failure"}})
        elif mode == "malformed":
            send({"jsonrpc": "2.0", "id": request_id, "result": {"content": "not a list"}})
    else:
        send({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32601, "message": "method not found"}})
