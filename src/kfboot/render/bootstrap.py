"""The pure core: a validated catalog in, ``{path relative to bootstrap/: file text}`` out.

Nothing here touches the disk; ``output.py`` writes. Every YAML file is parsed back before it is
returned, so a template bug can never reach a repository as broken YAML; the one other file, the
Makefile (``makefile.py``), is exercised under GNU make by its tests instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from kfboot import yamlio
from kfboot.catalog.fleet import deep_merge
from kfboot.catalog.models import Catalog, Component, IgnoreDifference, Wave
from kfboot.catalog.waves import wave_members
from kfboot.errors import KfbootError
from kfboot.layout import (
    APPS_DIR,
    ARGOCD_DIR,
    BASE_DIR,
    HEALTH_KEY,
    ROOT_FILE,
    header,
    wave_dir,
)
from kfboot.render.destination import cluster_of, component_destination, destination
from kfboot.render.makefile import render_makefile
from kfboot.render.sources import chart_source, git_sources, listed_sources
from kfboot.render.templating import render_template, templates_dir


def app_path(catalog: Catalog, comp: Component, base: str = BASE_DIR) -> str | None:
    """The repository path an Application's git source points at (None for a chart source);
    ``base``: the directory of the wrappers, inside bootstrap/."""
    if comp.argocd is not None:
        return f"{catalog.bootstrapPath}/{ARGOCD_DIR}"
    if comp.needs_wrapper:
        return f"{catalog.bootstrapPath}/{base}/{comp.name}"
    if comp.paths:
        return comp.paths[0]
    return None


def _ignore(entries: list[IgnoreDifference]) -> list[dict[str, Any]]:
    return [e.model_dump(exclude_none=True) for e in entries]


def _sources(catalog: Catalog, comp: Component, base: str) -> dict[str, Any]:
    """``{"source": ...}``, or ``{"sources": [...]}`` for a multi-source component."""
    if comp.helm is not None:
        return {"source": chart_source(comp)}
    if comp.sources:
        return {"sources": listed_sources(catalog, comp)}
    path = app_path(catalog, comp, base)
    assert path is not None
    found = git_sources(catalog, comp, path)
    return {"sources": found} if comp.multi_source else {"source": found[0]}


def _sync_policy(automated: Any, sync_options: list[str], retry: Any) -> dict[str, Any]:
    # No ``automated`` key is Argo CD's manual sync (``automated: false`` in the catalog).
    policy: dict[str, Any] = {}
    if automated is not False:
        policy["automated"] = automated.model_dump(exclude_defaults=False)
        if not policy["automated"].get("allowEmpty"):
            del policy["automated"]["allowEmpty"]
    if sync_options:
        policy["syncOptions"] = list(sync_options)
    # ``refresh: false`` is Argo CD's default and omitted from the stored object (omitempty).
    policy["retry"] = retry.model_dump(exclude={"refresh"} if not retry.refresh else None)
    return policy


def application_view(catalog: Catalog, comp: Component, base: str = BASE_DIR) -> dict[str, Any]:
    """The Application of one component, as the data the template lays out."""
    d = catalog.defaults
    finalizers = comp.finalizers if comp.finalizers is not None else d.finalizers
    if comp.argocd is not None:
        # Deleting the argocd Application (or the app of apps) must never uninstall Argo CD.
        finalizers = [f for f in finalizers if f != "resources-finalizer.argocd.argoproj.io"]
    annotations = {
        "argocd.argoproj.io/sync-wave": str(comp.wave),
        **d.annotations,
        **comp.annotations,
    }
    return {
        "name": comp.app_name,
        "namespace": catalog.argocdNamespace,
        "labels": {**d.labels, **comp.labels},
        "annotations": annotations,
        "finalizers": finalizers,
        "project": comp.project or catalog.project,
        **_sources(catalog, comp, base),
        "destination": component_destination(catalog, comp),
        "syncPolicy": _sync_policy(
            d.automated if comp.automated is None else comp.automated,
            comp.syncOptions if comp.syncOptions is not None else d.syncOptions,
            comp.retry or d.retry,
        ),
        "ignoreDifferences": _ignore([*d.ignoreDifferences, *comp.ignoreDifferences]),
    }


def root_view(catalog: Catalog) -> dict[str, Any]:
    """The app of apps: deliberately without ServerSideApply (historically argo-cd#13320 ignored
    waves then; fixed by gitops-engine #699, argo-cd v3.4.7 gitops-engine/pkg/sync/
    sync_context.go L1262-1266, but the root needs nothing server-side apply gives)."""
    d = catalog.defaults
    root = catalog.appOfApps
    return {
        "name": root.name,
        "namespace": catalog.argocdNamespace,
        "labels": {**d.labels, **root.labels},
        "annotations": {},
        # None by default: with Argo CD's resources finalizer, deleting the root deletes every
        # component (argo-cd v3.4.7 docs/user-guide/app_deletion.md); teardown is wave by wave.
        "finalizers": root.finalizers,
        "project": catalog.project,
        "source": {
            "repoURL": catalog.repoURL,
            "targetRevision": catalog.targetRevision,
            "path": f"{catalog.bootstrapPath}/{APPS_DIR}",
        },
        "destination": destination(*cluster_of(catalog), root.namespace),
        "syncPolicy": _sync_policy(
            d.automated if root.automated is None else root.automated,
            root.syncOptions,
            root.retry or d.retry,
        ),
        "ignoreDifferences": [],
    }


def wrapper_resources(catalog: Catalog, comp: Component, base: str = BASE_DIR) -> list[str]:
    """The component's paths as seen from ``<bootstrap>/<base>/<name>/``."""
    up = "../" * (len(catalog.bootstrapPath.split("/")) + len(base.split("/")) + 1)
    return [up + path for path in comp.paths]


