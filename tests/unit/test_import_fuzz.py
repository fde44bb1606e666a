"""Whatever a hand-written tree holds, import either writes a catalog kfboot loads or fails with
a clear error: never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kfboot import yamlio
from kfboot.catalog.load import parse_catalog
from kfboot.errors import KfbootError
from kfboot.importing import importer

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "5s", "-1", "a/b"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner),
    max_leaves=6,
)


def maybe(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(good, good, good, junk)


source = st.fixed_dictionaries(
    {},
    optional={
        "repoURL": maybe(st.sampled_from(["https://e.com/a/b.git", "https://charts.e.com"])),
        "targetRevision": maybe(st.sampled_from(["main", "v1.0", "1.2.3"])),
        "path": maybe(st.sampled_from(["x", "apps/y", "./z/", ".", "/abs", "../up"])),
        "chart": maybe(st.sampled_from(["c", "argo-cd"])),
        "ref": maybe(st.just("values")),
        "helm": maybe(st.fixed_dictionaries({}, optional={"values": maybe(st.just("a: 1\n"))})),
        "kustomize": junk,
    },
)
application = st.fixed_dictionaries(
    {
        "apiVersion": st.just("argoproj.io/v1alpha1"),
        "kind": st.just("Application"),
        "metadata": st.fixed_dictionaries(
            {"name": st.sampled_from(["a", "kubeflow-a", "b", "argocd", "root"])},
            optional={
                "namespace": maybe(st.just("argocd")),
                "labels": maybe(st.dictionaries(st.sampled_from(["l", "x/y", "bad key"]), junk)),
                "annotations": maybe(
                    st.fixed_dictionaries(
                        {"argocd.argoproj.io/sync-wave": maybe(st.sampled_from(["1", "-2"]))}
                    )
                ),
                "finalizers": maybe(st.lists(st.just("f"))),
            },
        ),
        "spec": maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "source": maybe(source),
                    "sources": maybe(st.lists(source, max_size=3)),
                    "destination": maybe(
                        st.fixed_dictionaries(
                            {}, optional={"namespace": maybe(st.sampled_from(["kf", "Bad"]))}
                        )
                    ),
                    "project": maybe(st.just("default")),
                    "syncPolicy": maybe(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "automated": junk,
                                "syncOptions": junk,
                                "retry": junk,
                            },
                        )
                    ),
                    "ignoreDifferences": junk,
                    "dependsOn": junk,
                },
            )
        ),
    }
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(application, min_size=1, max_size=4))
# Found by this test: a list among the sync options crashed check's unknown-sync-option rule.
@example(
    [
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "metadata": {"name": "a"},
            "spec": {"syncPolicy": {"syncOptions": [[]]}},
        }
    ]
)
# Found by this test: a root (source path '.') without destination.namespace wrote a null
# appOfApps.namespace (an internal error).
@example(
    [
        {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": n}}
        | ({"spec": {"source": {"path": "."}}} if n == "kubeflow-a" else {"spec": {}})
        for n in ("a", "kubeflow-a", "argocd")
    ]
)
def test_import_never_crashes(apps: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "in"
        root.mkdir()
        for i, app in enumerate(apps):
            (root / f"{i}.yaml").write_text(yamlio.dump(app))
        try:
            result = importer.import_path(root, source="in")
        except KfbootError as exc:
            assert "internal error" not in exc.message
            return
        parse_catalog(result.text)
