"""Field-by-field comparison of Argo CD Applications after Argo CD's own defaults.

``import`` promises: every rendered Application means what the imported one meant, or import
named the difference in a finding. :func:`unexplained` checks that promise for one imported tree:
it compares each original Application with the rendered one of the same name and returns the
differences no finding explains. A finding explains a difference when it sits in the original's
file, on the differing field or inside it (or, for a field the original did not have, on the
nearest field it did have). Sources are compared one by one and key by key: a finding on
``spec.sources[1].helm`` explains a difference in that source's ``helm`` only, never one in its
``path`` or in another source.

:func:`tree_unexplained` compares the whole tree: every object the old root synced (Applications
and every other object) against what the rendered root syncs (the rendered Applications and the
catalog's ``extraResources``); an object only the old root synced needs a finding on its document.

The files read are the ones Argo CD would read (:func:`selected`, written here independently of
``kfboot.importing.tree``): a kustomization's selection, a chart's files but not its templates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from kfboot import yamlio

FieldPath = tuple[str | int, ...]
WAVE = "argocd.argoproj.io/sync-wave"
# The fields compared, each as a whole; a difference inside one is reported as that field.
FIELDS: tuple[FieldPath, ...] = (
    ("metadata", "namespace"),
    ("metadata", "labels"),
    ("metadata", "annotations"),
    ("metadata", "finalizers"),
    ("spec", "project"),
    ("spec", "destination"),
    ("spec", "syncPolicy", "automated"),
    ("spec", "syncPolicy", "syncOptions"),
    ("spec", "syncPolicy", "retry"),
    ("spec", "ignoreDifferences"),
    ("spec", "revisionHistoryLimit"),
    ("spec", "info"),
    ("spec", "sourceHydrator"),
    ("spec", "syncPolicy", "managedNamespaceMetadata"),
)


def _get(doc: Any, path: FieldPath) -> Any:
    for part in path:
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def _clean(value: Any) -> Any:
    """Empty values are absent values to Argo CD (``name: ""`` from a UI export, ``{}``)."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {}, False)}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


Source = dict[str, Any]
Located = tuple[FieldPath, Source]  # where a source sits in its Application, and its meaning


def _source(source: dict[str, Any], wrappers: dict[str, list[str]]) -> list[Source]:
    source = _clean(source)
    if "chart" not in source:
        source.setdefault("targetRevision", "HEAD")
    if "path" in source:
        source["path"] = source["path"].removeprefix("./").rstrip("/") or "."
    helm = source.get("helm")
    if isinstance(helm, dict):
        values = yaml.safe_load(helm.pop("values", "") or "") or {}
        values.update(helm.pop("valuesObject", {}) or {})
        if values:
            helm["values"] = values
    if "path" in source and source["path"] in wrappers:
        return [{**source, "path": p} for p in wrappers[source["path"]]]
    return [source]


def sources(app: dict[str, Any], wrappers: dict[str, list[str]] | None = None) -> list[Located]:
    """Each source as Argo CD reads it, with its place (``spec.sources`` wins over
    ``spec.source``, as in Argo CD's ``Spec.HasMultipleSources``)."""
    spec = app.get("spec") or {}
    if spec.get("sources"):
        raw: list[Located] = [(("spec", "sources", i), s) for i, s in enumerate(spec["sources"])]
    elif spec.get("source"):
        raw = [(("spec", "source"), spec["source"])]
    else:
        raw = []
    return [(where, s) for where, item in raw for s in _source(item, wrappers or {})]


