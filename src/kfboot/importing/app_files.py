"""Reading hand-written Argo CD Applications from a directory tree, for ``kfboot import``.

The files Argo CD would read (``tree``) are read, every document of each; files without
``argoproj.io`` are skipped unparsed, and documents that are not Applications are skipped.
Input that cannot be imported at all (not YAML, not UTF-8, an Application without a name, two
Applications with one name) is an error naming every file involved, raised before anything is
written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfboot import yamlio
from kfboot.catalog.credentials import masked
from kfboot.catalog.models import DNS1123_LABEL
from kfboot.errors import KfbootError
from kfboot.findings import Finding, Severity
from kfboot.importing.tree import (
    application_files,
    beside_files,
    chart_templates,
    read_file,
    skipped,
    top_of,
)

_NAME = re.compile(DNS1123_LABEL)


@dataclass(frozen=True)
class AppDoc:
    """One Application document and where it came from."""

    file: str  # as shown in messages: the imported path joined with ``rel``
    rel: str  # relative to the imported directory, '/'-separated
    data: dict[str, Any]
    pos: yamlio.Positions
    # Beside the imported directory's kustomization, which does not select it: Argo CD never
    # reads it from there, but it may be the root applied by hand (kept only if it is one).
    beside: bool = False

    @property
    def name(self) -> str:
        return str(self.data["metadata"]["name"])

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = self.data["metadata"]
        return meta

    def where(self, path: yamlio.Path_, key: bool = False) -> str:
        mark = self.pos.of_key(path) if key else self.pos.of_value(path)
        return f"{self.file}:{mark.line}:{mark.col}"

    def finding(
        self,
        path: yamlio.Path_,
        rule: str,
        message: str,
        severity: Severity = "warning",
        key: bool = False,
    ) -> Finding:
        mark = self.pos.of_key(path) if key else self.pos.of_value(path)
        return Finding(self.file, mark.line, mark.col, severity, rule, message)


def shown(value: Any) -> str:
    """A value as a message names it: ``absent`` for nothing, a quoted string, else JSON."""
    if value is None or value == "":
        return "absent"
    value = masked(value)
    return repr(value) if isinstance(value, str) else json.dumps(value, default=str)


def dotted(path: yamlio.Path_) -> str:
    """``("spec", "sources", 0, "path")`` -> ``spec.sources[0].path``, as messages name fields."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (hand-written input may be anything)."""
    return value if isinstance(value, dict) else {}


def _is_application(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and doc.get("kind") == "Application"
        and str(doc.get("apiVersion", "")).startswith("argoproj.io/")
    )


def _documents(path: Path, shown: str) -> list[tuple[Any, yamlio.Positions]]:
    try:
        raw = read_file(path, shown)
        if b"argoproj.io" not in raw:
            return []  # cannot hold an Application: not worth a parse
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KfbootError(f"{shown}: not UTF-8 text: {exc.reason}") from None
    try:
        return yamlio.load_all_with_positions(text)
    except (yamlio.YamlSyntaxError, yamlio.DuplicateKeyError) as exc:
        raise KfbootError(f"{shown}:{exc.mark.line}:{exc.mark.col}: {exc}") from None


def _shape_problem(doc: dict[str, Any]) -> tuple[yamlio.Path_, str] | None:
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        return ("metadata",), "an Application needs a metadata mapping"
    if not isinstance(meta.get("name"), str) or not meta["name"]:
        return ("metadata", "name"), "an Application needs a name"
    if not _NAME.match(meta["name"]) or len(meta["name"]) > 63:
        return ("metadata", "name"), (
            f"Application name {meta['name']!r} is not a DNS-1123 label, which kfboot's catalog "
            "requires; rename it (lowercase letters, digits and '-')"
        )
    if "spec" in doc and not isinstance(doc["spec"], dict):
        return ("spec",), "spec must be a mapping"
    return None