@cache
def health_check_lua() -> str:
    return (templates_dir() / "argocd" / "application-health.lua").read_text(encoding="utf-8")


def argocd_values(catalog: Catalog, comp: Component) -> dict[str, Any]:
    """Chart values: the generated settings first, then the catalog's own values merged on top."""
    assert comp.argocd is not None
    cm: dict[str, Any] = {"kustomize.buildOptions": "--enable-helm"}
    if comp.argocd.applicationHealthCheck:
        cm[HEALTH_KEY] = health_check_lua()
    generated = {
        "configs": {
            "cm": cm,
            "repositories": {
                comp.argocd.repositoryName: {
                    "url": catalog.repoURL,
                    "name": comp.argocd.repositoryName,
                    "type": "git",
                }
            },
        }
    }
    if catalog.layout == "applicationset":
        # Progressive syncs are off unless enabled (argoproj/argo-cd
        # docs/operator-manual/applicationset/Progressive-Syncs.md); the chart passes
        # configs.params to argocd-cmd-params-cm (argo-helm charts/argo-cd/values.yaml).
        key = "applicationsetcontroller.enable.progressive.syncs"
        generated["configs"]["params"] = {key: "true"}
    return deep_merge(generated, comp.argocd.values)


def _waves_in_use(catalog: Catalog) -> list[tuple[Wave, list[Component]]]:
    return wave_members(catalog)


def render(catalog: Catalog, source: str = "waves.yaml") -> dict[str, str]:
    """Every file of ``bootstrap/`` for a one-cluster ``catalog``, keyed by path relative to
    ``bootstrap/`` (:func:`kfboot.render.tree.render` takes any catalog, fleets too)."""
    if catalog.clusters is not None:
        raise KfbootError("internal error: a fleet catalog is rendered by kfboot.render.tree")
    files = {
        ROOT_FILE: render_template(
            "application.yaml.j2", header=header(source, "the app of apps"), app=root_view(catalog)
        )
    }
    files.update(wave_tree(catalog, source, APPS_DIR, lambda c: application_view(catalog, c)))
    for comp in catalog.enabled_components():
        files.update(component_files(catalog, comp, source))
    files["Makefile"] = render_makefile(catalog, header(source, "the Makefile"), source)
    return gated(files)