def meaning(app: dict[str, Any]) -> dict[str, Any]:
    """Each compared field but the sources (:func:`sources`) as Argo CD reads it."""
    spec = app.get("spec") or {}
    annotations = dict(_clean(_get(app, ("metadata", "annotations")) or {}))
    annotations[WAVE] = str(annotations.get(WAVE, "0"))  # no annotation is wave 0
    sync = _get(app, ("spec", "syncPolicy")) or {}
    automated = sync.get("automated")
    if not isinstance(automated, dict) or automated.get("enabled") is False:
        automated = None  # manual sync
    if "retry" not in sync and automated is not None:
        # Auto-sync retries 5 times without a retry policy (argo-cd v3.4.7
        # controller/appcontroller.go L2288-2292).
        retry = {"limit": 5}
    else:
        retry = _clean(sync.get("retry") or {})
    if not retry.get("limit"):
        retry = {}  # no retry policy (manual sync) and limit 0 both mean no retries
    else:  # Argo CD's backoff defaults (pkg/apis/application/v1alpha1/types.go)
        retry["backoff"] = {"duration": "5s", "factor": 2, "maxDuration": "3m"} | (
            retry.get("backoff") or {}
        )
    return {
        ("metadata", "namespace"): _get(app, ("metadata", "namespace")),
        ("metadata", "labels"): _clean(_get(app, ("metadata", "labels")) or {}),
        ("metadata", "annotations"): annotations,
        ("metadata", "finalizers"): _get(app, ("metadata", "finalizers")) or [],
        ("spec", "project"): spec.get("project") or "default",
        ("spec", "destination"): _clean(spec.get("destination") or {}),
        ("spec", "syncPolicy", "automated"): None if automated is None else _clean(automated),
        ("spec", "syncPolicy", "syncOptions"): sync.get("syncOptions") or [],
        ("spec", "syncPolicy", "retry"): retry,
        ("spec", "ignoreDifferences"): sorted(
            json.dumps(e, sort_keys=True) for e in spec.get("ignoreDifferences") or []
        ),
        # Argo CD keeps 10 revisions when the field is absent.
        ("spec", "revisionHistoryLimit"): spec.get("revisionHistoryLimit", 10),
        ("spec", "info"): spec.get("info") or [],
        ("spec", "sourceHydrator"): _clean(spec.get("sourceHydrator") or {}),
        ("spec", "syncPolicy", "managedNamespaceMetadata"): _clean(
            sync.get("managedNamespaceMetadata") or {}
        ),
    }


KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def _kustomization(directory: Path) -> dict[str, Any] | None:
    for name in KUSTOMIZATIONS:
        if (directory / name).is_file():
            try:
                data = yaml.safe_load((directory / name).read_text())
            except yaml.YAMLError:
                return None
            return data if isinstance(data, dict) else None
    return None


def selected(directory: Path, top: Path, recurse: bool = True) -> list[Path]:
    """The YAML files Argo CD reads from ``directory`` (nothing outside ``top``): what its
    kustomization selects, through nested ones; a chart's own files but not its ``templates/``
    (only those are Helm templates); else the directory's files (and those below with
    ``recurse``)."""
    found: list[Path] = []
    data = _kustomization(directory)
    if data is not None:
        for field in ("resources", "components", "bases"):
            for item in data.get(field) or []:
                path = (directory / str(item)).resolve()
                if top != path and top not in path.parents:
                    continue
                if path.is_dir():
                    found += selected(path, top)
                elif path.is_file():
                    found.append(path)
        return found
    chart = (directory / "Chart.yaml").is_file()
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and recurse and not (chart and entry.name in ("templates", "charts")):
            found += selected(entry, top)
        elif entry.is_file() and entry.suffix in (".yaml", ".yml"):
            found.append(entry)
    return found


def _documents(file: Path) -> list[tuple[Any, yamlio.Positions]]:
    try:
        return yamlio.load_all_with_positions(file.read_text())
    except (ValueError, UnicodeDecodeError):
        return []  # not YAML: Argo CD fails on it if it reads it, and import says so


