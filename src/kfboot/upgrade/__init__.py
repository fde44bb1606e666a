"""``kfboot upgrade --kubeflow RELEASE``: move a catalog to another release's preset.

A three-way merge, as ``git merge`` does for text: the preset the catalog was initialised from
(``preset:``, the common ancestor), the target release's preset, and the user's catalog. What
only the preset changed follows the new preset; what only the user changed stays; a field both
changed differently is a located conflict (``merge.py``). The result is written by editing the
user's file in place (``textedit.py``), so comments and layout outside the changed nodes stay,
and a changed node takes the new preset's text with its comments. ``core.py`` ties them together.

Imports: ``kfboot.catalog`` (presets, loading), ``kfboot.yamlio``, ``kfboot.yamledit``,
``kfboot.output``, ``kfboot.findings``, ``kfboot.errors``; never ``kfboot.commands``.
"""
