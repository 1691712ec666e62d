"""Prints every attribute key of the installed openinference-semantic-conventions package, one a line,
sorted, after a header naming the package version: the list Tests/OpenInferenceTests/Resources/
semconv-keys.txt holds. A key is a string constant of one of the package's attribute classes
(SpanAttributes, MessageAttributes, …, ResourceAttributes); the value enums (span kinds, MIME types,
providers) are not keys.
"""
import enum
import importlib.metadata
import inspect

import openinference.semconv.resource as resource
import openinference.semconv.trace as trace

keys = set()
for module in (trace, resource):
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module.__name__ or issubclass(cls, enum.Enum):
            continue
        keys.update(value for name, value in vars(cls).items() if not name.startswith("_") and isinstance(value, str))

print(f"# openinference-semantic-conventions {importlib.metadata.version('openinference-semantic-conventions')}: "
      f"{len(keys)} keys (written by scripts/refresh-semconv-keys.sh)")
for key in sorted(keys):
    print(key)
