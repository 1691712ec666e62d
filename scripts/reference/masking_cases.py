"""Runs the reference TraceConfig.mask (openinference-instrumentation) on every pair of a trace
configuration and an attribute below, and prints the results as JSON: the cases
Tests/OpenInferenceTests/Resources/masking-cases.json holds and the library's MaskingReferenceTests
replay through the Swift TraceConfig.

Each configuration is a set of OPENINFERENCE_* environment variables, read by TraceConfig() as an
application would set them. A value is given as JSON, or as {"image": N} for a base64 data:image URL of
N characters. A result is "keep" (returned unchanged), "redact" (__REDACTED__) or "drop" (None).
"""
import importlib.metadata
import json
import os

from openinference.instrumentation import TraceConfig

REDACTED = "__REDACTED__"

CONFIGS = [
    {},
    {"OPENINFERENCE_HIDE_INPUTS": "true"},
    {"OPENINFERENCE_HIDE_OUTPUTS": "true"},
    {"OPENINFERENCE_HIDE_INPUTS": "true", "OPENINFERENCE_HIDE_OUTPUTS": "true"},
    {"OPENINFERENCE_HIDE_INPUT_MESSAGES": "true"},
    {"OPENINFERENCE_HIDE_OUTPUT_MESSAGES": "true"},
    {"OPENINFERENCE_HIDE_INPUT_IMAGES": "true"},
    {"OPENINFERENCE_HIDE_INPUT_TEXT": "true"},
    {"OPENINFERENCE_HIDE_OUTPUT_TEXT": "true"},
    {"OPENINFERENCE_HIDE_INPUT_TEXT": "true", "OPENINFERENCE_HIDE_INPUT_IMAGES": "true"},
    {"OPENINFERENCE_HIDE_LLM_TOOLS": "true"},
    {"OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS": "true"},
    {"OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS": "true"},
    {"OPENINFERENCE_HIDE_EMBEDDING_VECTORS": "true"},
    {"OPENINFERENCE_HIDE_EMBEDDINGS_TEXT": "true"},
    {"OPENINFERENCE_HIDE_RETRIEVAL_DOCUMENTS": "true"},
    {"OPENINFERENCE_HIDE_PROMPTS": "true"},
    {"OPENINFERENCE_HIDE_CHOICES": "true"},
    {"OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH": "0"},
    {"OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH": "-1"},
    {"OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH": "100"},
    {"OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH": "0", "OPENINFERENCE_HIDE_INPUT_TEXT": "true"},
]

SMALL_IMAGE = {"image": 60}
LARGE_IMAGE = {"image": 40_000}
HTTP_IMAGE = "https://example.com/cat.png"
IN = "llm.input_messages.0.message"
OUT = "llm.output_messages.0.message"

ATTRIBUTES = [
    ("input.value", "what is sqlite?"),
    ("input.mime_type", "text/plain"),
    ("output.value", "a database"),
    ("output.mime_type", "text/plain"),
    ("llm.invocation_parameters", '{"temperature":0.2}'),
    ("llm.model_name", "gpt-4o-mini"),
    ("llm.system", "openai"),
    ("llm.tools.0.tool.json_schema", '{"type":"function"}'),
    ("llm.tools.0.tool.name", "search"),
    ("llm.tools.0.tool.description", "searches the notes"),
    (f"{IN}.role", "user"),
    (f"{IN}.content", "hello"),
    (f"{IN}.contents.0.message_content.type", "text"),
    (f"{IN}.contents.0.message_content.text", "look at this"),
    (f"{IN}.contents.1.message_content.image.image.url", HTTP_IMAGE),
    (f"{IN}.contents.1.message_content.image.image.url", SMALL_IMAGE),
    (f"{IN}.contents.1.message_content.image.image.url", LARGE_IMAGE),
    (f"{IN}.contents.2.message_content.signature", "sig-1"),
    (f"{IN}.tool_calls.0.tool_call.function.arguments", '{"q":"x"}'),
    (f"{OUT}.content", "hi there"),
    (f"{OUT}.contents.0.message_content.text", "thinking"),
    (f"{OUT}.contents.1.message_content.image.image.url", SMALL_IMAGE),
    (f"{OUT}.contents.1.message_content.image.image.url", LARGE_IMAGE),
    ("llm.prompts.0.prompt.text", "Once upon a time"),
    ("llm.choices.0.completion.text", "there was a database"),
    ("input.images.0.image.url", HTTP_IMAGE),
    ("input.images.0.image.url", SMALL_IMAGE),
    ("input.images.0.image.url", LARGE_IMAGE),
    ("output.images.0.image.url", HTTP_IMAGE),
    ("output.images.0.image.url", SMALL_IMAGE),
    ("input.documents.0.document.url", "https://example.com/invoice.pdf"),
    ("output.documents.0.document.content", "the summary"),
    ("retrieval.documents.0.document.id", "d1"),
    ("retrieval.documents.0.document.content", "SQLite is a library"),
    ("retrieval.documents.0.document.metadata", '{"path":"a.md"}'),
    ("retrieval.documents.0.document.score", 0.5),
    ("reranker.query", "sqlite"),
    ("reranker.input_documents.0.document.content", "SQLite"),
    ("reranker.output_documents.0.document.content", "SQLite"),
    ("embedding.embeddings.0.embedding.text", "sqlite"),
    ("embedding.embeddings.0.embedding.vector", [0.25, 0.5]),
    ("tool.name", "search"),
    ("tool.parameters", '{"q":"x"}'),
    ("metadata", '{"tier":"free"}'),
    ("session.id", "s-1"),
]


def expand(value):
    if isinstance(value, dict) and "image" in value:
        prefix = "data:image/png;base64,"
        return prefix + "A" * (value["image"] - len(prefix))
    return value


def outcome(config, key, value):
    masked = config.mask(key, value)
    if masked is None:
        return "drop"
    if masked == REDACTED and value != REDACTED:
        return "redact"
    if masked == value:
        return "keep"
    raise SystemExit(f"{key}: the reference returned {masked!r}, which is neither the value, redacted nor None")


cases = []
for environment in CONFIGS:
    for name in [name for name in os.environ if name.startswith("OPENINFERENCE_")]:
        del os.environ[name]
    os.environ.update(environment)
    config = TraceConfig()
    for key, value in ATTRIBUTES:
        cases.append({"environment": environment, "key": key, "value": value, "result": outcome(config, key, expand(value))})

# One case a line, so a change of the reference reads as a diff of the cases it changes.
reference = f"openinference-instrumentation {importlib.metadata.version('openinference-instrumentation')}"
print(f'{{"reference": {json.dumps(reference)}, "cases": [')
print(",\n".join(json.dumps(case, sort_keys=True) for case in cases))
print("]}")
