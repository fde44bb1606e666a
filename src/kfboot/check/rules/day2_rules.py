"""Day-2 rules, part of the registry: the ``git-*`` rules of ``check`` (the paths the rendered
Applications read exist at their revision) and the ``plan-*`` items of ``kfboot plan``.

The ``git-*`` rules judge the repository, not one component, so ``ignore:`` cannot name them;
``plan-*`` ids describe a change between two revisions, not the catalog.
"""

from __future__ import annotations

from kfboot.check.rules.rule import Rule

_APP_PATH = "https://argo-cd.readthedocs.io/en/stable/user-guide/tracking_strategies/"
_GIT = "kfboot.check.git_paths:"

GIT_RULES: tuple[Rule, ...] = (
    Rule(
        "git-path-missing",
        "error",
        "A path a rendered Application reads from this repository (a component path, a wrapper, "
        "`extraResources`, the root's `bootstrapPath`) does not exist at its `targetRevision`, "
        "or is gone from the working tree that will land on that branch.",
        "Argo CD reads the revision from git, not the checkout: the Application fails with "
        "'app path does not exist' and, for the root, no Application syncs. An upstream merge "
        "that moved directories, or a tag that holds no bootstrap/, does this silently.",
        _APP_PATH,
        "Fix the path in waves.yaml (the message suggests the directory it moved to), or point "
        "`targetRevision` at a revision that holds bootstrap/, then render and commit.",
        ignorable=False,
        check=_GIT + "git_path_findings",
    ),
    Rule(
        "git-path-not-at-revision",
        "warning",
        "A path an Application reads exists in the working tree but not yet at the branch its "
        "`targetRevision` names.",
        "Argo CD syncs the branch: until this change lands there, the Application fails to "
        "sync. Expected on a pull request that adds a component; not when the branch is "
        "deployed from before the merge.",
        _APP_PATH,
        "Merge the change into the branch before Argo CD syncs it.",
        ignorable=False,
        check=_GIT + "git_path_findings",
    ),
    Rule(
        "git-revision-absent",
        "warning",
        "The catalog's `repoURL` is this checkout, but its `targetRevision` is not in the local "
        "repository, so the paths at that revision were not checked.",
        "kfboot never reaches the network in `check`; a shallow CI clone holds only the "
        "commit under test.",
        "https://github.com/actions/checkout#fetch-all-history-for-all-tags-and-branches",
        "Fetch the revision (`git fetch --tags origin REV`; in CI, `fetch-depth: 0`).",
        ignorable=False,
        check=_GIT + "git_path_findings",
    ),
)
