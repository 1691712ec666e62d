"""The conformance check's OpenAI calls, made through Python's openinference-instrumentation-openai.

    python_calls.py MODEL_BASE_URL PHOENIX_URL PROJECT

Exports to PROJECT in Phoenix. Stack/Examples/ConformanceCalls/main.swift makes the same calls through
the Swift LLMClient: keep the two identical.
"""
import sys

import openai
from openinference.instrumentation.openai import OpenAIInstrumentor
from phoenix.otel import register

model_url, phoenix_url, project = sys.argv[1:4]
provider = register(project_name=project, endpoint=f"{phoenix_url}/v1/traces", batch=False, set_global_tracer_provider=False)
OpenAIInstrumentor().instrument(tracer_provider=provider)
client = openai.OpenAI(base_url=model_url, api_key="unused", max_retries=0)

weather = {
    "type": "function",
    "function": {
        "name": "weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
question = [
    {"role": "system", "content": "You can call tools."},
    {"role": "user", "content": "What is the weather in Oslo?"},
]
call = {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": '{"city":"Oslo"}'}}

# 1. A chat offering one tool, answered with a call to it.
client.chat.completions.create(
    model="smollm2", messages=question, temperature=0, max_tokens=64, tools=[weather],
    tool_choice={"type": "function", "function": {"name": "weather"}},
)
# 2. The follow-up carrying the tool's result.
client.chat.completions.create(
    model="smollm2",
    messages=question + [
        {"role": "assistant", "content": "", "tool_calls": [call]},
        {"role": "tool", "content": "-3°C and clear", "tool_call_id": "call_1"},
    ],
    temperature=0, max_tokens=32, tools=[weather],
)
# 3. A streamed answer with usage.
stream = client.chat.completions.create(
    model="smollm2", messages=[{"role": "user", "content": "Say hello in three words."}], temperature=0,
    max_tokens=16, stream=True, stream_options={"include_usage": True},
)
for _ in stream:
    pass
# 4. Embeddings.
client.embeddings.create(model="smollm2-embed", input=["SQLite is a library.", "Postgres is a server."], encoding_format="float")
# 5. A call the server refuses.
try:
    client.chat.completions.create(model="smollm2", messages=[{"role": "bogus", "content": "x"}], max_tokens=8)
    sys.exit("error: the server accepted a message with role 'bogus'")
except openai.APIStatusError as error:
    print(f"refused as expected: {error.status_code}")
provider.force_flush()
provider.shutdown()
