"""Speed of ``kfboot lint`` on a tree of 1,000 hand-written Applications.

The tree: a root Application over ``apps/`` (a kustomization listing 1,000 files), each child an
Application with a sync wave, a multi-source Helm chart with a ``$values`` file, sync options,
retry and ignoreDifferences, an AppProject they all use, an argocd-cm with the health check, and
beside them plain YAML (Deployments) that lint never parses. D, the dependency floor, is the
interpreter importing kfboot's runtime dependencies (as in bench_render.py), measured in the same
run and interleaved with it; lint runs as a fresh process (as users run it), several times, and
the medians count.
With --instructions each runs once under valgrind (callgrind) and the ratio is of instructions
executed, which does not move with the machine's load (see bench_render.py).
Aim (the lint issue): 1,000 Applications within 6 x D, with no finding.
Run: python benchmarks/bench_lint.py [--apps N] [--runs N] [--instructions]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench_render import FLOOR, KFBOOT, instructions, timed

REPO = "https://github.com/acme/gitops.git"
CHILD = f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: c{{i}}
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "{{wave}}"
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: platform
  sources:
    - repoURL: https://charts.example.com
      chart: c{{i}}
      targetRevision: 1.2.{{i}}
      helm:
        releaseName: c{{i}}
        valueFiles: [$values/values/c{{i}}.yaml]
    - repoURL: {REPO}
      targetRevision: main
      ref: values
  destination:
    server: https://kubernetes.default.svc
    namespace: ns{{i}}
  syncPolicy:
    automated: {{{{prune: true, selfHeal: true}}}}
    syncOptions: [CreateNamespace=true, ServerSideApply=true, RespectIgnoreDifferences=true]
    retry:
      limit: -1
      refresh: true
      backoff: {{{{duration: 5s, factor: 2, maxDuration: 3m}}}}
  ignoreDifferences:
    - group: admissionregistration.k8s.io
      kind: MutatingWebhookConfiguration
      jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"]
"""
ROOT_APP = f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: root, namespace: argocd}}
spec:
  project: platform
  source: {{repoURL: {REPO}, targetRevision: main, path: apps}}
  destination: {{server: https://kubernetes.default.svc, namespace: argocd}}
"""
PROJECT = f"""\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {{name: platform, namespace: argocd}}
spec:
  sourceRepos: [{REPO}, https://charts.example.com]
  destinations: [{{server: https://kubernetes.default.svc, namespace: '*'}}]
"""
HEALTH = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm, namespace: argocd}
data:
  resource.customizations.health.argoproj.io_Application: |
    hs = {status = "Progressing"}
    return hs
"""


def tree(top: Path, n: int) -> None:
    apps = top / "apps"
    apps.mkdir(parents=True)
    for i in range(n):
        (apps / f"c{i}.yaml").write_text(CHILD.format(i=i, wave=i % 10))
    listed = "".join(f"  - c{i}.yaml\n" for i in range(n))
    (apps / "kustomization.yaml").write_text("resources:\n" + listed)
    (top / "root.yaml").write_text(ROOT_APP)
    (top / "project.yaml").write_text(PROJECT)
    (top / "argocd-cm.yaml").write_text(HEALTH)
    plain = top / "workloads"
    plain.mkdir()
    for i in range(n):
        (plain / f"d{i}.yaml").write_text(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--instructions", action="store_true", help="count, not time (valgrind)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind")
    with tempfile.TemporaryDirectory(prefix="kfboot-bench-lint-") as tmp:
        top = Path(tmp)
        tree(top, args.apps)
        out = subprocess.run([*KFBOOT, "lint", "."], cwd=top, capture_output=True, text=True)
        assert out.returncode == 0 and out.stdout == "no findings\n", out.stdout[-2000:]
        if args.instructions:
            floor = instructions(FLOOR, top, 1)
            lint = instructions([*KFBOOT, "lint", "."], top, 1)
            print(f"D (dependency floor): {floor * 1e-6:.0f} M instructions")
            ratio = f"{lint * 1e-6:.0f} M = {lint / floor:.2f} x D"
            print(f"kfboot lint, {args.apps} Applications: {ratio}")
            return
        # Interleaved, one floor run then one lint run: the machine's load moves between them.
        pairs = [
            (timed(FLOOR, top, 1), timed([*KFBOOT, "lint", "."], top, 1)) for _ in range(args.runs)
        ]
        floor = statistics.median(f for f, _ in pairs)
        lint = statistics.median(t for _, t in pairs)
        print(f"D (dependency floor): {floor * 1000:.0f} ms")
        print(
            f"kfboot lint, {args.apps} Applications: {lint * 1000:.0f} ms = {lint / floor:.2f} x D"
            f" ({(lint - floor) / args.apps * 1e6:.0f} us per Application above D; aim 6 x D)"
        )


if __name__ == "__main__":
    main()
