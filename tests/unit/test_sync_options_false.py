"""Sync options of the form ``Name=false`` are valid wherever ``Name=true`` is (Argo CD compares
options as exact strings: an unused ``Name=false`` is the same as leaving the option out)."""

from __future__ import annotations

import pytest

from kfboot.check.rules.argocd import SYNC_OPTIONS


@pytest.mark.parametrize("option", sorted(o for o in SYNC_OPTIONS if o.endswith("=true")))
def test_every_true_option_has_its_false_form(option: str) -> None:
    assert option.replace("=true", "=false") in SYNC_OPTIONS


@pytest.mark.parametrize("option", ["CreateNamespace=False", "PruneLast=no", "Validate=true"])
def test_other_spellings_stay_unknown(option: str) -> None:
    assert option not in SYNC_OPTIONS
