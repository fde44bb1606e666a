"""``set-repo``'s core: retarget the catalog's git repository and revision, in place.

A sed script over every ``repoURL:`` and ``targetRevision:`` line of every YAML file also rewrites
Helm chart repositories and chart versions. Here only the catalog's own values change (and a
component's ``repoURL`` when it names that same repository), edited in ``waves.yaml`` by
:mod:`kfboot.yamledit` so that comments and layout survive; every Application whose source is the
catalog repository then follows through ``render``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfboot import output, yamledit, yamlio
from kfboot.catalog import gitrefs
from kfboot.catalog.credentials import redact_diff
from kfboot.catalog.load import parse_catalog, read_catalog_bytes
from kfboot.catalog.models import Catalog
from kfboot.errors import KfbootError
from kfboot.findings import redact, shown_path
from kfboot.render.bootstrap import application_view, root_view
from kfboot.render.sidecars import sidecars
from kfboot.render.tree import render


@dataclass
class Retarget:
    """Everything ``set-repo`` would change, computed before anything is written."""

    path: Path
    old_text: str
    new_text: str
    old: Catalog
    new: Catalog
    done: list[yamledit.Done]
    plan: output.Plan | None
    retargeted: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text or (self.plan is not None and not self.plan.clean)


def validate(url: str | None, revision: str | None) -> None:
    """Refuse a bad URL or revision before anything is read or written."""
    problem = (url is not None and (gitrefs.repo_url_problem(url) or _browser_url(url))) or (
        revision is not None and gitrefs.revision_problem(revision)
    )
    if problem:
        raise KfbootError(f"set-repo: {problem}; nothing changed")


# Web pages of the big forges that are not clone URLs: a file or directory view, a commit, a
# pull request. Argo CD cannot clone them; people paste them from the browser's address bar.
_FORGES = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_WEB_PAGE = re.compile(
    r"/(?:-/)?(?:tree|blob|src|commit|commits|pull|pulls|merge_requests)(?:/|\Z)"
)


def _browser_url(url: str) -> str | None:
    """Why ``url`` is a browser URL rather than a repository's, or None."""
    match = re.match(r"https?://([^/]+)/(.*)\Z", url)
    if match is None or match.group(1).lower() not in _FORGES:
        return None
    path = match.group(2).strip("/")
    expected = f"expected the repository's clone URL, such as https://{match.group(1)}/ORG/REPO.git"
    if "/" not in path:
        return f"{url!r} is an organisation or user page, not a repository; {expected}"
    if _WEB_PAGE.search("/" + path):
        return f"{url!r} is a web page inside a repository, which Argo CD cannot clone; {expected}"
    return None


def _display(path: Path) -> str:
    return shown_path(path)


def read(path: Path) -> tuple[str, Catalog]:
    """The catalog's text, exactly as on disk, and the validated catalog."""
    try:
        text = read_catalog_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KfbootError(f"{path}: not UTF-8 text: {exc.reason}") from None
    return text, parse_catalog(text, file=_display(path))


def _edits(old: Catalog, url: str | None, revision: str | None) -> list[yamledit.Edit]:
    edits = []
    if url is not None and url != old.repoURL:
        edits.append(yamledit.Edit(("repoURL",), url))
        # A component that spells out the catalog's own repository follows it; one that names
        # another repository is deliberate and stays.
        for i, comp in enumerate(old.components):
            own = comp.repoURL
            if own is not None and own != url and gitrefs.same_repo(own, old.repoURL):
                edits.append(yamledit.Edit(("components", i, "repoURL"), url))
    if revision is not None and revision != old.targetRevision:
        edits.append(yamledit.Edit(("targetRevision",), revision, after="repoURL"))
    return edits


def _sources(catalog: Catalog) -> dict[str, Any]:
    """Each Application's source (the app of apps first), by Application name."""
    found: dict[str, Any] = {catalog.appOfApps.name: _source_of(root_view(catalog))}
    for comp in catalog.enabled_components():
        found[comp.app_name] = _source_of(application_view(catalog, comp))
    return found


def _source_of(spec: Any) -> Any:
    """An Application's ``source``, or its ``sources`` list (a multi-source component)."""
    if not isinstance(spec, dict):
        return None
    return spec.get("source") if "source" in spec else spec.get("sources")


def _left_alone(catalog: Catalog) -> list[str]:
    notes = []
    for comp in catalog.enabled_components():
        if comp.helm is not None:
            notes.append(f"{comp.app_name} (Helm chart {comp.helm.chart} from {comp.helm.repoURL})")
        elif comp.repoURL and not gitrefs.same_repo(comp.repoURL, catalog.repoURL):
            notes.append(f"{comp.app_name} (its own repository {comp.repoURL})")
        elif comp.targetRevision is not None:
            notes.append(f"{comp.app_name} (keeps its pinned targetRevision {comp.targetRevision})")
    return notes