def applications(root: Path) -> dict[str, tuple[str, dict[str, Any], yamlio.Positions]]:
    """Every Application under ``root``: name -> (file relative to root, document, positions).

    Where two files hold one name, the one Argo CD reads (:func:`selected`) wins over an
    unselected alternative. Files named ``*.not-app.yaml`` hold Applications Argo CD never
    reads as such (patches, chart templates, alternatives no kustomization selects).
    """
    top = root.resolve()
    chosen = set(selected(top, top))
    found: dict[str, tuple[str, dict[str, Any], yamlio.Positions]] = {}
    picked: dict[str, bool] = {}
    for file in sorted(top.rglob("*.y*ml")):
        if file.name.endswith(".not-app.yaml") or "argoproj.io" not in file.read_text():
            continue
        for doc, pos in _documents(file):
            if not (isinstance(doc, dict) and doc.get("kind") == "Application"):
                continue
            name = doc["metadata"]["name"]
            if name in found and (picked[name] or file not in chosen):
                continue
            found[name] = (file.relative_to(top).as_posix(), doc, pos)
            picked[name] = file in chosen
    return found


def _marks(pos: yamlio.Positions, field: FieldPath, present: bool) -> set[tuple[int, int]]:
    """Where a finding about ``field`` may sit: inside it, or (absent) on its nearest parent.
    The value mark of the parent mapping is not inside: it is the mark of the parent's first key,
    and a finding on the whole parent explains no single key of it."""
    parent = pos.values.get(field[:-1])
    inside = {
        (m.line, m.col)
        for table in (pos.values, pos.keys)
        for path, m in table.items()
        if path[: len(field)] == field and not (table is pos.keys and path == field and m == parent)
    }
    if present or inside:
        return inside
    for end in range(len(field) - 1, 0, -1):
        if field[:end] in pos.values:
            return {(pos.values[field[:end]].line, pos.values[field[:end]].col)}
    return set()


def _role(source: Source) -> str:
    return "chart" if "chart" in source else ("path" if "path" in source else "ref")


def _score(old: Source, new: Source) -> int:
    """How alike two sources are: the same path, chart or ref first, then shared keys. A chart,
    a git path and a ref-only source (it only lends value files) are never one another."""
    if _role(old) != _role(new):
        return 0
    same = sum(1 for k in old if k in new and old[k] == new[k])
    ident = any(k in old and old.get(k) == new.get(k) for k in ("path", "chart", "ref"))
    return same + (100 if ident else 0)


def _source_problems(
    name: str,
    doc: dict[str, Any],
    pos: yamlio.Positions,
    rendered: dict[str, Any],
    here: set[tuple[int, int]],
    wrappers: dict[str, list[str]],
) -> list[str]:
    """Source by source and key by key: a difference needs a finding on that key of that
    source (a missing source: anywhere in it; an added one: anywhere in the sources)."""
    remaining = [s for _, s in sources(rendered)]
    problems = []
    for where, old in sources(doc, wrappers):
        if old in remaining:
            remaining.remove(old)
            continue
        best = max(remaining, key=lambda new: _score(old, new), default=None)
        if best is None or _score(old, best) == 0:
            if not here & _marks(pos, where, True):
                problems.append(f"{name}: {_dotted(where)} {old!r} is not rendered")
            continue
        remaining.remove(best)
        for key in sorted(set(old) | set(best)):
            if old.get(key) != best.get(key) and not here & _marks(pos, (*where, key), key in old):
                problems.append(
                    f"{name}: {_dotted((*where, key))}: {old.get(key)!r} became {best.get(key)!r}"
                )
    anywhere = _marks(pos, ("spec", "sources"), False) | _marks(pos, ("spec", "source"), False)
    for new in remaining:
        if not here & anywhere:
            problems.append(f"{name}: spec.sources: rendered {new!r} is not the original's")
    return problems


