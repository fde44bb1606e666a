"""``kfboot check``: the catalog, Argo CD's semantics, hygiene and drift, as findings.

Owns the runner (``runner``) and the rules (``rules``: the registry of every rule id, the
Application rules and their facts about Argo CD). Nothing here prints or exits.
May import ``catalog``, ``render``, ``lint.engine`` (the runner judges committed Argo CD objects
with it) and the shared top-level modules.
"""
