"""Compares the LLM and EMBEDDING spans of two Phoenix projects attribute by attribute.

    compare.py PHOENIX_URL REFERENCE_PROJECT SWIFT_PROJECT [--expect KIND=COUNT]... [--api API]

The reference project holds the spans of Python's openinference-instrumentation-openai
(python_calls.py), the other those of the Swift LLMClient (Stack/Examples/ConformanceCalls) or of the wire
recorder behind one HTTP seam (`stack call`, scripts/conformance/wire/) for the same calls; with `--api
responses|anthropic|gemini`, the spans of that API's Python instrumentor (python_wire_apis.py) and of the
wire recorder for the same recorded requests (scripts/conformance-wire-apis.sh), with that API's
ALLOWANCES applied. `--expect` gives the count of spans of a kind each project holds (default: LLM=4
EMBEDDING=1). Spans are paired by kind in the order they started. For each pair the check fails on:
- a key the reference writes that the Swift span lacks;
- a differing value of a request-side key (JSON values compared parsed);
- a differing status code or set of event names;
- a key only the Swift span has that is not in EXTRA_KEYS, the justified differences that
  docs/conformance.md lists.
Values the model produces (output.value, output messages, finish reason, token counts, ids, vectors) are
compared by presence only, except with `--api`: a canned answer is the same in both runs, so every value
is compared. Exits non-zero with a report when anything differs; prints each allowance
that applied.
"""
import argparse
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
# Keys whose values are compared as parsed JSON when they parse (Python writes `json.dumps` text, with
# spaces after `,` and `:`; Swift compact JSON): request bodies, parameters, tool schemas, tool-call
# arguments given as objects (Anthropic `input`, in tool calls and in `tool_use` parts; Gemini `args`) and tool results given as objects (Gemini
# `functionResponse.response`).
JSON_KEYS = [r"input\.value", r"output\.value", r"llm\.invocation_parameters", r"embedding\.invocation_parameters",
             r"llm\.tools\.\d+\.tool\.json_schema",
             r"llm\.(input|output)_messages\.\d+\.message\.tool_calls\.\d+\.tool_call\.function\.arguments",
             r"llm\.(input|output)_messages\.\d+\.message\.contents\.\d+\.tool_call\.function\.arguments",
             r"llm\.(input|output)_messages\.\d+\.message\.content"]
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


WIRE_TABLE = "docs/wire-recorder.md, table \"Differences from the reference kept (for now)\", row"
FIRST_TOKEN = "First Token Stream Event"


def allow_first_token_event(ref, mine, ref_events, our_events):
    if FIRST_TOKEN in our_events and FIRST_TOKEN not in ref_events:
        return ref, mine, ref_events, [e for e in our_events if e != FIRST_TOKEN], True
    return ref, mine, ref_events, our_events, False


def snake(value):
    """A parsed JSON value with every object key spelt in snake_case."""
    if isinstance(value, dict):
        return {re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), k): snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake(v) for v in value]
    return value


def allow_gemini_key_spelling(ref, mine, ref_events, our_events):
    applied = False
    ref, mine = dict(ref), dict(mine)
    for key in ("input.value", "llm.invocation_parameters"):
        if key in ref and key in mine:
            python, swift = parsed(key, ref[key]), parsed(key, mine[key])
            if python != swift and snake(python) == snake(swift):
                ref[key] = mine[key]
                applied = True
    return ref, mine, ref_events, our_events, applied


def allow_sdk_tool_nulls(ref, mine, ref_events, our_events):
    applied = False
    ref = dict(ref)
    for key in [k for k in ref if re.fullmatch(r"llm\.tools\.\d+\.tool\.json_schema", k)]:
        python, swift = parsed(key, ref[key]), parsed(key, mine.get(key))
        if isinstance(python, dict) and isinstance(swift, dict):
            trimmed = {k: v for k, v in python.items() if not (v is None and k not in swift)}
            if trimmed != python:
                ref[key] = json.dumps(trimmed)
                applied = True
    return ref, mine, ref_events, our_events, applied


def without_absent_nulls(python, swift):
    """`python` without the null members, at any depth, that `swift` does not have at that place."""
    if isinstance(python, dict) and isinstance(swift, dict):
        return {k: without_absent_nulls(v, swift.get(k)) for k, v in python.items() if not (v is None and k not in swift)}
    if isinstance(python, list) and isinstance(swift, list) and len(python) == len(swift):
        return [without_absent_nulls(p, w) for p, w in zip(python, swift)]
    return python


def allow_sdk_output_nulls(ref, mine, ref_events, our_events):
    key = "output.value"
    if key not in ref or key not in mine:
        return ref, mine, ref_events, our_events, False
    python, swift = parsed(key, ref[key]), parsed(key, mine[key])
    trimmed = without_absent_nulls(python, swift)
    if trimmed == python:
        return ref, mine, ref_events, our_events, False
    ref = dict(ref)
    ref[key] = json.dumps(trimmed)
    return ref, mine, ref_events, our_events, True


def allow_gemini_output(ref, mine, ref_events, our_events):
    key = "output.value"
    if key not in ref or key not in mine:
        return ref, mine, ref_events, our_events, False
    python, swift = parsed(key, ref[key]), parsed(key, mine[key])
    if not (isinstance(python, dict) and isinstance(swift, dict)) or python == swift:
        return ref, mine, ref_events, our_events, False
    trimmed = without_absent_nulls(snake({k: v for k, v in python.items() if k != "sdk_http_response"}), snake(swift))
    if trimmed != snake(swift):
        return ref, mine, ref_events, our_events, False
    ref = dict(ref)
    ref[key] = mine[key]
    return ref, mine, ref_events, our_events, True


