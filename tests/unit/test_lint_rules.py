"""The lint engine's rules, each with an example that fires and one that does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfboot.lint.run import lint
from kfboot.lint.tree_rules import destination_permitted, glob_match, source_permitted

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  project: {project}
  source:
    repoURL: https://github.com/example/gitops.git
    targetRevision: main
    path: {path}
  destination:
    server: https://kubernetes.default.svc
    namespace: {namespace}
"""


def app(
    name: str = "one",
    wave: int = 1,
    project: str = "default",
    path: str = "apps/one",
    namespace: str = "one",
    extra: str = "",
) -> str:
    return APP.format(name=name, wave=wave, project=project, path=path, namespace=namespace) + extra


def rules(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    found, _ = lint([tmp_path])
    return [(f.finding.rule, Path(f.finding.file).name, f.finding.line) for f in found]


def ids(tmp_path: Path, files: dict[str, str]) -> set[str]:
    return {rule for rule, _, _ in rules(tmp_path, files)}


REPO = "https://github.com/example/gitops.git"
REF_SOURCE = f"    - ref: {{ref}}\n      repoURL: {REPO}\n      targetRevision: main\n"
FINALIZERS = "  namespace: argocd\n  finalizers: [{}]\n"
PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {{name: kubeflow}}
spec:
  sourceRepos: [{repos}]
  destinations: [{dest}]
"""
ANY_DEST = "{server: '*', namespace: '*'}"
HEALTH_CM = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm}
data:
  resource.customizations.health.argoproj.io_Application: |
    hs = {}
"""
APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {{name: s}}
spec:
  generators: [{{list: {{elements: []}}}}]
  template:
    metadata: {{name: '{{{{name}}}}'}}
    spec:
      project: default
      source: {{repoURL: 'https://x/y', path: '{{{{path}}}}', targetRevision: '{{{{rev}}}}'}}
      destination: {{name: in-cluster, namespace: x}}
      syncPolicy: {{syncOptions: [{option}]}}
"""


def multi(ref: str, value_file: str = "") -> str:
    """An Application with a ref: source and a git source (optionally with a value file)."""
    text = app().replace(
        "  source:\n    repoURL", "  sources:\n" + REF_SOURCE.format(ref=ref) + "    - repoURL"
    )
    text = text.replace(
        "    targetRevision: main\n    path: apps/one\n",
        "      targetRevision: main\n      path: apps/one\n",
    )
    if value_file:
        helm = f"      helm:\n        valueFiles: [{value_file}]\n"
        text = text.replace("      path: apps/one\n", "      path: apps/one\n" + helm)
    return text


def helm_values(key: str, value: str) -> str:
    extra = f"    helm:\n      valuesObject:\n        {key}: {value}\n"
    return app().replace("    path: apps/one\n", "    path: apps/one\n" + extra)


def finalizers(names: str) -> str:
    return app().replace("  namespace: argocd\n", FINALIZERS.format(names), 1)


def recursive_root(name: str, path: str) -> str:
    text = app(name=name, path=path)
    return text.replace(
        f"    path: {path}\n", f"    path: {path}\n    directory: {{recurse: true}}\n"
    )


CASES = {
    # rule: (a tree where it fires, the same tree fixed)
    "values-ref-missing": (
        {"a.yaml": multi("vals", "$values/one.yaml")},
        {"a.yaml": multi("values", "$values/one.yaml")},
    ),
    "values-ref-unused": ({"a.yaml": multi("values")}, {"a.yaml": multi("values", "$values/x")}),
    "unknown-finalizer": (
        {"a.yaml": finalizers("resources-finalizer.argoproj.io")},
        {"a.yaml": finalizers("resources-finalizer.argocd.argoproj.io, example.com/x")},
    ),
    "duplicate-application": (
        {"a.yaml": app(), "b.yaml": app()},
        {"a.yaml": app(), "b.yaml": app(name="two")},
    ),
    "app-project-missing": (
        {"a.yaml": app(project="kubeflw"), "p.yaml": PROJECT.format(repos="'*'", dest=ANY_DEST)},
        {"a.yaml": app(project="kubeflow"), "p.yaml": PROJECT.format(repos="'*'", dest=ANY_DEST)},
    ),
    "app-project-scope": (
        {
            "a.yaml": app(project="kubeflow"),
            "p.yaml": PROJECT.format(
                repos="'https://github.com/example/other'",
                dest="{server: '*', namespace: 'kubeflow*'}",
            ),
        },
        {
            "a.yaml": app(project="kubeflow"),
            "p.yaml": PROJECT.format(
                repos="'https://github.com/example/*'", dest="{name: in-cluster, namespace: '*'}"
            ),
        },
    ),
    "application-multiple-roots": (
        {
            "apps/one/child.yaml": app(name="child", path="x"),
            "r1.yaml": app(name="r1", path="apps/one"),
            "r2.yaml": recursive_root("r2", "apps"),
        },
        {
            "apps/one/child.yaml": app(name="child", path="x"),
            "r1.yaml": app(name="r1", path="apps/one"),
            "r2.yaml": app(name="r2", path="apps"),
        },
    ),
    "no-application-health-check": (
        {"a.yaml": app(wave=1), "b.yaml": app(name="two", wave=2)},
        {"a.yaml": app(wave=1), "b.yaml": app(name="two", wave=2), "cm.yaml": HEALTH_CM},
    ),
    "application-field-type": (
        {"a.yaml": app(extra='  syncPolicy:\n    automated:\n      prune: "true"\n')},
        {"a.yaml": app(extra="  syncPolicy:\n    automated:\n      prune: true\n")},
    ),
    "unknown-field": (
        {"p.yaml": PROJECT.format(repos="'*'", dest=ANY_DEST).replace("sourceRepos", "sourceRepo")},
        {"p.yaml": PROJECT.format(repos="'*'", dest=ANY_DEST)},
    ),
    "credential-literal": (
        {"a.yaml": helm_values("adminPassword", "hunter2")},
        {"a.yaml": helm_values("existingSecret", "admin")},
    ),
    "retry-without-refresh": (
        {"a.yaml": app(extra="  syncPolicy:\n    retry: {limit: -1}\n")},
        {"a.yaml": app(extra="  syncPolicy:\n    retry: {limit: -1, refresh: true}\n")},
    ),
    "unknown-sync-option": (
        {"s.yaml": APPSET.format(option="ServerSideApply=True")},
        {"s.yaml": APPSET.format(option="ServerSideApply=true")},
    ),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_and_not(tmp_path: Path, rule: str) -> None:
    bad, good = CASES[rule]
    assert rule in ids(tmp_path / "bad", bad)
    assert rule not in ids(tmp_path / "good", good)


def test_directory_recurse_string_is_a_type_error(tmp_path: Path) -> None:
    text = app().replace(
        "    path: apps/one\n", '    path: apps/one\n    directory:\n      recurse: "yes"\n'
    )
    found = rules(tmp_path, {"a.yaml": text})
    assert ("application-field-type", "a.yaml", 15) in found


def test_other_yaml_and_helm_templates_are_not_read(tmp_path: Path) -> None:
    bad = app().replace(
        "  namespace: argocd\n",
        "  namespace: argocd\n  finalizers: [resources-finalizer.argoproj.io]\n",
        1,
    )
    files = {
        "chart/Chart.yaml": "name: c\n",
        "chart/templates/app.yaml": bad,
        "k/kustomization.yaml": "resources: [a.yaml]\n",
        "k/a.yaml": app(),
        "k/unselected.yaml": bad,
        "plain.yaml": "key: on\n",  # no argoproj.io: never parsed
    }
    assert rules(tmp_path, files) == []


@pytest.mark.parametrize(
    ("pattern", "value", "sep", "expected"),
    [
        ("*", "a/b", "/", True),
        ("github.com/org/*", "github.com/org/repo", "/", True),
        ("github.com/*", "github.com/org/repo", "/", False),
        ("github.com/**", "github.com/org/repo", "/", True),
        ("!github.com/org/*", "github.com/org/repo", "/", False),
        ("kubeflow-{a,b}", "kubeflow-b", "", True),
        ("kube?low", "kubeflow", "", True),
    ],
)
def test_glob(pattern: str, value: str, sep: str, expected: bool) -> None:
    assert glob_match(pattern, value, sep) is expected


def test_source_and_destination_permission() -> None:
    assert source_permitted(["https://github.com/Org/Repo.git"], "https://github.com/org/repo")
    assert not source_permitted(
        ["*", "!https://github.com/org/secret"], "https://github.com/org/secret"
    )
    assert destination_permitted([{"server": "*", "namespace": "*"}], "https://x", "", "a")
    assert not destination_permitted(
        [{"server": "*", "namespace": "*"}, {"server": "*", "namespace": "!kube-system"}],
        "https://x",
        "",
        "kube-system",
    )


def test_a_ref_in_a_single_source_is_not_resolved(tmp_path: Path) -> None:
    text = app().replace(
        "    path: apps/one\n",
        "    path: apps/one\n    helm:\n      valueFiles: [$values/x.yaml, plain.yaml]\n",
    )
    assert rules(tmp_path, {"a.yaml": text}) == [("values-ref-missing", "a.yaml", 15)]


def test_every_rule_lint_emits_is_in_its_scope(tmp_path: Path) -> None:
    from kfboot.check.rules.registry import BY_ID
    from kfboot.check.rules.scopes import LINT, commands

    assert set(BY_ID) >= LINT
    for bad, _ in CASES.values():
        for rule in ids(tmp_path / str(len(list(tmp_path.iterdir()))), bad):
            assert rule in LINT and "lint" in commands(rule), rule


def test_a_root_of_this_checkout_is_found_by_its_remote(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(tmp_path),
            "remote",
            "add",
            "origin",
            "git@github.com:Example/GitOps.git",
        ],
        check=True,
    )
    root = app(name="root", path="deploy/apps").replace(
        "    path: deploy/apps\n",
        "    path: deploy/apps\n  syncPolicy:\n    syncOptions: [ServerSideApply=true]\n",
    )
    files = {"deploy/root.yaml": root, "deploy/apps/one.yaml": app()}
    # Linted from deploy/: the path is the repository's, not the linted directory's.
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    found, _ = lint([tmp_path / "deploy"])
    # main is not in the (empty) repository: the paths at it could not be checked.
    assert [f.finding.rule for f in found] == ["git-revision-absent", "root-server-side-apply"]


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://github.com/Org/Repo.git", "github.com/org/repo"),
        ("git@github.com:org/repo.git", "github.com/org/repo"),
        ("ssh://git@github.com/org/repo", "github.com/org/repo"),
        ("https://github.com/org/repo/", "github.com/org/repo"),
    ],
)
def test_normalise_url(url: str, normal: str) -> None:
    from kfboot.gitrepo import normalise_url

    assert normalise_url(url) == normal


def _git(top: Path, *args: str) -> None:
    import subprocess

    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "PATH": "/usr/bin:/bin",
        "HOME": str(top),
    }
    subprocess.run(["git", "-C", str(top), *args], check=True, env=env, capture_output=True)


def test_paths_exist_at_their_revision(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "remote", "add", "origin", "https://github.com/example/gitops.git")
    (tmp_path / "apps" / "one").mkdir(parents=True)
    (tmp_path / "apps" / "one" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    (tmp_path / "a.yaml").write_text(app())
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "one")
    _git(tmp_path, "tag", "v1")
    (tmp_path / "apps" / "two").mkdir()
    (tmp_path / "apps" / "two" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    pinned = app(name="two", path="apps/two").replace("targetRevision: main", "targetRevision: v1")
    files = {
        "b.yaml": pinned,  # the tag v1 holds no apps/two: a phantom target
        "c.yaml": app(name="three", path="apps/thre"),  # the current branch: the working tree
        "d.yaml": app(name="four", path="apps/one").replace(
            "targetRevision: main", "targetRevision: v9"
        ),
    }
    assert rules(tmp_path, files) == [
        ("git-path-missing", "b.yaml", 13),
        ("git-path-missing", "c.yaml", 13),
        ("git-revision-absent", "d.yaml", 12),
    ]
    found, _ = lint([tmp_path])
    by_file = {Path(f.finding.file).name: f.finding.message for f in found}
    assert "at v1 (tag " in by_file["b.yaml"]
    assert (
        "at main (the current branch), which does not exist in the working tree"
        in (by_file["c.yaml"])
    )


@given(st.text(alphabet="0123456789.eE+-_:oObBxXyYnNsS~tTfFrulaAL ", min_size=1, max_size=12))
def test_every_trap_is_seen_by_the_quick_hint(text: str) -> None:
    from kfboot.check.rules.hygiene import trap
    from kfboot.lint.reading import TRAP_HINT

    plain = text.strip()
    if plain and trap(plain):
        for line in (f"k: {plain}\n", f"- {plain}\n", f"{plain}: v\n", f"k: [{plain}, x]\n"):
            assert TRAP_HINT.search(line), (plain, line)


@pytest.mark.parametrize(
    "word",
    [
        "y",
        "N",
        "yes",
        "Off",
        "ON",
        "0755",
        "1e3",
        "1.0e3",
        "1_000",
        "1:30",
        "0o17",
        "0b101",
        "2024-01-01",
        "+.5",
        "-.5e3",
    ],
)
def test_known_traps_are_seen_by_the_quick_hint(word: str) -> None:
    from kfboot.check.rules.hygiene import trap
    from kfboot.lint.reading import TRAP_HINT

    assert trap(word) or word in ("-.5e3",)
    assert TRAP_HINT.search(f"key: {word}\n")
