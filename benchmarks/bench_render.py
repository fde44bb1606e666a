"""Speed of kfboot's everyday commands, as ratios to a floor measured in the same run.

D, the dependency floor, is the interpreter importing kfboot's four runtime dependencies:
    python -I -c "import click, jinja2, yaml, pydantic; from pydantic import BaseModel"
Each command runs as a fresh process (as users run it), several times; the median counts. As
pip does on install, kfboot's modules are byte-compiled first: where PYTHONDONTWRITEBYTECODE is
set (this development machine sets it), Python would otherwise compile every module from source
on every run, which users never pay.
Aims (the render issue): --help <= 0.5 D, default render <= 1.4 D, a 1,000-component render
<= 6x the default render; (the check issue) check of the default catalog <= 1.6 D.
Run: python benchmarks/bench_render.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KFBOOT = [sys.executable, "-c", "from kfboot.cli import main; main()"]
FLOOR = [
    sys.executable,
    "-I",
    "-c",
    "import click, jinja2, yaml, pydantic; from pydantic import BaseModel",
]


def timed(cmd: list[str], cwd: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def big_catalog(n: int) -> str:
    """The default catalog's settings with ``n`` components spread over 10 waves."""
    # The cluster's Argo CD has the health check (no argocd component here): render stays quiet.
    head = [
        "repoURL: https://github.com/acme/manifests.git",
        "clusterHasApplicationHealthCheck: true",
        "waves:",
    ]
    head += [f"  - wave: {w}\n    label: Wave {w}" for w in range(10)]
    head.append("components:")
    for i in range(n):
        wave = i % 10
        deps = f"\n    dependsOn: [c{i - 1}]" if wave > 0 else ""
        paths = f"[apps/c{i}/base, apps/c{i}/extra]" if i % 3 == 0 else f"[apps/c{i}]"
        head.append(
            f"  - name: c{i}\n    wave: {wave}\n    namespace: ns{i % 7}{deps}\n"
            f"    description: component {i}\n    paths: {paths}"
        )
    return "\n".join(head) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    import kfboot

    compileall.compile_dir(str(Path(kfboot.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        default = Path(tmp) / "default"
        default.mkdir()
        shutil.copy(ROOT / "waves.yaml", default / "waves.yaml")
        big = Path(tmp) / "big"
        big.mkdir()
        (big / "waves.yaml").write_text(big_catalog(1000))
        for cwd in (default, big):  # warm the page cache and .pyc files once
            subprocess.run([*KFBOOT, "render"], cwd=cwd, check=True, stdout=subprocess.DEVNULL)

        d = timed(FLOOR, default, runs)
        bare = timed([sys.executable, "-I", "-c", "pass"], default, runs)
        help_ = timed([*KFBOOT, "--help"], default, runs)
        render = timed([*KFBOOT, "render"], default, runs)
        check = timed([*KFBOOT, "check"], default, runs)
        render_big = timed([*KFBOOT, "render"], big, max(3, runs // 2))

    print(f"bare interpreter           {bare * 1000:7.1f} ms")
    print(f"D (dependency floor)       {d * 1000:7.1f} ms")
    print(f"kfboot --help              {help_ * 1000:7.1f} ms  {help_ / d:5.2f} x D   (aim <= 0.5)")
    print(
        f"kfboot render (default)    {render * 1000:7.1f} ms  {render / d:5.2f} x D   (aim <= 1.4)"
    )
    print(f"kfboot check (default)     {check * 1000:7.1f} ms  {check / d:5.2f} x D   (aim <= 1.6)")
    print(
        f"kfboot render (1,000)      {render_big * 1000:7.1f} ms  "
        f"{render_big / render:5.2f} x default   (aim <= 6)"
    )


if __name__ == "__main__":
    main()
