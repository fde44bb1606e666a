"""``kfboot import``, the pure part: a directory of Applications in, catalog text and findings out.

The root Application (the one whose source directory holds the others) supplies the catalog's
settings; every other Application becomes a component. What the components share becomes the
catalog's ``defaults``, so each component lists only what is its own. The text is parsed back
with kfboot's own loader before it is returned: import never writes a catalog render refuses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kfboot.catalog import writer as catalog_writer
from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Catalog, Component
from kfboot.check.rules import application_runner as runner
from kfboot.check.rules.registry import severity
from kfboot.errors import CatalogError, KfbootError
from kfboot.findings import Finding
from kfboot.importing import app_files as appfiles
from kfboot.importing import (
    checkout,
    dropped,
    extras,
    layers,
    own_argocd,
    placeholders,
    reach,
    transforms,
)
from kfboot.importing import fixes as import_rules
from kfboot.importing import roots as import_roots
from kfboot.importing import wrappers as import_wrappers
from kfboot.importing.app_files import AppDoc, shown
from kfboot.importing.component import Draft, draft
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED
from kfboot.importing.sources import Settings, is_argocd
from kfboot.importing.tree import top_of

POLICY = ("automated", "syncOptions", "retry", "finalizers")
MERGED = ("labels", "annotations")
RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io"


class NothingImported(KfbootError):
    """No Application became a component: the message lists why, and ``findings`` holds every
    finding (so ``--format json`` can print them too)."""

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass(frozen=True)
class ImportResult:
    text: str
    findings: list[Finding]
    applications: int
    components: int


def _nothing_imported(
    source: str, apps: list[AppDoc], roots: set[str], found: list[Finding]
) -> NothingImported:
    """Why nothing was imported: the findings on each Application are the reasons."""
    why = "".join(f"\n{f.text()}" for f in sorted(set(found)))
    reports = _as_check_reports(apps, roots, found)
    message = f"{source}: no Application could be imported as a component{why}"
    return NothingImported(message, sorted(set(reports)))


def import_path(
    root: Path, source: str, derived: dict[str, set[str]] | None = None
) -> ImportResult:
    """Import every Application under ``root`` (shown as ``source`` in messages); ``derived``
    (component -> the components it needs, from ``import --manifests``) adds to ``dependsOn``."""
    apps = appfiles.read_applications(root, source)
    origin = _origin_url(root)
    main, others = import_roots.roots(root, apps, origin)
    apps = [a for a in apps if not a.beside or a is main or a in others]
    placeholder_errors = placeholders.problems(apps)
    if placeholder_errors:
        raise KfbootError("\n".join(placeholder_errors))
    found: list[Finding] = appfiles.skipped_links(root, source)
    found += layers.named(root, main, others, apps)
    children = [a for a in apps if a is not main and a not in others]
    for app in [main, *children] if main is not None else children:
        found.extend(dropped.dropped(app))
    found.extend(transforms.transformed(root, source, apps))
    if main is not None:
        found.extend(reach.unsynced(root, main, others, apps))
    settings = _settings(root, main, children, origin)
    found.extend(layers.foreign(children, settings))
    found.extend(layers.beyond(root, children, settings))
    dirs = import_roots.local_dirs(root)
    argocd, own_health = _argocd(root, children, dirs, found)
    drafts = [d for d in (draft(a, settings, found, a is argocd) for a in children) if d]
    if not drafts:
        raise _nothing_imported(source, apps, {a.name for a in (main, *others) if a}, found)
    wrapped = import_wrappers.inline(drafts, dirs)
    import_wrappers.argocd_install(drafts, dirs, found, settings.repoURL)
    names = _names(drafts)
    _resolve_depends(drafts, names, found)
    _add_derived(drafts, names, derived or {})
    defaults = _defaults(drafts)
    taken = {d.app.name for d in drafts}
    top, app_of_apps = import_roots.root_fields(main, settings, defaults, found, source, taken)
    if own_health:
        top["clusterHasApplicationHealthCheck"] = True
    extras = _extras(root, source, main, apps, top["bootstrapPath"], found)
    if extras:
        top["extraResources"] = extras
    components = [_component(d, names, defaults) for d in sorted(drafts, key=lambda d: d.wave)]
    text = catalog_writer.write(
        source=source,
        count=(len(apps), len({a.file for a in apps})),
        top=top,
        app_of_apps=app_of_apps,
        defaults=defaults,
        waves=sorted({d.wave for d in drafts}),
        components=[
            (_origin(d, wrapped), c)
            for d, c in zip(sorted(drafts, key=lambda d: d.wave), components, strict=True)
        ],
    )
    reports = _as_check_reports(apps, {a.name for a in (main, *others) if a}, found)
    reports += _health(_confirm_loads(text), main, source)
    return ImportResult(text, sorted(set(reports)), len(apps), len(components))


def _settings(
    root: Path, main: AppDoc | None, children: list[AppDoc], origin: str | None
) -> Settings:
    """The catalog-wide values, and where the repository is checked out (value files)."""
    found = import_roots.settings(main, children, origin)
    return replace(found, checkout=checkout.repository_top(root))


def _origin_url(root: Path) -> str | None:
    """The git remote ``origin`` of the imported tree's checkout: where ``bootstrap/`` goes."""
    from kfboot.catalog.gitremote import origin_url

    return origin_url(top_of(root) if root.is_dir() else top_of(root).parent)


