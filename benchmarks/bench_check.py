"""Benchmark ``kfboot check`` on the default catalog against the dependency floor D.

D is the time Python needs just to import kfboot's dependencies:
``python -I -c "import click, jinja2, yaml, pydantic; from pydantic import BaseModel"``.
Both are measured in the same run, interleaved, and the median of several runs is compared, so
the ratio is stable across machines. The aim is a ratio within 1.6.

Usage: ``.venv/bin/python benchmarks/bench_check.py [--runs N] [--max-ratio R]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = [
    sys.executable,
    "-I",
    "-c",
    "import click, jinja2, yaml, pydantic; from pydantic import BaseModel",
]
CHECK = [sys.executable, "-I", "-m", "kfboot", "check", "--catalog", "waves.yaml"]


def _once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--max-ratio", type=float, default=None, help="exit 1 above this ratio")
    args = parser.parse_args()
    _once(FLOOR), _once(CHECK)  # warm the file cache and __pycache__
    floor, check = [], []
    for _ in range(args.runs):
        floor.append(_once(FLOOR))
        check.append(_once(CHECK))
    d, c = statistics.median(floor), statistics.median(check)
    ratio = c / d
    print(f"D (dependency floor)  {d * 1000:7.1f} ms  (median of {args.runs})")
    print(f"kfboot check          {c * 1000:7.1f} ms")
    print(f"ratio                 {ratio:7.2f}x D  (aim: 1.60x)")
    return 1 if args.max_ratio is not None and ratio > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