def read_applications(root: Path, shown: str) -> list[AppDoc]:
    """Every Application under ``root``, in file order; raise on input that cannot be imported."""
    errors: list[str] = []
    apps: list[AppDoc] = []
    appsets: list[str] = []
    files = application_files(root)
    top = top_of(root)
    for path in files:
        rel = path.name if root.is_file() else path.relative_to(top).as_posix()
        file = shown if root.is_file() else f"{shown.rstrip('/')}/{rel}"
        try:
            docs = _documents(path, file)
        except KfbootError as exc:
            errors.append(exc.message)
            continue
        for data, pos in docs:
            if isinstance(data, dict) and data.get("kind") == "ApplicationSet":
                appsets.append(file)
            if not _is_application(data):
                continue
            app = AppDoc(file, rel, data, pos)
            problem = _shape_problem(data)
            if problem:
                errors.append(f"{app.where(problem[0])}: {problem[1]}")
            else:
                apps.append(app)
    errors.extend(_duplicates(apps))
    apps.extend(_beside(root, shown, {a.name for a in apps}))
    if errors:
        raise KfbootError("\n".join(errors))
    if not apps:
        raise KfbootError(
            f"{shown}: no Argo CD Applications found (read {len(files)} YAML file(s))"
            + _templated(root, shown)
            + _generated(appsets)
        )
    return apps


def skipped_links(root: Path, shown: str) -> list[Finding]:
    """A finding for each symlink import did not follow: out of the tree, a loop, unresolved."""
    top = top_of(root)
    return [
        Finding(
            f"{shown.rstrip('/')}/{path.relative_to(top).as_posix()}",
            0,
            0,
            "warning",
            "import-not-carried-over",
            why,
        )
        for path, why in skipped(root)
    ]


def _generated(appsets: list[str]) -> str:
    """Why there are none when the tree holds ApplicationSets: their Applications exist only
    once the ApplicationSet controller generates them."""
    if not appsets:
        return ""
    return (
        f"; {', '.join(sorted(set(appsets)))} hold ApplicationSets, whose Applications the "
        "ApplicationSet controller generates: write them out first (argocd appset generate FILE "
        "-o yaml > apps.yaml, or kubectl get applications -n argocd -o yaml > apps.yaml) and "
        "import that file"
    )


def _templated(root: Path, shown: str) -> str:
    """Why there are none when the Applications exist only as Helm chart templates."""
    templates = chart_templates(root)
    if not templates:
        return ""
    top = top_of(root)
    names = ", ".join(f"{shown.rstrip('/')}/{t.relative_to(top).as_posix()}/" for t in templates)
    chart = templates[0].parent.relative_to(top).as_posix()
    return (
        f"; the Applications in {names} are Helm chart templates, which only a render turns "
        f"into Applications: render the chart first (helm template NAME "
        f"{shown.rstrip('/')}/{chart} > apps.yaml, then kfboot import apps.yaml) and import "
        "what it writes"
    )


def _duplicates(apps: list[AppDoc]) -> list[str]:
    first: dict[str, AppDoc] = {}
    errors = []
    for app in apps:
        seen = first.setdefault(app.name, app)
        if seen is not app:
            errors.append(
                f"{app.where(('metadata', 'name'))}: duplicate Application name {app.name!r} "
                f"(also {seen.where(('metadata', 'name'))}); keep one of them"
            )
    return errors


def _beside(root: Path, shown: str, taken: set[str]) -> list[AppDoc]:
    """Applications in files beside the imported directory's kustomization that it does not
    select (a root applied by hand is often there); unreadable ones are not Argo CD's input."""
    found = []
    for path in beside_files(root):
        rel = path.relative_to(top_of(root)).as_posix()
        try:
            docs = _documents(path, rel)
        except KfbootError:
            continue
        for data, pos in docs:
            if _is_application(data) and _shape_problem(data) is None:
                app = AppDoc(f"{shown.rstrip('/')}/{rel}", rel, data, pos, beside=True)
                if app.name not in taken:
                    found.append(app)
    return found