def _health(catalog: Catalog, main: AppDoc | None, source: str) -> list[Finding]:
    """check's no-application-health-check for the imported tree, on its root: without the
    health check the root's waves never waited, and the catalog says so too."""
    from kfboot.check.rules.catalog_wide import health_check

    found = []
    for _, hit in health_check(catalog):
        msg = (
            f"{hit.message}; no imported Application installs Argo CD with it, so the "
            "catalog has none either"
        )
        if main is None:
            found.append(Finding(source, 0, 0, severity(hit.rule), hit.rule, msg))
        else:
            found.append(main.finding(("metadata", "name"), hit.rule, msg, severity(hit.rule)))
    return found


def _extras(
    root: Path,
    source: str,
    main: AppDoc | None,
    apps: list[AppDoc],
    boot: str,
    found: list[Finding],
) -> list[dict[str, Any]]:
    """The root's non-Application files, as extraResources (see :mod:`importing.extras`)."""
    top = top_of(root) if root.is_dir() else top_of(root).parent
    # Without a root, everything was applied by hand from the imported directory: its other
    # objects are the catalog's root's to sync now, or they would vanish.
    located = (
        import_roots.root_directory(root, main)
        if main is not None
        else ((top, ".") if root.is_dir() else None)
    )
    if located is None:
        return []
    entries, notes = extras.extra_resources(
        located[0],
        top,
        source,
        apps,
        f"{boot}{import_roots.APPS_SUFFIX}",
        located[1],
        reach.recurse(main) if main is not None else True,
        checkout.repository_top(root),
    )
    found.extend(notes)
    return entries


def _as_check_reports(apps: list[AppDoc], roots: set[str], found: list[Finding]) -> list[Finding]:
    """Every defect as ``kfboot check`` reports it, with what import did appended.

    ``found`` holds import's own notes (``import-*``) and its actions: findings carrying a check
    rule id whose message is what import did at that position.
    """
    actions = {(f.file, f.line, f.col, f.rule): f.message for f in found if _is_action(f)}
    reports = [f for f in found if not _is_action(f)]
    waves = runner.waves_by_name([a.data for a in apps])
    by_file: dict[str, list[tuple[Any, Any]]] = {}
    for app in apps:
        by_file.setdefault(app.file, []).append((app.data, app.pos))
    for file, docs in by_file.items():
        for f in runner.application_findings(file, docs, roots=roots, waves=waves):
            action = actions.pop((f.file, f.line, f.col, f.rule), _DEFAULT_ACTION.get(f.rule))
            message = f"{f.message}{import_rules.ACTION}{action}" if action else f.message
            reports.append(replace(f, message=message))
    # An action check did not report (the two should agree): still say what import did.
    reports.extend(
        replace(f, message=f"import {f.message}")
        for f in found
        if _is_action(f) and (f.file, f.line, f.col, f.rule) in actions
    )
    return reports


# What import does about a defect it has no specific fix for.
_DEFAULT_ACTION = {
    "unknown-field": "dropped it",
    # The catalog's sources: list keeps a ref: source as it is (and check reports it there).
    "values-ref-unused": "carried it over",
    "unknown-finalizer": "carried it over",
}


def _is_action(finding: Finding) -> bool:
    return not finding.rule.startswith("import-")


def _argocd(
    root: Path, apps: list[AppDoc], dirs: list[Path], found: list[Finding]
) -> tuple[AppDoc | None, bool]:
    """The Application that becomes the argocd component (the first of argo-helm's argo-cd
    chart), and whether the user's own Argo CD, kept as a plain component, has the Application
    health check in its files."""
    installs = [a for a in apps if is_argocd(a)]
    over = [a for a in installs if own_argocd.is_the_chart(a, dirs)]
    health = False
    for own in (a for a in installs if a not in over):
        detected = own_argocd.has_health_check(root, own)
        health = health or bool(detected)
        found.append(own_argocd.kept(own, detected))
    for other in over[1:]:
        msg = (
            f"another Application over Argo CD's installation (also {over[0].file}); "
            "imported as an ordinary component"
        )
        found.append(other.finding(("metadata", "name"), DEFAULTED, msg))
    return (over[0] if over else None), health


def _origin(d: Draft, wrapped: dict[str, str]) -> str:
    wrapper = wrapped.get(d.app.name)
    return d.app.rel + (f",\nits paths from the kustomization in {wrapper}" if wrapper else "")


