"""Speed of kfboot's everyday commands, as ratios to a floor measured in the same run.

D, the dependency floor, is the interpreter importing kfboot's four runtime dependencies:
    python -I -c "import click, jinja2, yaml, pydantic; from pydantic import BaseModel"
Each command runs as a fresh process (as users run it), several times; the median counts. As
pip does on install, kfboot's modules are byte-compiled first: where PYTHONDONTWRITEBYTECODE is
set (this development machine sets it), Python would otherwise compile every module from source
on every run, which users never pay.
Aims (the render issue): --help <= 0.5 D, default render <= 1.4 D, a 1,000-component render
<= 6x the default render; (the check issue) check of the default catalog <= 1.6 D.
With --instructions each command runs once under valgrind (callgrind) instead, and the ratios
are of instructions executed: slower, but the same on an idle or a loaded machine (wall time on a
shared 2-core machine varies by 2x and more), so they compare one change with another. The
catalogs are rendered outside a git repository (check's revision path check costs one git call).
Run: python benchmarks/bench_render.py [--runs N] [--instructions]
"""

from __future__ import annotations

import argparse
import compileall
import re
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


def instructions(cmd: list[str], cwd: Path, runs: int) -> float:
    """Instructions executed by ``cmd`` (callgrind's "Collected" count; deterministic: one run)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
    return float(found.group(1))


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
    parser.add_argument("--instructions", action="store_true", help="count, not time (valgrind)")
    args = parser.parse_args()
    runs = args.runs
    measure = instructions if args.instructions else timed
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind")
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

        d = measure(FLOOR, default, runs)
        bare = measure([sys.executable, "-I", "-c", "pass"], default, runs)
        help_ = measure([*KFBOOT, "--help"], default, runs)
        render = measure([*KFBOOT, "render"], default, runs)
        check = measure([*KFBOOT, "check"], default, runs)
        render_big = measure([*KFBOOT, "render"], big, max(3, runs // 2))

    unit, scale = ("M instr", 1e-6) if args.instructions else ("ms", 1000)

    def show(label: str, value: float) -> str:
        return f"{label:<27}{value * scale:8.1f} {unit:<7}"

    print(show("bare interpreter", bare))
    print(show("D (dependency floor)", d))
    print(f"{show('kfboot --help', help_)} {help_ / d:5.2f} x D   (aim <= 0.5)")
    print(f"{show('kfboot render (default)', render)} {render / d:5.2f} x D   (aim <= 1.4)")
    print(f"{show('kfboot check (default)', check)} {check / d:5.2f} x D   (aim <= 1.6)")
    print(
        f"{show('kfboot render (1,000)', render_big)} {render_big / render:5.2f} x default"
        "   (aim <= 6)"
    )


if __name__ == "__main__":
    main()
