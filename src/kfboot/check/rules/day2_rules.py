"""Day-2 rules, part of the registry: the ``git-*`` rules of ``check`` (the paths the rendered
Applications read exist at their revision) and the ``plan-*`` items of ``kfboot plan``.

The ``git-*`` rules judge the repository, not one component, so ``ignore:`` cannot name them;
``plan-*`` ids describe a change between two revisions, not the catalog.
"""

from __future__ import annotations

from kfboot.check.rules.rule import Rule, Severity

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

_DELETION = "https://argo-cd.readthedocs.io/en/stable/user-guide/app_deletion/"
_SYNC = "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/"
_PLAN = "kfboot.plan.diff:plan_items"


def _plan(
    rule_id: str, severity: Severity, what: str, why: str, link: str, fix: str, check: str
) -> Rule:
    return Rule(rule_id, severity, what, why, link, fix, ignorable=False, check=check)


# ``kfboot plan``'s items: ``error`` ones are destructive (plan exits 1 unless
# --allow-destructive), ``warning`` ones are what the change does.
PLAN_RULES: tuple[Rule, ...] = (
    _plan(
        "plan-application-created",
        "warning",
        "The change creates an Application.",
        "Argo CD creates it when its root (or ApplicationSet) syncs.",
        _DELETION,
        "Nothing; review it.",
        _PLAN,
    ),
    _plan(
        "plan-application-deleted",
        "warning",
        "The change deletes an Application that has no resources finalizer.",
        "Argo CD deletes the Application; the objects it managed stay, unmanaged.",
        _DELETION,
        "Delete the objects by hand if they must go.",
        _PLAN,
    ),
    _plan(
        "plan-cascading-deletion",
        "error",
        "The change deletes an Application carrying `resources-finalizer.argocd.argoproj.io`.",
        "Deleting it deletes every object it manages: namespaces, CRDs and their custom "
        "resources, volumes. A rename is a delete plus a create, so it cascades too.",
        _DELETION,
        "Keep the name (docs/fleet.md, 'Moving a live install'), or remove the "
        "finalizer from the live Application before the change lands.",
        _PLAN,
    ),
    _plan(
        "plan-application-renamed",
        "warning",
        "An Application of the same component and destination gets another name.",
        "Argo CD knows Applications by name: the old one is deleted (cascading with the "
        "resources finalizer) and a new one created.",
        _DELETION,
        "Keep the old name, or retire the old Application without cascade first.",
        _PLAN,
    ),
    _plan(
        "plan-application-changed",
        "warning",
        "An Application's source, revision, destination, sync policy, wave or metadata change.",
        "Argo CD applies the change at the next sync of its root.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/",
        "Nothing; review the fields named.",
        _PLAN,
    ),
    _plan(
        "plan-apply-by-hand",
        "warning",
        "A root Application or an ApplicationSet is new, changed or no longer rendered.",
        "Argo CD does not sync these from git: they are applied once from the checkout, so "
        "the change reaches the cluster only when someone runs the command shown.",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/",
        "Run the kubectl command plan prints, once the change is merged.",
        _PLAN,
    ),
    _plan(
        "plan-argocd-upgrade",
        "warning",
        "The argo-cd chart version or Argo CD image of the `argocd` component changes.",
        "Argo CD upgrades itself when the argocd Application syncs (wave -1).",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/overview/",
        "Read the upgrade notes of every minor version in between.",
        _PLAN,
    ),
    _plan(
        "plan-extra-resource",
        "warning",
        "An `extraResources` entry is added or moves wave.",
        "The root syncs it in its wave.",
        _SYNC,
        "Nothing; review it.",
        _PLAN,
    ),
    _plan(
        "plan-extra-resource-removed",
        "error",
        "An `extraResources` entry is removed.",
        "The root prunes its objects (a Namespace takes everything in it).",
        _SYNC,
        "Keep the entry, or annotate the objects `argocd.argoproj.io/sync-options: "
        "Prune=false` first.",
        _PLAN,
    ),
)
