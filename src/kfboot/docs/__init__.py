"""Documentation generated from the code: the JSON Schema, the field reference, the wave graph
and the generated sections of Markdown files.

Owns ``schema`` (``waves.schema.json`` from the models), ``field_reference`` (Markdown tables
from the schema), ``rules_reference`` (the rules table from the rule registry), ``graph``
(Mermaid, DOT, text) and ``readme_sections`` (marked sections of README.md and docs/*.md).
May import ``catalog``, the rule registry (``check.rules``) and the shared top-level modules.
"""
