"""A scripted OpenAI-compatible model for load tests: every POST to /v1/chat/completions gets the
same short answer at once, with usage, so a soak measures the service and its tracing, not a model.

    python3 scripts/scripted_model.py PORT
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = json.dumps({
    "id": "chatcmpl-soak",
    "object": "chat.completion",
    "model": "scripted",
    "choices": [{"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": "SQLite suits one machine; Postgres suits many writers."}}],
    "usage": {"prompt_tokens": 60, "completion_tokens": 12, "total_tokens": 72},
}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; without this, delayed ACKs add 40 ms to each answer.
    disable_nagle_algorithm = True

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def do_GET(self):
        body = b'{"data":[{"id":"scripted"}]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
