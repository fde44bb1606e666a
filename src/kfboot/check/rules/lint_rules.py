"""The rules ``kfboot lint`` added to the registry: Application sources, finalizers, and the
rules over a whole tree of hand-written Argo CD objects (names, projects, roots).

Part of the one registry (:mod:`kfboot.check.rules.registry`); which command runs which rule is
:mod:`kfboot.check.rules.scopes`.
"""

from __future__ import annotations

from kfboot.check.rules.rule import Rule

_MULTI = "https://argo-cd.readthedocs.io/en/stable/user-guide/multiple_sources/"
_PROJECTS = "https://argo-cd.readthedocs.io/en/stable/user-guide/projects/"
_TREE = "kfboot.lint.tree_rules:"

LINT_RULES: tuple[Rule, ...] = (
    Rule(
        "lint-file-not-read",
        "warning",
        "A YAML file of the tree lint did not read: not a regular file (a FIFO, a socket, a "
        "device), or a symlink that leads out of the tree, loops or was read already.",
        "Argo CD reads neither (git stores no FIFO; a symlink out of the repository fails the "
        "source, util/app/path/path.go:48@v3.4.7), so what lint judged is not what is there.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/directory/",
        "Replace it with the regular file it stands for, or remove it.",
        check="kfboot.lint.reading:read_tree",
    ),
    Rule(
        "values-ref-missing",
        "error",
        "A Helm value file or file parameter `$name/...` names a `ref:` that no source of the "
        "same Application has, or is used in a single `spec.source`.",
        "Argo CD resolves `$name` only among `spec.sources` and fails the manifest generation "
        "when no source has `ref: name` (reposerver/repository/repository.go:564@v3.4.7).",
        _MULTI,
        "Add a source with `ref: name` (its repoURL and targetRevision), or fix the name.",
        check="kfboot.check.rules.source_refs:values_refs",
    ),
    Rule(
        "values-ref-unused",
        "warning",
        "A source has `ref: name` but no `$name/...` value file or file parameter of the "
        "Application uses it.",
        "The ref lends nothing: usually a value file was renamed or removed, and the values "
        "meant to apply are not applied.",
        _MULTI,
        "Use it in `helm.valueFiles` (`$name/path/values.yaml`), or remove the `ref:`.",
        check="kfboot.check.rules.source_refs:values_refs",
    ),
    Rule(
        "unknown-finalizer",
        "error",
        "An `argoproj.io` finalizer name Argo CD does not define (e.g. "
        "`resources-finalizer.argoproj.io`).",
        "Argo CD removes only the finalizers it knows, so a deleted Application (or AppProject) "
        "stays Terminating for ever (application_defaults.go:9-22@v3.4.7).",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/app_deletion/",
        "Write `resources-finalizer.argocd.argoproj.io` (or its `/foreground`, `/background` "
        "forms).",
        check="kfboot.check.rules.finalizers:unknown_finalizer",
    ),
    Rule(
        "duplicate-application",
        "error",
        "Two Applications (or ApplicationSets, or AppProjects) in the tree have the same name "
        "in the same namespace.",
        "Argo CD keeps one object per name: whichever is applied last wins, and the other's "
        "components silently stop being managed as written.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/",
        "Rename one of them, or delete the copy.",
        ignorable=False,
        check=_TREE + "duplicates",
    ),
    Rule(
        "app-project-missing",
        "error",
        "An Application names a project that is not `default` and that none of the tree's "
        "AppProjects defines (judged only when the tree defines AppProjects).",
        "Argo CD refuses to reconcile an Application whose project does not exist "
        '("application references project ... which does not exist").',
        _PROJECTS,
        "Fix the project name, or add the AppProject.",
        check=_TREE + "project_scope",
    ),
    Rule(
        "app-project-scope",
        "error",
        "An Application's source repository or destination is not permitted by its AppProject's "
        "`sourceRepos` or `destinations` (globs and `!` denials as Argo CD reads them).",
        'Argo CD refuses to sync it: "application repo ... is not permitted in project" or '
        '"application destination ... is not permitted" (app_project_types.go:458-523@v3.4.7).',
        _PROJECTS,
        "Allow the repository or destination in the AppProject, or change the Application.",
        check=_TREE + "project_scope",
    ),
    Rule(
        "application-multiple-roots",
        "error",
        "An Application is synced by two app-of-apps roots (both sync a directory holding it).",
        "Both roots own it and fight: each sync sets its tracking label, the other shows it "
        "OutOfSync, and pruning by one deletes what the other deploys.",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/",
        "Let exactly one root's path reach each child Application.",
        check=_TREE + "double_roots",
    ),
    Rule(
        "manifests-hpa-self-heal",
        "warning",
        "With `lint --manifests`: git sets a Deployment's (StatefulSet's, ReplicaSet's) "
        "`replicas`, a HorizontalPodAutoscaler scales it, and its Application self-heals without "
        "ignoring `/spec/replicas`.",
        "selfHeal restores the replica count from git after every scaling: the workload flaps "
        "between git's count and the HPA's. Without `replicas` in git there is nothing to restore, "
        "so the rule does not fire.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/",
        "Remove `replicas` from git, or add an ignoreDifferences entry for `/spec/replicas` with "
        "the sync option `RespectIgnoreDifferences=true`.",
        check="kfboot.lint.manifests_rules:hpa_self_heal",
    ),
    Rule(
        "manifests-removed-api",
        "error",
        "With `lint --manifests --kube-version X.Y`: an object's apiVersion is no longer served "
        "by that Kubernetes release (e.g. `policy/v1beta1` PodDisruptionBudget since 1.25).",
        "The API server rejects the object, so the Application's sync fails.",
        "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
        "Move the object to the replacement the message names.",
        check="kfboot.lint.manifests_rules:removed_apis",
    ),
)