def _dotted(path: FieldPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _by_file(findings: list[dict[str, Any]]) -> dict[str, set[tuple[int, int]]]:
    """``findings`` are import's JSON findings (``file`` relative to the imported directory's
    parent, as import prints it)."""
    by_file: dict[str, set[tuple[int, int]]] = {}
    for f in findings:
        by_file.setdefault(f["file"].split("/", 1)[-1], set()).add((f["line"], f["col"]))
    return by_file


def unexplained(
    originals: dict[str, tuple[str, dict[str, Any], yamlio.Positions]],
    rendered: dict[str, dict[str, Any]],
    findings: list[dict[str, Any]],
    wrappers: dict[str, list[str]] | None = None,
    home: str | None = None,
) -> list[str]:
    """``name: field`` for every difference no finding explains (an empty list keeps the rule);
    ``wrappers`` maps a kustomization directory that only lists other directories to them (a
    wrapper means its paths). An Application import did not render needs a finding in its file.
    ``home`` is the old root's destination namespace: Argo CD created an Application without
    ``metadata.namespace`` there.
    """
    by_file = _by_file(findings)
    problems = []
    for name, (rel, doc, pos) in sorted(originals.items()):
        here = by_file.get(rel, set())
        if name not in rendered:
            if not here:
                problems.append(f"{name}: not rendered, and no finding in {rel}")
            continue
        old, new = meaning(doc), meaning(rendered[name])
        if old[("metadata", "namespace")] is None and home is not None:
            old[("metadata", "namespace")] = home
        for field in FIELDS:
            if old[field] != new[field]:
                present = _get(doc, field) is not None
                if not here & _marks(pos, field, present):
                    dotted = ".".join(map(str, field))
                    problems.append(f"{name}: {dotted}: {old[field]!r} became {new[field]!r}")
        problems += _source_problems(name, doc, pos, rendered[name], here, wrappers or {})
    return problems


# ------------------------------------------------------------------------ the whole tree

Objects = dict[tuple[str, str], tuple[str, int, int]]  # (kind, name) -> (file, first, last line)


def _objects(files: list[Path], top: Path) -> Objects:
    found: Objects = {}
    for file in files:
        for doc, pos in _documents(file):
            if isinstance(doc, dict) and doc.get("kind") and isinstance(doc.get("metadata"), dict):
                lines = [m.line for m in pos.values.values()] or [1]
                key = (str(doc["kind"]), str(doc["metadata"].get("name")))
                found.setdefault(key, (file.relative_to(top).as_posix(), min(lines), max(lines)))
    return found


def root_directory(tree: Path, root: dict[str, Any] | None) -> Path:
    """The local directory the old root synced (the tree itself without a root)."""
    top = tree.resolve()
    path = str(((root or {}).get("spec") or {}).get("source", {}).get("path", ".")).strip("/")
    if path in ("", "."):
        return top
    dirs = [d for d in [top, *sorted(top.rglob("*"))] if d.is_dir()]
    return next((d for d in dirs if d.as_posix().endswith("/" + path)), top)


def tree_unexplained(
    tree: Path,
    catalog: dict[str, Any],
    rendered: dict[str, dict[str, Any]],
    findings: list[dict[str, Any]],
) -> list[str]:
    """Every object the old root synced that the rendered root does not, without a finding on
    its document (or on line 1 of its file: a finding about the whole file)."""
    top = tree.resolve()
    originals = applications(tree)
    root_name = catalog["appOfApps"]["name"]
    root = originals[root_name][1] if root_name in originals else None
    directory = root_directory(tree, root)
    recurse = bool(((root or {}).get("spec") or {}).get("source", {}).get("directory"))
    old = _objects(selected(directory, top, recurse=recurse or root is None), top)
    # A path is in the root's directory, a repoPath in the repository (the tree's top).
    entries = [
        directory / e["path"] if "path" in e else top / e["repoPath"]
        for e in catalog.get("extraResources") or []
    ]
    extras = [e.resolve() for e in entries if e.exists()]
    files = [f for e in extras for f in ([e] if e.is_file() else selected(e, top))]
    new = set(_objects(files, top)) | {("Application", n) for n in rendered}
    by_file: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        by_file.setdefault(f["file"].split("/", 1)[-1], []).append((f["line"], f["col"]))
    problems = []
    for key, (rel, first, last) in sorted(old.items()):
        if key in new or key == ("Application", root_name):
            continue
        if not any(first <= line <= last or line == 1 for line, _ in by_file.get(rel, [])):
            problems.append(f"{rel}: {key[0]} {key[1]}: the old root synced it, the new does not")
    return problems
