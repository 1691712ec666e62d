"""Compares the LLM and EMBEDDING spans of two Phoenix projects attribute by attribute.

    compare.py PHOENIX_URL REFERENCE_PROJECT SWIFT_PROJECT

The reference project holds the spans of Python's openinference-instrumentation-openai
(python_calls.py), the other those of the Swift LLMClient (Stack/Examples/ConformanceCalls) or of the wire
recorder behind one HTTP seam (`stack call`, scripts/conformance/wire/) for the same calls. Spans are paired by kind in the order they started. For each pair the check fails on:
- a key the reference writes that the Swift span lacks;
- a differing value of a request-side key (JSON values compared parsed);
- a differing status code or set of event names;
- a key only the Swift span has that is not in EXTRA_KEYS, the justified differences that
  docs/conformance.md lists.
Values the model produces (output.value, output messages, finish reason, token counts, ids, vectors) are
compared by presence only. Exits non-zero with a report when anything differs.
"""
import json
import re
import sys

import time
import urllib.error
import urllib.parse
import urllib.request


def project_spans(base_url, project):
    """Every span of `project`, following Phoenix's pagination; none while Phoenix does not know it yet."""
    found, cursor = [], None
    while True:
        query = {"limit": "1000", **({"cursor": cursor} if cursor else {})}
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


def wait_for_spans(base_url, project, expected, timeout):
    """Polls until Phoenix holds the `expected` count of spans of each kind of `project` (ingestion is
    asynchronous; spans of other kinds, such as `stack call`'s CHAIN root, do not count)."""
    deadline = time.monotonic() + timeout
    seen = project_spans(base_url, project)
    while any(len(by_kind(seen, kind)) < count for kind, count in expected.items()) and time.monotonic() < deadline:
        time.sleep(0.5)
        seen = project_spans(base_url, project)
    return seen

# Keys whose values describe the request: they must be equal.
REQUEST_KEYS = [
    r"openinference\.span\.kind", r"llm\.system", r"llm\.provider", r"input\.value", r"input\.mime_type",
    r"llm\.invocation_parameters", r"llm\.input_messages\..*", r"llm\.tools\..*",
    r"embedding\.invocation_parameters", r"embedding\.embeddings\.\d+\.embedding\.text",
]
JSON_KEYS = [r"input\.value", r"output\.value", r"llm\.invocation_parameters", r"embedding\.invocation_parameters",
             r"llm\.tools\.\d+\.tool\.json_schema"]
# Keys only the Swift span writes, each with the reason it is kept (mirrored in docs/conformance.md).
EXTRA_KEYS = {
    r"llm\.model_name":
        "on a call that failed before any answer, the requested model: the specification's fallback when "
        "the response's model is unknown (Python records the model only from a response)",
    r"llm\.cost\..*": "cost in US dollars from the price table, when the model has a price",
    r"llm\.(request|response)\.model_name":
        "the requested and the answering model, keys of semantic conventions 0.1.42 that the OpenAI "
        "instrumentation 0.1.66 does not write yet",
    r"llm\.tools\.\d+\.tool\.(name|description)":
        "each offered tool's name and description beside its schema, as openinference-instrumentation "
        "0.1.72's get_llm_tool_attributes writes them; the OpenAI instrumentation 0.1.66 does not yet",
    r"embedding\.embeddings\.\d+\.embedding\.vector(\.\d+)?":
        "the vector of each text; llama.cpp answers one vector per token, which the Swift client mean-pools "
        "while Python's instrumentation cannot record a nested list",
}


def matches(patterns, key):
    return any(re.fullmatch(pattern, key) for pattern in patterns)


def normalized(key):
    # Phoenix flattens list values into indexed keys; a vector is one attribute.
    return re.sub(r"(embedding\.vector)\.\d+$", r"\1", key)


def attributes(span):
    flat = {}
    for key, value in span["attributes"].items():
        flat.setdefault(normalized(key), value)
    return flat


def parsed(key, value):
    if matches(JSON_KEYS, key) and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def by_kind(spans, kind):
    return sorted((s for s in spans if s["span_kind"] == kind), key=lambda s: s["start_time"])


def compare(reference, ours, label, problems):
    ref, mine = attributes(reference), attributes(ours)
    for key, value in ref.items():
        if key not in mine:
            problems.append(f"{label}: missing {key} (Python: {str(value)[:120]})")
        elif matches(REQUEST_KEYS, key) and parsed(key, value) != parsed(key, mine[key]):
            problems.append(f"{label}: {key} differs\n    Python: {str(value)[:300]}\n    Swift:  {str(mine[key])[:300]}")
    for key in mine.keys() - ref.keys():
        if not matches(EXTRA_KEYS, key):
            problems.append(f"{label}: extra key {key} not justified in EXTRA_KEYS / docs/conformance.md")
    if reference["status_code"] != ours["status_code"]:
        problems.append(f"{label}: status {ours['status_code']}, Python {reference['status_code']}")
    ref_events = sorted(e["name"] for e in reference["events"])
    our_events = sorted(e["name"] for e in ours["events"])
    if ref_events != our_events:
        problems.append(f"{label}: events {our_events}, Python {ref_events}")


def main():
    url, reference_project, swift_project = sys.argv[1:4]
    expected = {"LLM": 4, "EMBEDDING": 1}
    total = sum(expected.values())
    reference = wait_for_spans(url, reference_project, expected, timeout=60)
    ours = wait_for_spans(url, swift_project, expected, timeout=60)
    problems = []
    for kind, count in expected.items():
        ref_spans, our_spans = by_kind(reference, kind), by_kind(ours, kind)
        if len(ref_spans) != count or len(our_spans) != count:
            problems.append(f"{kind}: expected {count} spans each, Python has {len(ref_spans)}, Swift {len(our_spans)}")
            continue
        for index, (ref_span, our_span) in enumerate(zip(ref_spans, our_spans)):
            compare(ref_span, our_span, f"{kind} #{index + 1} ({ref_span['name']} / {our_span['name']})", problems)
    compared = sum(len(attributes(s)) for s in reference)
    if problems:
        print(f"conformance: {len(problems)} difference(s) from Python's OpenInference:", file=sys.stderr)
        for problem in problems:
            print("  - " + problem, file=sys.stderr)
        sys.exit(1)
    print(f"conformance: {total} span pairs, {compared} reference attributes: no unjustified difference")


if __name__ == "__main__":
    main()