# Per API (--api), the differences from the Python instrumentor that are kept, each a narrow rewrite of
# one side applied before comparing, named by the row of docs/wire-recorder.md's table that justifies it
# (each run prints where one applied).
ALLOWANCES = {
    "responses": [
        (f"{WIRE_TABLE} \"Responses tools in `llm.tools.N.tool.json_schema` as the body sends them\": only "
         "null members the Swift schema lacks are dropped", allow_sdk_tool_nulls),
        # Row "Responses input messages start at index 0 when there are no `instructions`" needs no
        # allowance here: Phoenix stores llm.input_messages as a list, so Python's indices 1.. come back as 0..
    ],
    "anthropic": [
        (f"{WIRE_TABLE} \"`output.value` is the response body as received\": only null members the body does "
         "not have are dropped from Python's", allow_sdk_output_nulls),
        (f"{WIRE_TABLE} \"`First Token Stream Event` on Anthropic and Gemini streams too\"", allow_first_token_event),
    ],
    "gemini": [
        (f"{WIRE_TABLE} \"`output.value` is the response body as received\": Python's without its "
         "`sdk_http_response` (the response headers) and the null members the body does not have, keys spelt "
         "snake_case on both sides, must equal the body", allow_gemini_output),
        (f"{WIRE_TABLE} \"`First Token Stream Event` on Anthropic and Gemini streams too\"", allow_first_token_event),
        (f"{WIRE_TABLE} \"Gemini `input.value` and `llm.invocation_parameters` keys in the REST API's camelCase\": "
         "accepted only when the two are equal once every key is spelt snake_case", allow_gemini_key_spelling),
    ],
}


def compare(reference, ours, label, problems, allowances=(), applied=None, exact=False):
    ref, mine = attributes(reference), attributes(ours)
    ref_events = sorted(e["name"] for e in reference["events"])
    our_events = sorted(e["name"] for e in ours["events"])
    for reason, allow in allowances:
        ref, mine, ref_events, our_events, used = allow(ref, mine, ref_events, our_events)
        if used and applied is not None:
            applied.setdefault(reason, []).append(label)
    for key, value in ref.items():
        if key not in mine:
            problems.append(f"{label}: missing {key} (Python: {str(value)[:120]})")
        elif (exact or matches(REQUEST_KEYS, key)) and parsed(key, value) != parsed(key, mine[key]):
            problems.append(f"{label}: {key} differs\n    Python: {str(value)[:300]}\n    Swift:  {str(mine[key])[:300]}")
    for key in mine.keys() - ref.keys():
        if not matches(EXTRA_KEYS, key):
            problems.append(f"{label}: extra key {key} not justified in EXTRA_KEYS / docs/conformance.md")
    if reference["status_code"] != ours["status_code"]:
        problems.append(f"{label}: status {ours['status_code']}, Python {reference['status_code']}")
    if ref_events != our_events:
        problems.append(f"{label}: events {our_events}, Python {ref_events}")


def expectation(text):
    kind, _, count = text.partition("=")
    if not kind or not count.isdigit():
        raise argparse.ArgumentTypeError(f"expected KIND=COUNT, e.g. LLM=3, not {text!r}")
    return kind, int(count)


def main():
    parser = argparse.ArgumentParser(description="Compares the LLM and EMBEDDING spans of two Phoenix projects.")
    parser.add_argument("phoenix_url")
    parser.add_argument("reference_project")
    parser.add_argument("swift_project")
    parser.add_argument("--expect", type=expectation, action="append", metavar="KIND=COUNT",
                        help="spans of KIND each project holds (repeatable; default LLM=4 EMBEDDING=1)")
    parser.add_argument("--api", choices=sorted(ALLOWANCES), help="apply this API's ALLOWANCES")
    args = parser.parse_args()
    url, reference_project, swift_project = args.phoenix_url, args.reference_project, args.swift_project
    expected = dict(args.expect) if args.expect else {"LLM": 4, "EMBEDDING": 1}
    allowances = ALLOWANCES.get(args.api, [])
    total = sum(expected.values())
    reference = wait_for_spans(url, reference_project, expected, timeout=60)
    ours = wait_for_spans(url, swift_project, expected, timeout=60)
    problems, applied = [], {}
    for kind, count in expected.items():
        ref_spans, our_spans = by_kind(reference, kind), by_kind(ours, kind)
        if len(ref_spans) != count or len(our_spans) != count:
            problems.append(f"{kind}: expected {count} spans each, Python has {len(ref_spans)}, Swift {len(our_spans)}")
            continue
        for index, (ref_span, our_span) in enumerate(zip(ref_spans, our_spans)):
            label = f"{kind} #{index + 1} ({ref_span['name']} / {our_span['name']})"
            compare(ref_span, our_span, label, problems, allowances, applied, exact=args.api is not None)
    compared = sum(len(attributes(s)) for s in reference if s["span_kind"] in expected)
    for reason, labels in applied.items():
        print(f"conformance: allowed on {', '.join(labels)}: {reason}")
    if problems:
        print(f"conformance: {len(problems)} difference(s) from Python's OpenInference:", file=sys.stderr)
        for problem in problems:
            print("  - " + problem, file=sys.stderr)
        sys.exit(1)
    print(f"conformance: {total} span pairs, {compared} reference attributes: no unjustified difference")


if __name__ == "__main__":
    main()
