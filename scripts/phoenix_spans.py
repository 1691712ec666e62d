"""Reads spans back from Phoenix's REST API for the project's shell checks.

    from phoenix_spans import wait_for_spans
    spans = wait_for_spans(base_url, project, trace_id=trace_id, at_least=2)

Follows pagination, treats a project Phoenix does not know yet as empty (it appears with its first
span), and polls until at least `at_least` spans are there or `timeout` seconds pass: ingestion is
asynchronous. Returns the spans seen last, so the caller's assertions say what was missing.
"""
import json
import time
import urllib.error
import urllib.parse
import urllib.request


def spans(base_url, project, trace_id=None):
    found, cursor = [], None
    while True:
        query = {"limit": "1000"}
        if trace_id:
            query["trace_id"] = trace_id
        if cursor:
            query["cursor"] = cursor
        url = f"{base_url}/v1/projects/{urllib.parse.quote(project, safe='')}/spans?{urllib.parse.urlencode(query)}"
        try:
            with urllib.request.urlopen(url, timeout=120) as answer:
                page = json.load(answer)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return found
            raise
        found += page["data"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def wait_for_spans(base_url, project, trace_id=None, at_least=1, timeout=30.0, poll=0.5):
    deadline = time.monotonic() + timeout
    seen = spans(base_url, project, trace_id)
    while len(seen) < at_least and time.monotonic() < deadline:
        time.sleep(poll)
        seen = spans(base_url, project, trace_id)
    return seen