def _confirm_loads(text: str) -> Catalog:
    from kfboot.catalog.load import parse_catalog

    try:
        return parse_catalog(text)
    except CatalogError as exc:
        raise KfbootError(f"internal error: the imported catalog does not load:\n{exc}") from None


# ------------------------------------------------------------------------ names and ordering


def _names(drafts: list[Draft]) -> dict[str, str]:
    """Application name -> component name: ``kubeflow-jupyter`` -> ``jupyter`` when unique."""
    wanted = {}
    for d in drafts:
        name = d.app.name
        short = "argocd" if d.is_argocd else name.removeprefix("kubeflow-")
        wanted[name] = short if fits(Component, "name", short) else name
    counts = Counter(wanted.values())
    names = {app: (short if counts[short] == 1 else app) for app, short in wanted.items()}
    # A reverted name may meet another's short one; Application names themselves are unique.
    return names if len(set(names.values())) == len(names) else {app: app for app in names}


def _resolve_depends(drafts: list[Draft], names: dict[str, str], found: list[Finding]) -> None:
    waves = {names[d.app.name]: d.wave for d in drafts}
    for d in drafts:
        mine = names[d.app.name]
        resolved: list[str] = []
        for target, path in d.depends:
            name = names.get(target, target if target in waves else None)
            if name is None:
                msg = (
                    f"dependsOn names {shown(target)}, which is no imported Application; the "
                    "catalog's dependsOn does not have it"
                )
            elif name == mine or name in resolved:
                continue
            elif waves[name] >= d.wave:
                # check's dependency-wave-order reports it; the action says what import did.
                action = "did not carry it over: move one of the two to another wave"
                found.append(import_rules.defect(d.app, path, "dependency-wave-order", action))
                continue
            else:
                resolved.append(name)
                continue
            found.append(d.app.finding(path, NOT_CARRIED, msg))
        if resolved:
            d.own["dependsOn"] = resolved


def _add_derived(drafts: list[Draft], names: dict[str, str], derived: dict[str, set[str]]) -> None:
    """Dependencies the manifests show, where they point at an earlier wave (a later one is
    ``check --manifests``'s to report: the catalog cannot say it)."""
    waves = {names[d.app.name]: d.wave for d in drafts}
    for d in drafts:
        mine = names[d.app.name]
        have = list(d.own.get("dependsOn", []))
        more = sorted(n for n in derived.get(mine, ()) if n in waves and waves[n] < d.wave)
        have += [n for n in more if n not in have]
        if have:
            d.own["dependsOn"] = have


def _defaults(drafts: list[Draft]) -> dict[str, Any]:
    """What components share: the commonest policy values, and what every one of them has."""
    result: dict[str, Any] = {}
    for key in POLICY:
        values = [d.policy[key] for d in drafts if d.policy[key] is not None]
        result[key] = import_roots.most(values, None)
    for key in MERGED:
        common = dict(drafts[0].policy[key])
        for d in drafts[1:]:
            common = {k: v for k, v in common.items() if d.policy[key].get(k) == v}
        result[key] = common
    shared = [
        e
        for e in drafts[0].policy["ignoreDifferences"]
        if all(e in d.policy["ignoreDifferences"] for d in drafts)
    ]
    result["ignoreDifferences"] = shared
    return result


def _component(d: Draft, names: dict[str, str], defaults: dict[str, Any]) -> dict[str, Any]:
    name = names[d.app.name]
    comp: dict[str, Any] = {"name": name}
    if d.app.name != name:
        comp["application"] = d.app.name
    order = (
        "wave",
        "namespace",
        "dependsOn",
        "paths",
        "repoURL",
        "targetRevision",
        "helm",
        "argocd",
        "sources",
        "kustomize",
        "source",
        "project",
        "destinationServer",
        "destinationName",
        "resourceWaves",
    )
    comp.update({k: d.own[k] for k in order if k in d.own})
    for key in POLICY:
        if d.policy[key] is not None and _own(d, key) != _own(defaults, key, d.is_argocd):
            comp[key] = d.policy[key]
    for key in MERGED:
        extra = {k: v for k, v in d.policy[key].items() if k not in defaults[key]}
        if extra:
            comp[key] = extra
    own_ignores = [
        e for e in d.policy["ignoreDifferences"] if e not in defaults["ignoreDifferences"]
    ]
    if own_ignores:
        comp["ignoreDifferences"] = own_ignores
    return comp


def _own(source: Draft | dict[str, Any], key: str, argocd: bool = False) -> Any:
    """A policy value as render will apply it: never a resources-finalizer on Argo CD itself."""
    if isinstance(source, Draft):
        value, argocd = source.policy[key], source.is_argocd
    else:
        value = source[key]
    if key == "finalizers" and argocd:
        return [f for f in value if f != RESOURCES_FINALIZER]
    return value
