"""The wire-API conformance check's reference calls: OpenAI Responses, Anthropic Messages and Gemini
generateContent through their Python SDKs and OpenInference instrumentors, against the canned server.

    python_wire_apis.py CANNED_URL PHOENIX_URL PROJECT_PREFIX

Each API's calls go to Phoenix project PROJECT_PREFIX-<api> (responses, anthropic, gemini), and each call
to CANNED_URL/<api>/<case>, which answers from scripts/conformance/canned/<api>/<case>.* and records the
body the SDK sent; scripts/conformance-wire-apis.sh replays those bodies through `stack call`. The cases
of an API are made in the order of their names.
"""
import sys

import anthropic
import openai
from google import genai
from google.genai import types
from openinference.instrumentation.anthropic import AnthropicInstrumentor
from openinference.instrumentation.google_genai import GoogleGenAIInstrumentor
from openinference.instrumentation.openai import OpenAIInstrumentor
from phoenix.otel import register

canned, phoenix_url, prefix = sys.argv[1:4]
providers = []


def tracer_provider(api):
    provider = register(project_name=f"{prefix}-{api}", endpoint=f"{phoenix_url}/v1/traces", batch=False,
                        set_global_tracer_provider=False, verbose=False)
    providers.append(provider)
    return provider


OpenAIInstrumentor().instrument(tracer_provider=tracer_provider("responses"))
AnthropicInstrumentor().instrument(tracer_provider=tracer_provider("anthropic"))
GoogleGenAIInstrumentor().instrument(tracer_provider=tracer_provider("gemini"))

question = "What is the weather in Oslo?"
schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}

# OpenAI Responses.
def openai_client(case):
    return openai.OpenAI(base_url=f"{canned}/responses/{case}/v1", api_key="unused", max_retries=0)


weather = {"type": "function", "name": "weather", "description": "Current weather for a city",
           "parameters": {**schema, "additionalProperties": False}, "strict": True}
# 1. Instructions, a tool, reasoning with its summary and encrypted content: answered by a reasoning item
#    and a function call, with cached and reasoning token counts.
first = openai_client("1-tool").responses.create(
    model="gpt-5-mini", instructions="You can call tools.", input=question, tools=[weather],
    reasoning={"effort": "low", "summary": "auto"}, include=["reasoning.encrypted_content"], store=False,
    max_output_tokens=256,
)
# 2. No instructions; the input carries the reasoning item, the call and its function_call_output.
openai_client("2-tool-output").responses.create(
    model="gpt-5-mini",
    input=[
        {"role": "user", "content": question},
        first.output[0].model_dump(exclude_none=True),
        {"type": "function_call", "call_id": "call_1", "name": "weather", "arguments": '{"city":"Oslo"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": "-3°C and clear"},
    ],
    tools=[weather], reasoning={"effort": "low"}, store=False, max_output_tokens=128,
)
# 3. A streamed answer: text, then a function call whose arguments arrive in pieces.
for _ in openai_client("3-stream").responses.create(
    model="gpt-5-mini", instructions="Answer briefly.", input="Say hello, then look up the weather in Oslo.",
    tools=[weather], reasoning={"effort": "minimal"}, store=False, max_output_tokens=64, stream=True,
):
    pass


# 4. A request the API refuses (HTTP 400).
try:
    openai_client("4-error").responses.create(model="gpt-5-mini", input=question, reasoning={"effort": "maximal"})
    sys.exit("error: the canned server accepted 4-error")
except openai.BadRequestError:
    pass


# Anthropic Messages.
def anthropic_client(case):
    return anthropic.Anthropic(base_url=f"{canned}/anthropic/{case}", api_key="unused", max_retries=0)


system = [{"type": "text", "text": "You can call tools.", "cache_control": {"type": "ephemeral"}}]
tools = [{"name": "weather", "description": "Current weather for a city", "input_schema": schema}]
thinking = {"type": "enabled", "budget_tokens": 1024}
# 1. A cached system prompt, a tool and thinking: answered by thinking, text and a tool_use, with cache reads.
first = anthropic_client("1-tool").messages.create(
    model="claude-sonnet-4-5", max_tokens=2048, system=system, tools=tools, thinking=thinking,
    messages=[{"role": "user", "content": question}],
)
# 2. The answer sent back (thinking with its signature, text, tool_use) and the tool_result.
anthropic_client("2-tool-result").messages.create(
    model="claude-sonnet-4-5", max_tokens=2048, system=system, tools=tools, thinking=thinking,
    messages=[
        {"role": "user", "content": question},
        {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in first.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": first.content[2].id, "content": "-3°C and clear"}]},
    ],
)
# 3. A streamed answer: thinking with its signature, text, then a tool_use whose input arrives in pieces.
for _ in anthropic_client("3-stream").messages.create(
    model="claude-sonnet-4-5", max_tokens=2048, thinking=thinking, stop_sequences=["\n\n"], stream=True, tools=tools,
    messages=[{"role": "user", "content": "Say hello, then look up the weather in Oslo."}],
):
    pass


# 4. A request the API refuses (HTTP 400).
try:
    anthropic_client("4-error").messages.create(
        model="claude-sonnet-4-5", max_tokens=512, thinking=thinking, messages=[{"role": "user", "content": question}],
    )
    sys.exit("error: the canned server accepted 4-error")
except anthropic.BadRequestError:
    pass


# Gemini.
clients = []  # a Client closes its connection pool when collected, even while a call of its is running


def gemini_client(case):
    clients.append(genai.Client(api_key="unused", http_options=types.HttpOptions(base_url=f"{canned}/gemini/{case}/")))
    return clients[-1]


declaration = types.FunctionDeclaration(name="weather", description="Current weather for a city", parameters_json_schema=schema)
config = types.GenerateContentConfig(
    system_instruction="You can call tools.", tools=[types.Tool(function_declarations=[declaration])],
    temperature=0, max_output_tokens=256, thinking_config=types.ThinkingConfig(include_thoughts=True, thinking_budget=512),
    automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
)
# 1. A system instruction, a tool and thoughts: answered by a thought and a signed function call.
first = gemini_client("1-tool").models.generate_content(model="gemini-2.5-flash", contents=question, config=config)
# 2. The call sent back with its signature, and the function response.
gemini_client("2-function-response").models.generate_content(
    model="gemini-2.5-flash",
    contents=[
        types.Content(role="user", parts=[types.Part(text=question)]),
        types.Content(role="model", parts=[first.candidates[0].content.parts[1]]),
        types.Content(role="user", parts=[types.Part.from_function_response(name="weather", response={"result": "-3°C and clear"})]),
    ],
    config=config,
)
# 3. A streamed answer with thoughts.
for _ in gemini_client("3-stream").models.generate_content_stream(
    model="gemini-2.5-flash", contents="Say hello in three words.",
    config=types.GenerateContentConfig(temperature=0.2, thinking_config=types.ThinkingConfig(include_thoughts=True)),
):
    pass

# 4. A request the API refuses (HTTP 400).
try:
    gemini_client("4-error").models.generate_content(
        model="gemini-2.5-flash", contents=question,
        config=types.GenerateContentConfig(thinking_config=types.ThinkingConfig(thinking_budget=512, include_thoughts=False)),
    )
    sys.exit("error: the canned server accepted 4-error")
except genai.errors.ClientError:
    pass

for provider in providers:
    provider.force_flush()
    provider.shutdown()
