"""One Finding type, reporters chosen by name, and the one mapping of outcomes to exit codes."""

from __future__ import annotations

import json

import pytest

from kfboot.errors import CatalogError, KfbootError, Outcome, UsageError, exit_code
from kfboot.findings import REPORTER_BY_NAME, Finding, Report, located, reporter

WARN = Finding("a.yaml", 2, 3, "warning", "empty-wave", "no component")
ERR = located("waves.yaml", 4, 5, "components[0].wave", "must be >= 0")


def test_a_catalog_problem_is_a_finding() -> None:
    assert str(ERR) == "waves.yaml:4:5: components[0].wave: must be >= 0"
    assert ERR.text() == "waves.yaml:4:5: [error] catalog: components[0].wave: must be >= 0"
    assert str(CatalogError([ERR, located("waves.yaml", 1, 1, "", "bad")])) == (
        "waves.yaml:1:1: bad\nwaves.yaml:4:5: components[0].wave: must be >= 0"
    )


@pytest.mark.parametrize("name", ["text", "json", "github"])
def test_reporters_by_name(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert REPORTER_BY_NAME[name].name == name
    out = reporter(name).render(Report([ERR, WARN], diff="DIFF\n", extra={"k": 1}))
    if name == "json":
        doc = json.loads(out)
        assert doc["summary"] == {"errors": 1, "warnings": 1} and doc["k"] == 1
        assert doc["findings"][1]["message"] == "components[0].wave: must be >= 0"
    else:
        assert out.endswith("1 error(s), 1 warning(s)\n") and "DIFF\n" in out
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert reporter(None).name == "github"


@pytest.mark.parametrize(
    ("result", "code"),
    [
        (None, 0),
        (Outcome((WARN,)), 0),
        (Outcome((WARN,), strict=True), 1),
        (Outcome((ERR, WARN)), 1),
        (KfbootError("x"), 1),
        (UsageError("x"), 2),
    ],
)
def test_one_mapping_to_exit_codes(result: object, code: int) -> None:
    assert exit_code(result) == code
