"""The upgrade's three-way merge and its in-place writer on small documents: scalars, keyed
items (components by name, waves by number), list hunks, and the text each edit produces."""

from __future__ import annotations

from typing import Any

import yaml

from kfboot.upgrade import merge, textedit


def _load(text: str) -> Any:
    return yaml.safe_load(text)


def _merge(base: str, user: str, target: str) -> tuple[str, list[merge.Conflict]]:
    merged, conflicts = merge.merge(_load(base), _load(user), _load(target))
    new = textedit.rewrite(user, target, merged)
    assert _load(new) == merged
    return new, conflicts


BASE = """\
top: 1  # a comment
components:
  - name: a
    wave: 0
    paths:
      - x
      - y

  # b is old
  - name: b
    wave: 1
"""


def test_a_scalar_both_changed_is_a_conflict_keeping_the_users_value() -> None:
    merged, conflicts = merge.merge(
        _load(BASE),
        _load(BASE.replace("wave: 0", "wave: 5")),
        _load(BASE.replace("wave: 0", "wave: 7")),
    )
    assert conflicts == [merge.Conflict(("components", ("name", "a"), "wave"), 0, 5, 7)]
    assert merged["components"][0]["wave"] == 5


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    changed = BASE.replace("wave: 0", "wave: 5")
    new, conflicts = _merge(BASE, changed, changed)
    assert (new, conflicts) == (changed, [])


def test_a_scalar_the_preset_changed_is_spliced_keeping_the_line_comment() -> None:
    new, conflicts = _merge(
        BASE,
        BASE.replace("  - name: b\n", "  - name: b\n    enabled: false\n"),
        BASE.replace("top: 1", "top: 2"),
    )
    assert conflicts == []
    assert new.startswith("top: 2  # a comment\n")
    assert "  - name: b\n    enabled: false\n" in new


def test_a_component_the_preset_adds_arrives_with_its_comments_and_one_it_drops_goes() -> None:
    target = BASE.replace(
        "  # b is old\n  - name: b\n    wave: 1\n", "  # c is new\n  - name: c\n    wave: 2\n"
    )
    user = BASE.replace("top: 1  # a comment\n", "top: 1  # a comment\n# mine\n")
    new, conflicts = _merge(BASE, user, target)
    assert conflicts == []
    assert new == user.replace(
        "  # b is old\n  - name: b\n    wave: 1\n", "  # c is new\n  - name: c\n    wave: 2\n"
    )


def test_a_component_the_user_changed_and_the_preset_dropped_is_a_conflict() -> None:
    target = BASE.replace("\n  # b is old\n  - name: b\n    wave: 1\n", "")
    user = BASE.replace("    wave: 1\n", "    wave: 1\n    labels: {team: ml}\n")
    merged, conflicts = merge.merge(_load(BASE), _load(user), _load(target))
    assert [c.path for c in conflicts] == [("components", ("name", "b"))]
    assert [c["name"] for c in merged["components"]] == ["a", "b"]


def test_list_hunks_that_do_not_meet_merge_and_keep_the_comments_between() -> None:
    base = "paths:\n  # first\n  - x\n  # second\n  - y\n"
    user = "paths:\n  # first\n  - x\n  # second\n  - y\n  - mine  # added\n"
    target = "paths:\n  # first, renamed upstream\n  - x2\n  # second\n  - y\n"
    new, conflicts = _merge(base, user, target)
    assert conflicts == []
    assert (
        new == "paths:\n  # first, renamed upstream\n  - x2\n  # second\n  - y\n  - mine  # added\n"
    )


def test_a_key_the_preset_adds_goes_where_the_preset_has_it_with_its_comment() -> None:
    base = "a:\n  one: 1\n  two: 2  # mine\n"
    target = "a:\n  one: 1\n  # why\n  new: [3]\n  two: 2\n"
    new, conflicts = _merge(base, base, target)
    assert conflicts == []
    assert new == "a:\n  one: 1\n  # why\n  new: [3]\n  two: 2  # mine\n"


def test_a_key_the_user_added_keeps_its_place_and_the_presets_new_one_follows() -> None:
    base = "a:\n  one: 1\n"
    user = "a:\n  one: 1\n  mine: 2\n"
    target = "a:\n  one: 1\n  new: 3\n"
    new, conflicts = _merge(base, user, target)
    assert conflicts == []
    assert new == "a:\n  one: 1\n  mine: 2\n  new: 3\n"


def test_the_untouched_keys_are_never_merged() -> None:
    base = "repoURL: a\ntargetRevision: v1\nclusters: [x]\npreset: v1\nother: 1\n"
    target = "repoURL: b\ntargetRevision: v2\nclusters: [y]\npreset: v2\nother: 2\n"
    merged, conflicts = merge.merge(
        _load(base), _load(base.replace("a\n", "mine\n")), _load(target)
    )
    assert merged == {
        "repoURL": "mine",
        "targetRevision": "v1",
        "clusters": ["x"],
        "preset": "v1",
        "other": 2,
    }
    assert conflicts == []
