"""The catalog: ``waves.yaml`` as strict models, loaded with positions, checked across fields.

Owns the models (``models``), loading with ``file:line:col`` errors (``load``), the cross-field
rules (``crossfield``), git URL and revision rules (``gitrefs``), whether a value fits one field
(``accepts``), the release presets (``presets``) and writing a new catalog (``writer``).
May import the shared top-level modules (``errors``, ``findings``, ``yamlio``, ``yamledit``) and
the rule registry (to validate ``ignore:``); never ``render``, ``check``, ``importing`` or
``cluster``.
"""
