"""The rules over a whole tree: duplicate names, AppProject scope, two roots, the health check.

Argo CD's facts are cited where they are used: projects
(pkg/apis/application/v1alpha1/app_project_types.go:446-523@v3.4.7, globs by gobwas/glob with
``/`` as separator for repositories, none for destinations), the health check of Applications
(removed in Argo CD 1.8; ``resource_customizations/argoproj.io`` holds none in v3.4.7).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from kfboot.check.rules.application import Hit, get_path, wave_of
from kfboot.check.rules.argocd import WAVE_ANNOTATION
from kfboot.gitrepo import normalise_url
from kfboot.lint.engine import Located, place
from kfboot.lint.reading import ArgoObject
from kfboot.lint.roots import Roots

IN_CLUSTER = ("in-cluster", "https://kubernetes.default.svc")


def duplicates(objects: list[ArgoObject]) -> Iterator[Located]:
    first: dict[tuple[str, str, str], ArgoObject] = {}
    for obj in objects:
        if not obj.name:
            continue
        key = (obj.kind, obj.namespace, obj.name)
        if key not in first:
            first[key] = obj
            continue
        other = first[key]
        mark = other.pos.of_value(("metadata", "name"))
        yield place(
            obj,
            Hit(
                "duplicate-application",
                ("metadata", "name"),
                f"{obj.kind} {obj.name!r} is also defined at {other.file}:{mark.line}:{mark.col}; "
                "Argo CD keeps one of them, whichever is applied last",
            ),
        )


@cache
def _glob(pattern: str, separator: str) -> re.Pattern[str]:
    """gobwas/glob's syntax (``*``, ``**``, ``?``, ``[...]``, ``{a,b}``) as a regex."""
    one = f"[^{re.escape(separator)}]" if separator else "."
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
            continue
        if c == "*":
            out += one + "*"
        elif c == "?":
            out += one
        elif c == "{":
            end = pattern.find("}", i)
            if end > i:
                alts = pattern[i + 1 : end].split(",")
                out, i = out + "(?:" + "|".join(re.escape(a) for a in alts) + ")", end + 1
                continue
            out += re.escape(c)
        elif c == "[" and "]" in pattern[i:]:
            end = pattern.index("]", i)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out, i = out + "[" + ("^" + body[1:] if body.startswith("!") else body) + "]", end + 1
            continue
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z", re.S)


def glob_match(pattern: str, value: str, separator: str = "") -> bool:
    """Argo CD's ``globMatch`` with negation: ``!pattern`` matches what pattern does not."""
    if pattern.startswith("!"):
        return not _glob(pattern[1:], separator).match(value)
    return pattern == "*" or bool(_glob(pattern, separator).match(value))


def source_permitted(repos: list[str], url: str) -> bool:
    """``IsSourcePermitted`` (app_project_types.go:458-481@v3.4.7)."""
    wanted, matched = normalise_url(url), False
    for repo in repos:
        deny = repo.startswith("!")
        pattern = ("!" if deny else "") + normalise_url(repo.removeprefix("!"))
        if glob_match(pattern, wanted, "/"):
            matched = True
        elif deny:
            return False
    return matched


def destination_permitted(items: list[dict[str, Any]], server: str, name: str, ns: str) -> bool:
    """``isDestinationMatched`` (app_project_types.go:505-523@v3.4.7)."""
    matched = False
    for item in items:
        i_name, i_server, i_ns = (str(item.get(k) or "") for k in ("name", "server", "namespace"))
        by_name = bool(name) and glob_match(i_name, name)
        by_server = bool(server) and glob_match(i_server, server)
        by_ns = glob_match(i_ns, ns)
        if (by_server or by_name) and by_ns:
            matched = True
        elif _denied(i_name, by_name, i_server, by_server, i_ns, by_ns):
            return False
    return matched


def _denied(name: str, by_name: bool, server: str, by_server: bool, ns: str, by_ns: bool) -> bool:
    # Go's ``a || b && c`` is ``a || (b && c)``: app_project_types.go:515-519@v3.4.7.
    return (
        (not by_name and name.startswith("!"))
        or (not by_server and server.startswith("!") and by_ns)
        or (not by_ns and ns.startswith("!") and by_server)
    )


