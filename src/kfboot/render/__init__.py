"""Rendering: a validated catalog in, ``{path: text}`` out, with nothing written.

Owns the views and the file set of ``bootstrap/`` (``bootstrap``), the Jinja2 environment
(``templating``), ``bootstrap/Makefile`` (``makefile``), the per-wave summary ``render`` prints
(``summary``) and the generated files beside the catalog (``sidecars``).
May import ``catalog`` and the shared top-level modules; never ``check``, ``importing`` or
``cluster``.
"""
