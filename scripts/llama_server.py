"""Starts llama-cpp-python's OpenAI-compatible server with one more chat format, `stack-chatml-tools`.

llama-cpp-python's `chatml-function-calling` format renders its prompt with HTML autoescaping (a quote
reaches the model as `&#34;`) and has no branch for `tool` messages: a tool result is dropped and its
`<|im_start|>tool` header is left open. A model served with it never reads what its tools returned.

`stack-chatml-tools` keeps that format's tool-calling grammar (the model either writes `message:` or
calls one of the offered functions, with arguments held to the function's JSON schema) and changes only
what the model is shown:
- every text is passed through as written (no HTML escaping);
- each tool result is a turn of its own that names the call it answers, `search_docs({"query": …})
  returned:` followed by the result;
- an assistant turn that only called tools is shown through those result turns, not as the format's
  `functions.NAME:` lines: a 135M model shown those lines copies them on the turn that must answer in
  text, where the grammar no longer holds it to a real call.

Usage (scripts/model-server.sh does this): python llama_server.py --config_file CONFIG
"""

from markupsafe import Markup

from llama_cpp import llama_chat_format
from llama_cpp.server.__main__ import main

FORMAT_NAME = "stack-chatml-tools"


def _text(value):
    """The message text as the model should read it: never escaped, never None."""
    if value is None:
        return Markup("")
    if isinstance(value, list):  # content parts: the text parts, in order
        value = "".join(part.get("text", "") for part in value if isinstance(part, dict))
    return Markup(str(value))


def faithful_messages(messages):
    """The conversation rewritten so that chatml-function-calling's template renders all of it."""
    called = {}  # tool_call_id -> (function name, arguments), from the assistant turns that made the calls
    rendered = []
    for message in messages:
        role = message.get("role")
        if role == "assistant":
            for call in message.get("tool_calls") or []:
                function = call.get("function") or {}
                called[call.get("id")] = (function.get("name", "tool"), function.get("arguments", "{}"))
            text = _text(message.get("content"))
            if text:
                rendered.append({"role": "assistant", "content": text})
        elif role in ("tool", "function"):
            name, arguments = called.get(message.get("tool_call_id"), (message.get("name") or "tool", ""))
            header = Markup(name) + Markup("(") + Markup(arguments) + Markup(") returned:\n")
            rendered.append({"role": "user", "content": header + _text(message.get("content"))})
        else:
            rendered.append({"role": role if role in ("system", "user") else "user", "content": _text(message.get("content"))})
    return rendered


@llama_chat_format.register_chat_completion_handler(FORMAT_NAME)
def stack_chatml_tools(llama, messages, **kwargs):
    return llama_chat_format.chatml_function_calling(llama=llama, messages=faithful_messages(messages), **kwargs)


if __name__ == "__main__":
    main()
