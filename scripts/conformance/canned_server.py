"""A canned model server for the wire-API conformance check: fixed answers, every request body recorded.

    canned_server.py FIXTURES_DIR RECORD_DIR

Binds 127.0.0.1 on a free port and prints its URL on the first line of standard output. A request to
`/<api>/<case>/<anything>` (e.g. `/anthropic/1-tool/v1/messages`,
`/gemini/3-stream/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`) is answered with
FIXTURES_DIR/<api>/<case>.json (as application/json; HTTP 400 when the case's name ends in `-error`) or
<case>.sse (as text/event-stream, sent event by
event), whatever the rest of the path says, so an SDK pointed at `<URL>/<api>/<case>` chooses the path
itself.

The first request of each case is recorded: its body byte for byte in RECORD_DIR/<api>/<case>.body and
its path and query in <case>.target, so the Swift side can replay exactly what the Python SDK sent. A
later request of the case whose body or target differs from the recorded one is answered with HTTP 409.
"""
import http.server
import os
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    lock = threading.Lock()

    def log_message(self, format, *args):  # quiet: the check prints its own progress
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        pieces = self.path.split("?", 1)[0].strip("/").split("/")
        if len(pieces) < 3:
            return self.answer(404, "application/json", b'{"error":{"message":"no case in the path"}}')
        api, case = pieces[0], pieces[1]
        if not (case.replace("-", "").isalnum() and api.isalnum()):
            return self.answer(404, "application/json", b'{"error":{"message":"bad case name"}}')
        record = os.path.join(sys.argv[2], api)
        with self.lock:
            os.makedirs(record, exist_ok=True)
            body_file, target_file = os.path.join(record, case + ".body"), os.path.join(record, case + ".target")
            if not os.path.exists(body_file):
                with open(body_file, "wb") as out:
                    out.write(body)
                with open(target_file, "w") as out:
                    out.write(self.path)
            else:
                with open(body_file, "rb") as seen, open(target_file) as target:
                    if seen.read() != body or target.read() != self.path:
                        return self.answer(409, "application/json", b'{"error":{"message":"not the recorded request"}}')
        base = os.path.join(sys.argv[1], api, case)
        if os.path.exists(base + ".json"):
            with open(base + ".json", "rb") as fixture:
                # A case named `…-error` is the API refusing the request: HTTP 400 with its error body.
                return self.answer(400 if case.endswith("-error") else 200, "application/json", fixture.read())
        if os.path.exists(base + ".sse"):
            with open(base + ".sse", "rb") as fixture:
                data = fixture.read().strip()
            end = b"\r\n\r\n" if b"\r\n" in data else b"\n\n"  # Gemini ends its events with CRLF CRLF
            events = [event + end for event in data.split(end)]
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", str(sum(len(event) for event in events)))
            self.end_headers()
            for event in events:  # one write per event, as a server streams them
                self.wfile.write(event)
                self.wfile.flush()
            return
        return self.answer(404, "application/json", b'{"error":{"message":"no fixture for this case"}}')

    def answer(self, status, content_type, payload):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
