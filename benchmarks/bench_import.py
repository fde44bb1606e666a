"""Speed of ``kfboot import`` on a fork of kubeflow/manifests: thousands of YAML files.

The tree is synthetic but shaped like the real one: upstream component directories, each a
kustomization over Deployments, Services and CRDs; Helm charts (``Chart.yaml``) whose
``templates/`` hold Applications full of ``{{ }}``; and a bootstrap/ of hand-written
Applications with their root. D, the dependency floor, is the interpreter importing kfboot's
runtime dependencies (as in bench_render.py), measured in the same run; import runs as a fresh
process (as users run it), several times, and the median counts.
Aim (the import issue): a fork imports in <= 5 s, with no finding for chart templates (the one
warning expected is no-application-health-check: the synthetic bootstrap installs no Argo CD).
Run: python benchmarks/bench_import.py [--files N] [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from bench_render import FLOOR, KFBOOT, timed

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - name: main
          image: ghcr.io/kubeflow/{name}:v1.10.0
          args: [--port=8080, --metrics=:9090]
"""
TEMPLATE_APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{{{ .Values.name }}}}-{i}
spec:
  source:
    repoURL: {{{{ .Values.repoURL }}}}
    path: {{{{ .Values.path }}}}
"""
APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  project: default
  source:
    repoURL: https://github.com/acme/manifests.git
    targetRevision: main
    path: {path}
  destination:
    server: https://kubernetes.default.svc
    namespace: kubeflow
  syncPolicy:
    automated: {{prune: true, selfHeal: true}}
"""


def fork(root: Path, files: int) -> int:
    """Write a fork of about ``files`` YAML files under ``root``; returns how many it wrote."""
    written = 0
    apps = root / "bootstrap/apps/kubeflow"
    apps.mkdir(parents=True)
    names = []
    for c in range(files // 10):
        directory = root / f"applications/c{c}/upstream/base"
        directory.mkdir(parents=True)
        members = [f"r{r}.yaml" for r in range(8)]
        for member in members:
            (directory / member).write_text(DEPLOYMENT.format(name=f"c{c}-{member[:-5]}"))
        (directory / "kustomization.yaml").write_text(f"resources: {members}\n")
        written += len(members) + 1
        if c % 20 == 0:
            names.append(f"c{c}")
            text = APP.format(name=f"c{c}", wave=c % 5, path=f"applications/c{c}/upstream/base")
            (apps / f"c{c}.yaml").write_text(text)
            written += 1
        if c % 10 == 0:  # a Helm chart templating Applications, as experimental/ has
            chart = root / f"experimental/chart{c}"
            (chart / "templates").mkdir(parents=True)
            (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: chart{c}\nversion: 0.1.0\n")
            (chart / "templates/app.yaml").write_text(TEMPLATE_APP.format(i=c))
            written += 2
    (apps / "kustomization.yaml").write_text(f"resources: {[f'{n}.yaml' for n in names]}\n")
    root_app = APP.format(name="root", wave=0, path="bootstrap/apps/kubeflow")
    (root / "bootstrap/root.yaml").write_text(
        root_app.replace("namespace: kubeflow", "namespace: argocd")
    )
    return written + 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "fork"
        count = fork(tree, args.files)
        cmd = [*KFBOOT, "import", "fork", "-o", "out.yaml", "--force"]
        out = subprocess.run(cmd, cwd=tmp, check=True, capture_output=True, text=True)
        d = timed(FLOOR, Path(tmp), args.runs)
        total = timed(cmd, Path(tmp), args.runs)
    print(f"YAML files                 {count:7d}")
    print(f"D (dependency floor)       {d * 1000:7.1f} ms")
    print(f"kfboot import              {total * 1000:7.1f} ms  {total / d:5.2f} x D   (aim <= 5 s)")
    print(f"per file                   {total / count * 1e6:7.1f} us")
    in_charts = [line for line in out.stdout.splitlines() if "experimental/" in line]
    print(f"findings                   {out.stdout.strip().splitlines()[-1]}")
    print(f"  in chart templates       {len(in_charts):7d}   (aim: 0)")


if __name__ == "__main__":
    main()
