"""The ``import-*`` rules: what ``kfboot import`` reports about what it did, part of the registry.

Import also reports ``kfboot check``'s own rules for the defects it finds in hand-written
Applications (with what it did about each); these are import's alone. They describe the
import, not the catalog, so ``ignore:`` cannot name them.
"""

from __future__ import annotations

from kfboot.check.rules.rule import Rule

_SPEC = "https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/"

IMPORT_RULES: tuple[Rule, ...] = (
    Rule(
        "import-refused",
        "error",
        "Import wrote nothing: the tree holds no Argo CD Application it can read (none found, "
        "invalid YAML, an Application of the wrong shape, template placeholders).",
        "A catalog from a tree import cannot read would not reproduce what Argo CD deploys; "
        "import stops with nothing written, and says where.",
        _SPEC,
        "Fix the file and line the message names, or import the directory that holds the "
        "Applications (a Helm chart's Applications: render the chart first).",
        ignorable=False,
    ),
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
        "What the catalog cannot express: a `ref: values` source, a Helm or kustomize option it "
        "has no field for, sources from two repositories, a second root.",
        "kfboot renders Applications from the catalog alone, so what it cannot express is not "
        "in bootstrap/ after the import.",
        _SPEC,
        "Decide whether you need it: keep a hand-written Application for it, or let it go.",
        ignorable=False,
    ),
    Rule(
        "import-default-applied",
        "warning",
        "A gap filled or a value changed: no sync-wave (wave 0), no root Application, a root "
        "reading another directory than `<bootstrapPath>/apps/kubeflow`.",
        "The catalog needs these values; import takes the one Argo CD itself assumes (or "
        "kfboot's default) and says so.",
        _SPEC,
        "Check the value import wrote into waves.yaml, and change it if it is not what you meant.",
        ignorable=False,
    ),
    Rule(
        "import-extra-resource",
        "warning",
        "Objects that are not Applications (Namespaces, AppProjects, ApplicationSets, ...) sit "
        "where the imported root syncs them, but not where the rendered root reads; or one "
        "such file holds objects of several sync waves, which one entry cannot say.",
        "The catalog keeps them as `extraResources`, paths in the rendered root's directory; a "
        "file left where it was is no longer synced.",
        _SPEC,
        "Move the file to the path the message gives, under `<bootstrapPath>/apps/kubeflow/`; "
        "split a file of several waves into one file per wave.",
        ignorable=False,
        check="kfboot.importing.extras:extra_resources",
    ),
)
