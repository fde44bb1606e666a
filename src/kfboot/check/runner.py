"""The core of ``kfboot check``: catalog, drift, Argo CD rules and hygiene, as findings.

Nothing here prints or exits. Rules run over what the catalog renders (findings point back at
the catalog line) and over the committed files under bootstrap/ that differ from it, hand-written
ones included (findings point at the committed file). A committed file identical to its rendered
version would only repeat the rendered findings, so it is judged once, through the catalog.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kfboot import output, yamlio
from kfboot.catalog import crossfield as catalog_rules
from kfboot.catalog.credentials import redact_diff
from kfboot.catalog.load import load_catalog
from kfboot.catalog.models import AppOfApps, Catalog
from kfboot.check.fleet_apps import RuleInput
from kfboot.check.git_paths import git_path_findings
from kfboot.check.rules.application import Context, Hit, is_application
from kfboot.check.rules.application_runner import application_hits, is_root, waves_by_name
from kfboot.check.rules.catalog_wide import catalog_hits, origin
from kfboot.check.rules.extra_resources import extra_resource_findings
from kfboot.check.rules.hygiene import Docs, parse_and_check
from kfboot.check.rules.registry import severity
from kfboot.errors import CatalogError
from kfboot.findings import Finding, shown_path
from kfboot.layout import APPS_DIR, DEFAULT_BOOTSTRAP
from kfboot.render.sidecars import sidecars
from kfboot.render.tree import render


@dataclass
class Report:
    findings: list[Finding]
    diff: str


def display(path: Path) -> str:
    """How a catalog path is shown in messages (as ``load_catalog`` shows it)."""
    return shown_path(path)


def run(catalog_path: Path, out_dir: Path | None) -> Report:
    """Check a catalog and its bootstrap directory (``out_dir``, else beside the catalog)."""
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as exc:
        found = [_catalog_finding(p) for p in exc.problems]
        root = out_dir or catalog_path.parent / DEFAULT_BOOTSTRAP
        return Report(sorted(set(found + _committed(root, {}, None, None))), "")
    root = out_dir if out_dir is not None else catalog_path.parent / catalog.bootstrapPath
    files = render(catalog, source=catalog_path.name)
    # bootstrap/, then waves.schema.json and the generated sections of README.md and docs/.
    plan = output.plan(
        root, files, sidecars(catalog_path, catalog), base=catalog_path.parent, force=True
    )
    apps = RuleInput(catalog, files)
    found = plan.drift()
    found += _rendered(catalog, catalog_path, apps)
    found += _committed(root, files, catalog, apps)
    found += extra_resource_findings(catalog, catalog_path, root)
    found += git_path_findings(catalog, catalog_path)
    # A default shared by several components fires once per Application, at one catalog line.
    prefix = Path(os.path.relpath(root, catalog_path.parent)).as_posix()
    return Report(sorted(set(found)), redact_diff(plan.diff(prefix)))


def catalog_findings(catalog: Catalog, catalog_path: Path, files: dict[str, str]) -> list[Finding]:
    """The rule findings of a valid catalog and what it renders (what ``render`` refuses on)."""
    return sorted(set(_rendered(catalog, catalog_path, RuleInput(catalog, files))))


def _catalog_finding(problem: Finding) -> Finding:
    rule = (
        "dependency-wave-order"
        if problem.message.endswith(catalog_rules.DEPENDENCY_WAVE_ORDER)
        else "catalog"
    )
    return Finding(problem.file, problem.line, problem.col, "error", rule, problem.shown)


def _ignored(catalog: Catalog, index: int | None) -> set[str]:
    if index is None:
        return set()
    return {entry.rule for entry in catalog.components[index].ignore}


# --------------------------------------------------------------------- rendered -> the catalog


def _rendered(catalog: Catalog, catalog_path: Path, apps: RuleInput) -> list[Finding]:
    """Rules over the rendered Applications and the catalog, placed at catalog lines."""
    hits: list[tuple[int | None, Hit]] = []
    for rel, index in apps.owners.items():
        for doc in yamlio.load_all(apps.files[rel], trusted=True):
            if is_application(doc):
                ctx = Context(is_root=doc["metadata"]["name"] in apps.roots, waves=apps.waves)
                hits += [(index, hit) for hit in application_hits(doc, ctx)]
    placed = [(index, origin(catalog, index, hit.path), hit) for index, hit in hits]
    placed += [(index, hit.path, hit) for index, hit in catalog_hits(catalog)]
    placed = [p for p in placed if p[2].rule not in _ignored(catalog, p[0])]
    if not placed:
        return []  # the clean case never needs the catalog's positions
    _, pos = yamlio.load_with_positions(catalog_path.read_text(encoding="utf-8"))
    shown = display(catalog_path)
    return [
        _at(shown, pos.of_key(path) if hit.key else pos.of_value(path), hit.rule, hit.message)
        for _, path, hit in placed
    ]


def _at(file: str, mark: yamlio.Mark, rule: str, message: str) -> Finding:
    return Finding(file, mark.line, mark.col, severity(rule), rule, message)


# ------------------------------------------------------------------------- the committed files


def _yaml_files(root: Path) -> list[str]:
    if not root.is_dir() or root.is_symlink():
        return []
    # Regular files only: a symlink (to /proc/self/environ, a key, /dev/zero) is never read.
    return sorted(rel for rel in output.regular_files(root) if rel.endswith((".yaml", ".yml")))


def _committed(
    root: Path, files: dict[str, str], catalog: Catalog | None, apps: RuleInput | None
) -> list[Finding]:
    """Hygiene and rules for every YAML file under ``root`` that differs from the render."""
    found: list[Finding] = []
    judged: list[tuple[str, str, Docs]] = []
    for rel in _yaml_files(root):
        text = output.read_text(root / rel)
        if text is None:
            continue  # not YAML text kfboot could judge; drift reports generated files
        shown = shown_path(root / rel)
        if text == files.get(rel):
            # Exactly what render wrote: render's gate parsed it (no duplicate keys), and every
            # scalar went through yamlio.scalar, which never writes a trap plain (tested).
            continue
        problems, docs = parse_and_check(shown, text)
        found += problems
        if docs is not None:
            judged.append((rel, shown, docs))
    return found + _judge(judged, catalog, apps)


def _judge(
    judged: list[tuple[str, str, Docs]],
    catalog: Catalog | None,
    apps: RuleInput | None,
) -> list[Finding]:
    """The lint engine (:mod:`kfboot.lint.engine`) over the committed Argo CD objects that differ
    from the render: a hand-edited Application gets the specific finding, not only drift."""
    if not judged:
        return []  # the committed tree is the render: the lint engine is not even loaded
    from kfboot.lint.engine import lint_objects
    from kfboot.lint.reading import ArgoObject, is_argo_object

    waves = dict(apps.waves) if apps else {}
    waves.update(waves_by_name([doc for _, _, docs in judged for doc, _ in docs]))
    roots = apps.roots if apps else {AppOfApps().name}
    bootstrap = catalog.bootstrapPath if catalog else DEFAULT_BOOTSTRAP
    children = {f"{bootstrap}/{d}" for d in (apps.app_dirs if apps else [APPS_DIR])}
    objects: list[ArgoObject] = []
    ignored: dict[str, set[str]] = {}
    for rel, shown, docs in judged:
        index = apps.owners.get(rel) if apps else None
        ignored[shown] = _ignored(catalog, index) if catalog else set()
        objects += [ArgoObject(shown, Path(rel), d, p) for d, p in docs if is_argo_object(d)]
    found = lint_objects(
        objects,
        lambda _, obj: is_root(obj.doc, roots, children),
        waves=waves,
        ignore=lambda obj: ignored[obj.file],
    )
    return [item.finding for item in found]
