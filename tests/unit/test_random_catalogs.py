"""Hypothesis-generated valid catalogs: each renders, parses back, validates against Argo CD's
CRD schema where available, and its app of apps builds to exactly the enabled Applications."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfboot import yamlio
from kfboot.catalog.load import parse_catalog
from kfboot.layout import wave_dir
from kfboot.output import apply, plan
from kfboot.render.bootstrap import render
from tests import argocd_schema

name = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)
path = st.lists(
    st.from_regex(r"[a-z][a-z0-9_.-]{0,8}", fullmatch=True), min_size=1, max_size=4
).map("/".join)


@st.composite
def _real_world(draw: st.DrawFn, paths: int) -> dict[str, Any]:
    """At most one of the settings real bootstraps use (issue 12), often none."""
    choice = draw(st.sampled_from(["", "", "manual", "no-namespace", "project", "cluster", "helm"]))
    if choice == "manual":
        return {"automated": False}
    if choice == "no-namespace":
        return {"namespace": None}
    if choice == "project":
        return {"project": draw(name)}
    if choice == "cluster":
        return {"destinationServer": "https://10.0.0.1:6443"}
    if choice == "helm" and paths == 1:
        return {"source": {"helm": {"valueFiles": ["values.yaml"], "releaseName": draw(name)}}}
    return {}


@st.composite
def catalogs(draw: st.DrawFn) -> dict[str, Any]:
    waves = sorted(draw(st.sets(st.integers(-3, 12), min_size=1, max_size=5)))
    names = draw(st.lists(name, min_size=1, max_size=8, unique=True))
    components = []
    for i, comp_name in enumerate(names):
        wave = draw(st.sampled_from(waves))
        earlier = [c for c in components if c["wave"] < wave and c.get("enabled", True)]
        comp: dict[str, Any] = {
            "name": comp_name,
            "application": f"app-{comp_name}",
            "wave": wave,
            "namespace": draw(name),
            "paths": draw(st.lists(path, min_size=1, max_size=3, unique=True)),
        }
        if earlier:
            comp["dependsOn"] = draw(
                st.lists(st.sampled_from([c["name"] for c in earlier]), unique=True, max_size=2)
            )
        if i and draw(st.booleans()):
            comp["enabled"] = False
        comp.update(draw(_real_world(len(comp["paths"]))))
        components.append({k: v for k, v in comp.items() if v is not None})
    # A disabled dependency is an error: only enabled components may be depended upon.
    disabled = {c["name"] for c in components if c.get("enabled") is False}
    for comp in components:
        if "dependsOn" in comp:
            comp["dependsOn"] = [d for d in comp["dependsOn"] if d not in disabled]
    cluster = {"destinationName": "prod"} if draw(st.integers(0, 4)) == 0 else {}
    return {
        **cluster,
        "repoURL": "https://github.com/acme/manifests.git",
        "targetRevision": draw(st.sampled_from(["main", "26.03", "v1.11.0", "y"])),
        "bootstrapPath": draw(st.sampled_from(["bootstrap", "deploy/bootstrap"])),
        "waves": [{"wave": w, "label": f"Wave {w}"} for w in waves],
        "components": components,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_random_catalog_renders_valid_output(data: dict[str, Any]) -> None:
    catalog = parse_catalog(yamlio.dump(data))
    files = render(catalog)
    enabled = [c for c in data["components"] if c.get("enabled", True)]
    apps = {}
    for rel, text in files.items():
        if rel == "Makefile":
            continue
        (doc,) = yamlio.parse_back(text)
        if doc.get("kind") == "Application" and rel != "app-of-apps.yaml":
            apps[doc["metadata"]["name"]] = doc
            if argocd_schema.available():
                assert argocd_schema.application_errors(doc) == [], rel
    assert sorted(apps) == sorted(f"app-{c['name']}" for c in enabled)
    for comp in enabled:
        app = apps[f"app-{comp['name']}"]
        assert app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == str(comp["wave"])
        assert f"apps/kubeflow/{wave_dir(comp['wave'])}/{comp['name']}.yaml" in files
        assert app["spec"]["source"]["targetRevision"] == data["targetRevision"]
    if shutil.which("kubectl"):
        with tempfile.TemporaryDirectory() as tmp:
            apply(plan(Path(tmp), files))
            out = subprocess.run(
                ["kubectl", "kustomize", f"{tmp}/apps/kubeflow"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            built = sorted(d["metadata"]["name"] for d in yaml.safe_load_all(out) if d)
            assert built == sorted(apps)