def gated(files: dict[str, str]) -> dict[str, str]:
    """``files`` sorted by path, each YAML file parsed back first."""
    for path, text in files.items():
        _gate(path, text)
    return dict(sorted(files.items()))


def wave_tree(
    catalog: Catalog,
    source: str,
    apps_dir: str,
    view: Callable[[Component], dict[str, Any]],
) -> dict[str, str]:
    """``apps_dir``: the kustomization of the waves, one per wave, and the Applications."""
    hdr = header(source)
    in_use = _waves_in_use(catalog)
    files = {
        f"{apps_dir}/kustomization.yaml": render_template(
            "apps-kustomization.yaml.j2",
            header=hdr,
            waves=[
                {"wave": w, "dir": wave_dir(w.wave), "components": [c.name for c in members]}
                for w, members in in_use
            ],
            extras=[
                {
                    "path": e.entry(catalog.bootstrapPath),
                    "wave": e.wave,
                    "description": e.description,
                }
                for e in catalog.extraResources
            ],
        )
    }
    for wave, members in in_use:
        directory = f"{apps_dir}/{wave_dir(wave.wave)}"
        files[f"{directory}/kustomization.yaml"] = render_template(
            "wave-kustomization.yaml.j2",
            header=hdr,
            wave=wave,
            files=[f"{c.name}.yaml" for c in members],
        )
        for comp in members:
            files[f"{directory}/{comp.name}.yaml"] = render_template(
                "application.yaml.j2",
                header=header(source, f"component {comp.name}"),
                app=view(comp),
            )
    return files


def component_files(
    catalog: Catalog, comp: Component, source: str, base: str = BASE_DIR
) -> dict[str, str]:
    """The files besides its Application a component needs: its wrapper, or Argo CD's chart."""
    hdr = header(source, f"component {comp.name}")
    if comp.needs_wrapper:
        wrapper = comp.kustomize
        return {
            f"{base}/{comp.name}/kustomization.yaml": render_template(
                "wrapper-kustomization.yaml.j2",
                header=hdr,
                component=comp,
                namespace=wrapper.namespace if wrapper else None,
                resources=wrapper_resources(catalog, comp, base),
                patches=[
                    *(
                        p.model_dump(exclude_none=True)
                        for p in (wrapper.patches if wrapper else [])
                    ),
                    *(w.patch() for w in comp.resourceWaves),
                ],
            )
        }
    if comp.argocd is not None:
        ns = comp.namespace or catalog.argocdNamespace
        return {
            f"{ARGOCD_DIR}/kustomization.yaml": render_template(
                "argocd/kustomization.yaml.j2",
                header=hdr,
                namespace=ns,
                install=comp.argocd,
                directory=f"{catalog.bootstrapPath}/{ARGOCD_DIR}",
            ),
            f"{ARGOCD_DIR}/namespace.yaml": render_template(
                "argocd/namespace.yaml.j2", header=hdr, namespace=ns
            ),
            f"{ARGOCD_DIR}/values.yaml": render_template(
                "argocd/values.yaml.j2", header=hdr, values=argocd_values(catalog, comp)
            ),
        }
    return {}


def _gate(path: str, text: str) -> None:
    """Parse a rendered YAML file back; a failure here is a kfboot bug, never the user's."""
    if not path.endswith((".yaml", ".yml")):
        return  # the Makefile: its tests run it under make instead
    try:
        yamlio.parse_back(text)
    except ValueError as exc:
        raise KfbootError(f"internal error: rendered {path} is not valid YAML: {exc}") from exc
