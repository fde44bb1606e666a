"""Documentation generated from the code: the JSON Schema, the field reference, the wave graph
and the generated sections of Markdown files.

Owns ``schema`` (``waves.schema.json`` from the models), ``field_reference`` (Markdown tables
from the schema), ``graph`` (Mermaid, DOT, text) and ``readme_sections`` (marked sections).
May import ``catalog`` and the shared top-level modules.
"""
