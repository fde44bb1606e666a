"""Speed of ``check --manifests``: kfboot cold and warm versus plain sequential builds.

A tree is generated at every path of the default catalog (14 components; argocd is a Helm chart
and is skipped, so 13 builds): each path an overlay over a base of CRDs with sizeable schemas,
workloads, RBAC and custom resources, and bootstrap/ rendered into it. In one run:
  S    every component built with plain ``kubectl kustomize`` one after another (its one path, or
       its rendered wrapper), the output read as text;
  cold kfboot's whole --manifests check with an empty cache;
  warm the same again with the cache filled.
kfboot builds with GOGC=400 (``kfboot.manifests.build._go_env``: the same output, less time in
Go's garbage collector); S is plain ``kubectl kustomize`` as a user would run it. kfboot runs
in-process (the interpreter start and imports are the render benchmark's business) and, for
reference, as a fresh ``kfboot check --manifests`` process.
Aims (the manifests issue): cold <= 0.8 S on 2 cores; warm < 0.1 S.
Run: python benchmarks/bench_manifests.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kfboot.catalog.load import load_catalog  # noqa: E402
from kfboot.manifests import manifest_findings  # noqa: E402
from kfboot.output import apply, plan  # noqa: E402
from kfboot.render.bootstrap import app_path, render  # noqa: E402


def crd(plural: str, props: int) -> str:
    fields = "".join(
        f"                f{i}:\n                  type: string\n"
        f"                  description: field {i} of {plural}, generated for size\n"
        for i in range(props)
    )
    return (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        f"metadata:\n  name: {plural}.bench.example.com\nspec:\n  group: bench.example.com\n"
        f"  names:\n    kind: K{plural}\n    plural: {plural}\n  scope: Namespaced\n"
        "  versions:\n    - name: v1\n      served: true\n      storage: true\n"
        "      schema:\n        openAPIV3Schema:\n          type: object\n"
        "          properties:\n            spec:\n              type: object\n"
        f"              properties:\n{fields}"
    )


def plain(kind: str, api: str, name: str) -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: kubeflow\n"


def generate(root: Path, index: int, rel: str) -> None:
    slug = f"c{index}"
    base = root / "gen" / slug
    base.mkdir(parents=True)
    files = {f"crd{i}.yaml": crd(f"{slug}x{i}", 400) for i in range(3)}
    for i in range(15):
        files[f"cm{i}.yaml"] = plain("ConfigMap", "v1", f"{slug}-cm{i}")
        files[f"sa{i}.yaml"] = plain("ServiceAccount", "v1", f"{slug}-sa{i}")
    files["cr.yaml"] = plain(f"K{slug}x0", "bench.example.com/v1", f"{slug}-cr")
    for name, text in files.items():
        (base / name).write_text(text)
    (base / "kustomization.yaml").write_text("resources:\n" + "".join(f"  - {n}\n" for n in files))
    overlay = root / rel
    overlay.mkdir(parents=True)
    up = os.path.relpath(base, overlay)
    (overlay / "kustomization.yaml").write_text(
        f"resources:\n  - {up}\nlabels:\n  - pairs:\n      app.kubernetes.io/part-of: kubeflow\n"
    )


def build_tree(root: Path) -> list[Path]:
    """The tree, and the directory each built component's Application points at."""
    shutil.copy(ROOT / "waves.yaml", root / "waves.yaml")
    catalog = load_catalog(root / "waves.yaml")
    paths = [p for c in catalog.enabled_components() for p in c.paths]
    for index, rel in enumerate(paths):
        generate(root, index, rel)
    ns = root / "common/kubeflow-namespace/base"
    (ns / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kubeflow\n")
    text = (ns / "kustomization.yaml").read_text()
    (ns / "kustomization.yaml").write_text(
        text.replace("resources:\n", "resources:\n  - ns.yaml\n")
    )
    apply(plan(root / "bootstrap", render(catalog)))
    targets = []
    for comp in catalog.enabled_components():
        path = app_path(catalog, comp)
        if comp.helm is None and comp.argocd is None and path is not None:
            targets.append(root / path)
    return targets


def interleaved(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """Median seconds of each function, run in turn so that a change in machine load (other
    processes on a shared host) hits every measurement alike."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, bucket in zip(fns, samples, strict=True):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return [statistics.median(bucket) for bucket in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "manifests"
        root.mkdir()
        targets = build_tree(root)
        catalog_path = root / "waves.yaml"
        catalog = load_catalog(catalog_path)
        caches = Path(tmp) / "caches"
        caches.mkdir()

        def sequential() -> None:
            for target in targets:
                subprocess.run(
                    ["kubectl", "kustomize", str(target)],
                    check=True,
                    capture_output=True,
                    text=True,
                )

        def cold() -> None:
            os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(dir=caches)
            manifest_findings(catalog, catalog_path, root, "kubectl kustomize", use_cache=True)

        def warm() -> None:
            manifest_findings(catalog, catalog_path, root, "kubectl kustomize", use_cache=True)

        def process(env: dict[str, str]) -> Callable[[], object]:
            cmd = [sys.executable, "-m", "kfboot", "check", "--manifests", ".", "--format", "json"]
            return lambda: subprocess.run(cmd, cwd=root, env=env, capture_output=True, check=False)

        env = {**os.environ, "XDG_CACHE_HOME": str(caches / "proc")}
        sequential()  # warm the page cache and kubectl once
        cold()
        process(env)()
        s, c, w, pw = interleaved([sequential, cold, warm, process(env)], runs)
        findings, _ = manifest_findings(catalog, catalog_path, root, "kubectl kustomize")
    print(f"cores                              {os.cpu_count()}")
    print(f"builds                             {len(targets)}")
    print(f"S: sequential kubectl kustomize    {s * 1000:8.1f} ms")
    print(f"kfboot cold (in-process)           {c * 1000:8.1f} ms  {c / s:5.2f} x S  (aim <= 0.8)")
    print(f"kfboot warm (in-process)           {w * 1000:8.1f} ms  {w / s:5.3f} x S  (aim < 0.1)")
    print(f"kfboot warm / cold                 {w / c:8.3f}")
    print(f"kfboot check process, warm         {pw * 1000:8.1f} ms  {pw / s:5.2f} x S")
    print(f"findings on the generated tree     {len(findings)}")


if __name__ == "__main__":
    main()
