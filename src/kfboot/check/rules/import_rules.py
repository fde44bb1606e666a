"""The ``import-*`` rules: what ``kfboot import`` reports about what it did, part of the registry.

Import also reports ``kfboot check``'s own rules for the defects it finds in hand-written
Applications (with what it did about each); these three are import's alone. They describe the
import, not the catalog, so ``ignore:`` cannot name them.
"""

from __future__ import annotations

from kfboot.check.rules.rule import Rule

_SPEC = "https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/"

IMPORT_RULES: tuple[Rule, ...] = (
    Rule(
        "import-repo-url-mismatch",
        "warning",
        "An imported Application reads another repository than the catalog's: the component "
        "keeps it as its own `repoURL` override.",
        "kfboot renders every component from the catalog's repository unless the component says "
        "otherwise; keeping the URL keeps the Application deploying what it deployed.",
        _SPEC,
        "Nothing if the other repository is meant; otherwise remove the component's `repoURL`.",
        ignorable=False,
        check="kfboot.importing.sources:_repo",
    ),
    Rule(
        "import-not-carried-over",
        "warning",
        "What the catalog cannot express: a `ref: values` source, source options, a differing "
        "project or cluster, a second root.",
        "kfboot renders Applications from the catalog alone, so what it cannot express is not "
        "in bootstrap/ after the import.",
        _SPEC,
        "Decide whether you need it: keep a hand-written Application for it, or let it go.",
        ignorable=False,
    ),
    Rule(
        "import-default-applied",
        "warning",
        "A gap filled: no sync-wave (wave 0), no destination namespace (the commonest one), no "
        "root Application.",
        "The catalog needs these values; import takes the one Argo CD itself assumes (or "
        "kfboot's default) and says so.",
        _SPEC,
        "Check the value import wrote into waves.yaml, and change it if it is not what you meant.",
        ignorable=False,
    ),
)