def _destination(app: dict[str, Any]) -> tuple[str, str, str] | None:
    """(server, name, namespace) as the project sees them; None when the cluster behind a name
    or server is unknown without a cluster (only in-cluster's two spellings are known)."""
    dest = get_path(app, "spec", "destination")
    if not isinstance(dest, dict):
        return None
    server, name = str(dest.get("server") or ""), str(dest.get("name") or "")
    if server in (IN_CLUSTER[1], "") and name in (IN_CLUSTER[0], ""):
        server, name = IN_CLUSTER[1], IN_CLUSTER[0]
    return server, name, str(dest.get("namespace") or "")


def _sources(app: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    single, many = get_path(app, "spec", "source"), get_path(app, "spec", "sources")
    found = [(("spec", "source"), single)] + [
        (("spec", "sources", i), s) for i, s in enumerate(many if isinstance(many, list) else [])
    ]
    return [
        ((*p, "repoURL"), s["repoURL"])
        for p, s in found
        if isinstance(s, dict) and isinstance(s.get("repoURL"), str)
    ]


def _scope_hits(app: dict[str, Any], project: ArgoObject) -> Iterator[Hit]:
    name = project.name
    repos = get_path(project.doc, "spec", "sourceRepos")
    repos = [r for r in repos if isinstance(r, str)] if isinstance(repos, list) else []
    for path, url in _sources(app):
        if "{{" not in url and not source_permitted(repos, url):
            yield Hit(
                "app-project-scope",
                path,
                f"repository {url!r} is not permitted by AppProject {name!r} ({project.file}) "
                "sourceRepos; Argo CD refuses to sync it",
            )
    items = get_path(project.doc, "spec", "destinations")
    items = [d for d in items if isinstance(d, dict)] if isinstance(items, list) else []
    dest = _destination(app)
    # Argo CD matches the cluster's server and name; where one is unknown without a cluster, an
    # entry naming that field cannot be judged.
    unknown = [k for k, v in zip(("server", "name"), (dest or ("", ""))[:2], strict=True) if not v]
    if any(item.get(k) for item in items for k in unknown):
        return
    if dest is not None and not destination_permitted(items, *dest):
        server, cluster, ns = dest
        yield Hit(
            "app-project-scope",
            ("spec", "destination"),
            f"destination {cluster or server} / namespace {ns or '(none)'} is not permitted by "
            f"AppProject {name!r} ({project.file}) destinations; Argo CD refuses to sync it",
        )


def project_scope(objects: list[ArgoObject]) -> Iterator[Located]:
    projects = {o.name: o for o in objects if o.kind == "AppProject" and o.name}
    if not projects:
        return  # projects are managed elsewhere: nothing to judge against
    for obj in objects:
        name = get_path(obj.doc, "spec", "project")
        if obj.kind != "Application" or not isinstance(name, str) or "{{" in name:
            continue
        if name in projects:
            yield from (place(obj, hit) for hit in _scope_hits(obj.doc, projects[name]))
        elif name != "default":
            close = difflib.get_close_matches(name, list(projects), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(sorted(projects))
            yield place(
                obj,
                Hit(
                    "app-project-missing",
                    ("spec", "project"),
                    f"project {name!r} is defined by no AppProject of the tree ({known}){hint}; "
                    "Argo CD refuses an Application whose project does not exist",
                ),
            )


def double_roots(objects: list[ArgoObject], roots: Roots) -> Iterator[Located]:
    owners: dict[int, list[ArgoObject]] = {}
    index = {id(o): i for i, o in enumerate(objects)}
    for root, children in roots.children.items():
        for obj in children:
            if obj.kind == "Application":
                owners.setdefault(index[id(obj)], []).append(objects[root])
    for at, over in sorted(owners.items()):
        if len(over) > 1:
            names = ", ".join(f"{o.name!r} ({o.file})" for o in over)
            yield place(
                objects[at],
                Hit(
                    "application-multiple-roots",
                    ("metadata", "name"),
                    f"Application {objects[at].name!r} is synced by {len(over)} roots: "
                    f"{names}; they fight over it",
                ),
            )


def health_check(objects: list[ArgoObject], present: Callable[[], bool]) -> Iterator[Located]:
    apps = [o for o in objects if o.kind == "Application"]
    waves = {wave_of(o.doc) for o in apps} - {None}
    if len(waves) < 2 or present():
        return
    first = next(o for o in apps if wave_of(o.doc) not in (0, None))
    yield place(
        first,
        Hit(
            "no-application-health-check",
            ("metadata", "annotations", WAVE_ANNOTATION),
            f"the Applications use {len(waves)} sync waves, but no file of the tree gives "
            "argocd-cm the health check for Applications (resource.customizations.health."
            "argoproj.io_Application); without it each wave counts as healthy at once and the "
            "next one does not wait",
        ),
    )
