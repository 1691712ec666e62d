"""Measures what Phoenix holds in memory: spans it acknowledged (HTTP 200) but has not written yet.

Run with Phoenix's own interpreter (it has the OTLP protobuf classes and httpx), against a private
Phoenix on SQLite (scripts/phoenix.sh start DIR; the database is DIR/working/phoenix.db):

  python scripts/phoenix-backlog.py backlog    BASE_URL DB RPS SECONDS [SPANS_PER_REQUEST] [ATTRIBUTE_BYTES]
  python scripts/phoenix-backlog.py duplicates BASE_URL DB REQUESTS

`backlog` posts traces at RPS requests a second for SECONDS and polls the span count of the database
every 0.25 s; it prints the most spans acknowledged and not yet written, how long acknowledged spans
waited to be written, and the ingestion rate. `duplicates` posts REQUESTS new traces, waits until they
are written, posts the same bodies again followed by one new span, and times both passes (Phoenix's
queue is first in, first out, so the new span is written after every duplicate was gone through).
"""
import os
import sqlite3
import sys
import threading
import time

import httpx
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue


def request_body(spans: int, attribute_bytes: int, project: str) -> bytes:
    """One trace of `spans` nested spans, each with an `attribute_bytes`-long input value."""
    request = ExportTraceServiceRequest()
    resource = request.resource_spans.add()
    resource.resource.attributes.append(KeyValue(key="openinference.project.name", value=AnyValue(string_value=project)))
    scope = resource.scope_spans.add()
    trace_id, now, parent = os.urandom(16), time.time_ns(), b""
    for index in range(spans):
        span = scope.spans.add()
        span.trace_id, span.span_id, span.parent_span_id = trace_id, os.urandom(8), parent
        parent = span.span_id
        span.name = f"span-{index}"
        span.start_time_unix_nano, span.end_time_unix_nano = now, now + 1_000_000
        kind = "LLM" if index == spans - 1 else "CHAIN"
        span.attributes.append(KeyValue(key="openinference.span.kind", value=AnyValue(string_value=kind)))
        span.attributes.append(KeyValue(key="input.value", value=AnyValue(string_value="x" * attribute_bytes)))
    return request.SerializeToString()


def span_count(connection: sqlite3.Connection) -> int:
    return connection.execute("select count(*) from spans").fetchone()[0]


def post(client: httpx.Client, base: str, body: bytes) -> bool:
    try:
        answer = client.post(f"{base}/v1/traces", content=body, headers={"Content-Type": "application/x-protobuf"})
        return answer.status_code == 200
    except httpx.HTTPError:
        return False


def backlog(base: str, db: str, rps: float, seconds: float, spans: int = 3, attribute_bytes: int = 600) -> None:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5, check_same_thread=False)
    initial = span_count(connection)
    acknowledged: list[tuple[float, int]] = []  # (time, spans acknowledged so far)
    written: list[tuple[float, int]] = []  # (time, spans in the database beyond `initial`)
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            try:
                written.append((time.monotonic(), span_count(connection) - initial))
            except sqlite3.Error:
                pass
            time.sleep(0.25)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    client = httpx.Client(timeout=10)
    start, sent, total, errors, body_bytes = time.monotonic(), 0, 0, 0, 0
    while time.monotonic() - start < seconds:
        pause = start + sent / rps - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        body = request_body(spans, attribute_bytes, "backlog")
        body_bytes += len(body)
        sent += 1
        if post(client, base, body):
            total += spans
            acknowledged.append((time.monotonic(), total))
        else:
            errors += 1
    end = time.monotonic()
    while time.monotonic() - end < 600 and not (written and written[-1][1] >= total):
        time.sleep(0.5)
    done.set()
    poller.join()

    def written_at(moment: float) -> int:
        count = 0
        for when, value in written:
            if when > moment:
                break
            count = value
        return count

    per_span = body_bytes / max(1, sent * spans)
    pending = max((count - written_at(when) for when, count in acknowledged), default=0)
    waits = []
    for when, count in acknowledged[:: max(1, len(acknowledged) // 400)]:
        reached = next((moment for moment, value in written if value >= count), None)
        if reached is not None:
            waits.append(reached - when)
    waits.sort()
    print(f"requests {sent} acknowledged_spans {total} errors {errors} achieved_rps {sent / (end - start):.1f}")
    print(f"otlp_bytes_per_span {per_span:.0f}")
    print(f"most_acknowledged_not_written_spans {pending} ({pending * per_span / 1e6:.1f} MB of OTLP)")
    if waits:
        print(f"acknowledged_to_written_seconds max {waits[-1]:.1f} median {waits[len(waits) // 2]:.1f}")
    caught_up = next((moment for moment, value in written if value >= total), None)
    if caught_up is not None:
        print(f"caught_up_after_load_seconds {caught_up - end:.1f} ingestion_spans_per_second {total / (caught_up - start):.1f}")


def duplicates(base: str, db: str, requests: int) -> None:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    client = httpx.Client(timeout=30)
    bodies = [request_body(3, 600, "duplicates") for _ in range(requests)]
    initial = span_count(connection)

    def timed(batch: list[bytes], expected: int) -> float:
        started = time.monotonic()
        for body in batch:
            if not post(client, base, body):
                sys.exit("Phoenix did not acknowledge a request")
        while span_count(connection) < expected:
            time.sleep(0.2)
        return time.monotonic() - started

    new = timed(bodies, initial + 3 * requests)
    again = timed(bodies + [request_body(1, 600, "duplicates")], initial + 3 * requests + 1)
    print(f"{3 * requests} new spans written in {new:.1f} s ({3 * requests / new:.0f} a second); "
          f"the same spans again gone through in {again:.1f} s ({3 * requests / again:.0f} a second)")


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "backlog":
        backlog(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), *map(int, sys.argv[6:8]))
    elif len(sys.argv) == 5 and sys.argv[1] == "duplicates":
        duplicates(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
