"""``render`` and ``check`` of a one-cluster catalog load only what they use (issue 23): no fleet
renderer or rule, no import, manifests, plan, upgrade, lint or cluster code, no jq. Each of
those costs start-up time on every run; the commands that need them import them themselves."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_CATALOG

NOT_FOR_ONE_CLUSTER = (
    "kfboot.catalog.fleet_rules",
    "kfboot.render.appset",
    "kfboot.render.fleet",
    "kfboot.render.makefile_fleet",
    "kfboot.importing",
    "kfboot.manifests",
    "kfboot.upgrade",
    "kfboot.lint",
    "kfboot.cluster",
    "kfboot.plan.diff",
    "kfboot.plan.state",
    "kfboot.plan.objects",
    "jq",
)
PROBE = """
import json, sys
from kfboot.cli import main
sys.argv = ["kfboot", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_one_cluster_command_loads_no_fleet_import_or_manifests_code(
    command: str, tmp_path: Path
) -> None:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    if command == "check":
        subprocess.run([sys.executable, "-c", PROBE, "render"], cwd=tmp_path, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, command], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert "kfboot.catalog.models" in loaded  # the probe saw the command run
    unwanted = [
        m for m in loaded if any(m == p or m.startswith(p + ".") for p in NOT_FOR_ONE_CLUSTER)
    ]
    assert unwanted == []
