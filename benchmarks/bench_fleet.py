"""Rendering a fleet: 50 clusters x the default catalog's 14 components, as a ratio to one cluster.

In-process (``parse_catalog`` + ``render``, the work ``kfboot render`` adds per cluster), median
of several runs after a warm-up, for both layouts. Every fifth cluster overrides something (one
disables a component, the next tracks another revision) so that not every cluster is the same.
Run: python benchmarks/bench_fleet.py [--runs N] [--clusters N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kfboot.catalog.load import parse_catalog  # noqa: E402
from kfboot.render.tree import render  # noqa: E402


def fleet(n: int, layout: str) -> str:
    lines = [f"layout: {layout}", "clusters:", "  - {name: c0, hub: true}"]
    for i in range(1, n):
        entry = f"  - name: c{i}\n    labels: {{region: r{i % 3}}}"
        if i % 5 == 1:
            entry += "\n    components: {spark: {enabled: false}}"
        elif i % 5 == 2:
            entry += "\n    targetRevision: v1.11.0"
        lines.append(entry)
    return (ROOT / "waves.yaml").read_text() + "\n".join(lines) + "\n"


def timed(text: str, runs: int) -> tuple[float, int]:
    files = render(parse_catalog(text))  # warm-up: templates compiled, caches filled
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        render(parse_catalog(text))
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--clusters", type=int, default=50)
    args = parser.parse_args()
    for layout in ("app-of-apps", "applicationset"):
        one, one_files = timed(fleet(1, layout), args.runs)
        many, many_files = timed(fleet(args.clusters, layout), args.runs)
        print(
            f"{layout:<15} 1 cluster {one * 1000:7.1f} ms ({one_files} files)  "
            f"{args.clusters} clusters {many * 1000:8.1f} ms ({many_files} files)  "
            f"ratio {many / one:5.1f} x"
        )


if __name__ == "__main__":
    main()
