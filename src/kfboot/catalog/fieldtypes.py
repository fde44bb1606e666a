"""Field types of the catalog: constrained strings, durations, labels, paths and rule ids.

Each type validates one field on its own (pydantic ``AfterValidator``) and carries the same rule
as a JSON Schema pattern, so editors flag what ``kfboot`` would refuse. The models that use them
live in :mod:`kfboot.catalog.models`.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from kfboot.catalog import gitrefs
from kfboot.check.rules.argocd import WAVE_MAX, WAVE_MIN
from kfboot.check.rules.registry import BY_ID, IGNORABLE
from kfboot.k8s import GO_DURATION

DNS1123_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
_QUALIFIED_KEY = re.compile(
    r"(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?"
    r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?\Z"
)
_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?\Z")


def _check(problem: str | None) -> None:
    if problem:
        raise ValueError(problem)


def _repo_url(value: str) -> str:
    _check(gitrefs.repo_url_problem(value))
    return value


def _revision(value: str) -> str:
    _check(gitrefs.revision_problem(value))
    return value


def _rel_path(value: str) -> str:
    if not value:
        raise ValueError("path is empty")
    if value.startswith("/") or re.match(r"[A-Za-z]:[\\/]", value):
        raise ValueError(f"path {value!r} must be relative to the repository root")
    if "\\" in value:
        raise ValueError(f"path {value!r} must use '/' separators")
    parts = value.split("/")
    if ".." in parts:
        raise ValueError(f"path {value!r} must not contain '..'")
    if any(p in ("", ".") for p in parts):
        raise ValueError(f"path {value!r} has an empty or '.' component")
    if "\0" in value:
        raise ValueError("path contains a NUL character")
    if any(len(p.encode()) > 255 for p in parts):
        raise ValueError("path has a component longer than 255 bytes (the file-system limit)")
    return value


def _duration(value: str) -> str:
    if not GO_DURATION.match(value):
        raise ValueError(f"{value!r} is not a duration such as 5s, 2m or 1h")
    return value


def _label_map(value: dict[str, str]) -> dict[str, str]:
    for key, item in value.items():
        if not _QUALIFIED_KEY.match(key) or len(key.rsplit("/", 1)[-1]) > 63:
            raise ValueError(f"{key!r} is not a valid label key")
        if len(item) > 63 or not _LABEL_VALUE.match(item):
            raise ValueError(f"label {key!r}: {item!r} is not a valid label value")
    return value


def _annotation_map(value: dict[str, str]) -> dict[str, str]:
    for key in value:
        if not _QUALIFIED_KEY.match(key):
            raise ValueError(f"{key!r} is not a valid annotation key")
    return value


def _rule_id(value: str) -> str:
    if value in IGNORABLE:
        return value
    if value in BY_ID:
        raise ValueError(f"rule {value!r} cannot be ignored")
    close = difflib.get_close_matches(value, IGNORABLE, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"unknown rule {value!r}{hint}")


def _reason(value: str) -> str:
    if not value.strip():
        raise ValueError("a reason is required: say why the rule does not apply here")
    return value


# The same rules as the validators above, as JSON Schema patterns, so that editors flag them too.
_DURATION_PATTERN = GO_DURATION.pattern.removesuffix(r"\Z").join("^$")
_REL_PATH_PATTERN = r"^(?![A-Za-z]:/)(?!\.\.?(?:/|$))(?!.*/\.\.?(?:/|$))[^/\\]+(?:/[^/\\]+)*$"
_LABELS_SCHEMA = {
    "propertyNames": {"pattern": _QUALIFIED_KEY.pattern.removesuffix(r"\Z").join("^$")},
    "additionalProperties": {
        "type": "string",
        "maxLength": 63,
        "pattern": _LABEL_VALUE.pattern.removesuffix(r"\Z").join("^$"),
    },
}

# Argo CD reads the sync-wave annotation with Go's strconv.Atoi (gitops-engine
# pkg/sync/syncwaves/waves.go); outside int64 Atoi fails and the wave silently becomes 0.
SyncWave = Annotated[int, Field(ge=WAVE_MIN, le=WAVE_MAX)]
Name = Annotated[str, StringConstraints(pattern=DNS1123_LABEL, max_length=63)]
RepoURL = Annotated[str, AfterValidator(_repo_url)]
Revision = Annotated[str, AfterValidator(_revision)]
RelPath = Annotated[
    str, AfterValidator(_rel_path), Field(json_schema_extra={"pattern": _REL_PATH_PATTERN})
]
Duration = Annotated[
    str, AfterValidator(_duration), Field(json_schema_extra={"pattern": _DURATION_PATTERN})
]
Labels = Annotated[
    dict[str, str], AfterValidator(_label_map), Field(json_schema_extra=_LABELS_SCHEMA)
]
Annotations = Annotated[dict[str, str], AfterValidator(_annotation_map)]
Text = Annotated[str, Field(max_length=2000)]
