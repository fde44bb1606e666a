"""``kfboot import``: a directory of hand-written Applications in, a catalog and findings out.

Owns reading Application files (``app_files``), turning one Application into a component
(``component``, ``sources``, ``sync_policy``), recognising roots (``roots``), seeing through
local wrapper kustomizations (``wrappers``), the fixes import applies to ``check``'s findings
(``fixes``) and the whole run (``importer``).
May import ``catalog``, ``render`` (constants), ``check.rules`` and the shared top-level modules.
"""