def prepare(
    path: Path, url: str | None, revision: str | None, *, render_too: bool, force: bool = False
) -> Retarget:
    """Compute the new ``waves.yaml`` and ``bootstrap/``, verified, without writing anything.

    Like render, a file without kfboot's header where a rendered file goes is refused unless
    ``force``: a hand-edited generated file (header kept) is replaced, a hand-written one is not.
    """
    validate(url, revision)
    old_text, old = read(path)
    edits = _edits(old, url, revision)
    new_text, done = yamledit.apply(old_text, edits)
    yamledit.verify(old_text, new_text, edits)
    new = parse_catalog(new_text, file=_display(path))
    plan = None
    if render_too:
        files = render(new, source=path.name)
        _refuse_committed_secrets(new, path, files)
        # The files beside the catalog too (README markers are parsed here, before any write).
        beside = sidecars(path, new)
        root = path.parent / new.bootstrapPath
        plan = output.plan(root, files, beside, base=path.parent, force=force, command="set-repo")
    after = _sources(new)
    before = _sources(old) if plan is None else _sources_on_disk(plan)
    retargeted = [name for name, source in after.items() if before.get(name) != source]
    return Retarget(path, old_text, new_text, old, new, done, plan, retargeted, _left_alone(new))


def _refuse_committed_secrets(catalog: Catalog, path: Path, files: dict[str, str]) -> None:
    """Render refuses to write a credential literal into bootstrap/; so does set-repo's render.

    Only that rule: set-repo changes the repository and revision alone, and the other rules
    are for ``check`` and ``render`` to report (positions read from the catalog on disk, whose
    lines set-repo leaves where they are).
    """
    from kfboot.check.runner import catalog_findings

    secrets = [f for f in catalog_findings(catalog, path, files) if f.rule == "credential-literal"]
    errors = [f.text() for f in secrets if f.severity == "error"]
    if errors:
        raise KfbootError(
            "\n".join([*errors, "set-repo: a credential in the catalog; nothing changed"])
        )


def _sources_on_disk(plan: output.Plan) -> dict[str, Any]:
    """The Applications' sources as ``bootstrap/`` has them now (what a render retargets)."""
    found: dict[str, Any] = {}
    for text in plan.current.values():
        try:
            docs = yamlio.load_all(text or "")
        except ValueError:
            continue  # unreadable: whatever it held, render replaces it
        for doc in docs:
            if isinstance(doc, dict) and doc.get("kind") == "Application":
                found[str(_get(doc, "metadata", "name"))] = _source_of(_get(doc, "spec"))
    return found


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def write(r: Retarget) -> None:
    """``waves.yaml`` and ``bootstrap/`` together, all or nothing (:func:`kfboot.output.apply`):
    everything was validated and rendered before this first write."""
    extra = {r.path: r.new_text} if r.new_text != r.old_text else {}
    try:
        if r.plan is not None:
            output.apply(r.plan, extra)
        elif extra:
            output.write_text(r.path, r.new_text)
    except output.WriteError as exc:
        raise KfbootError(f"{exc.message}; nothing changed") from None


def diff(r: Retarget) -> str:
    """What :func:`write` would change, as one unified diff (``waves.yaml``, then bootstrap/)."""
    catalog = output.unified_diff(r.path.name, r.old_text, r.new_text)
    # Printed like every message: a token in a line the diff shows never reaches a CI log.
    rendered = r.plan.diff(r.new.bootstrapPath) if r.plan is not None else ""
    return redact(redact_diff(catalog + rendered))


def current(path: Path) -> list[str]:
    """The repository and revision the catalog points at now (``set-repo`` without URL)."""
    text, catalog = read(path)
    written = yamledit.has_key(text, "targetRevision")
    note = "" if written else f" (the default; {path.name} does not set it)"
    return [f"repoURL: {catalog.repoURL}", f"targetRevision: {catalog.targetRevision}{note}"]


def _change_lines(r: Retarget, url: str | None, revision: str | None) -> list[str]:
    lines = []
    before: Any = r.old.model_dump()
    for done in r.done:
        field_name = yamledit.dotted(done.edit.path)
        old = before
        for key in done.edit.path:
            old = old[key]
        how = f" (added at line {done.line})" if done.action == "inserted" else ""
        lines.append(f"{field_name}: {old} -> {done.edit.value}{how}")
    changed = {d.edit.path for d in r.done}
    if url is not None and ("repoURL",) not in changed:
        lines.append(f"repoURL: already {r.new.repoURL}")
    if revision is not None and ("targetRevision",) not in changed:
        lines.append(f"targetRevision: already {r.new.targetRevision}")
    return lines


def summary(r: Retarget, url: str | None, revision: str | None, *, dry_run: bool) -> list[str]:
    """What happened (or, with ``dry_run``, would happen), one line per fact."""
    lines = _change_lines(r, url, revision)
    if not r.changed:
        return [*lines, "nothing changed"]
    would = "would be " if dry_run else ""
    lines.append(f"{len(r.retargeted)} Application(s) {would}retargeted: {', '.join(r.retargeted)}")
    lines += [f"left alone: {note}" for note in r.left_alone]
    rewritten = [str(r.path)] if r.new_text != r.old_text else []
    if r.plan is not None:
        rewritten += [str(r.plan.root / rel) for rel in r.plan.write]
        rewritten += [f"{r.plan.root / rel} (removed)" for rel in r.plan.remove]
    verb = "would rewrite" if dry_run else "rewrote"
    lines.append(f"{verb} {len(rewritten)} file(s):")
    lines += [f"  {name}" for name in rewritten]
    if r.plan is None and r.new_text != r.old_text:
        lines.append("bootstrap/ not re-rendered (--no-render); run 'kfboot render'")
    return lines
