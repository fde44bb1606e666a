"""A small ApplicationSet expander for the tests: what the controller generates, for the parts
kfboot uses (a matrix of list generators, Go templates, templatePatch).

Go templates, not fasttemplate: kfboot renders ``goTemplate: true``, because ``templatePatch``
only works with Go templates and the elements carry maps (argoproj/argo-cd
docs/operator-manual/applicationset/Template.md, GoTemplate.md). Only the two forms kfboot's
templates use are understood, ``{{ .path.to.value }}`` and ``{{ toJson .path }}``; anything else
fails the test. ``missingkey=error``: a missing key raises, as it does in the controller.

The template is rendered field by field (string fields only). A template without finalizers then
gets Argo CD's ``resources-finalizer.argocd.argoproj.io`` unless the set's
``syncPolicy.preserveResourcesOnDeletion`` is true (applicationset/utils/utils.go,
``RenderTemplateParams``). Then the rendered templatePatch is applied as a strategic merge patch
(applicationset/controllers/template/template.go, ``applyTemplatePatch``): maps merge key by key,
``metadata.finalizers`` (``patchStrategy:"merge"`` in ObjectMeta) is the union of both lists, and
every other list of kfboot's patch is absent from the template, so it is taken from the patch.
Empty lists and maps are dropped at the end, as Go's ``omitempty`` does when the Application is
stored.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")


def _lookup(params: dict[str, Any], path: str) -> Any:
    if not path.startswith("."):
        raise ValueError(f"unsupported template expression {path!r}")
    value: Any = params
    for part in path[1:].split("."):
        value = value[part]  # KeyError: missingkey=error
    return value


def _eval(expr: str, params: dict[str, Any]) -> str:
    words = expr.split()
    if len(words) == 1:
        value = _lookup(params, words[0])
        return value if isinstance(value, str) else json.dumps(value)
    if len(words) == 2 and words[0] == "toJson":
        return json.dumps(_lookup(params, words[1]), separators=(",", ":"))
    raise ValueError(f"unsupported template expression {expr!r}")


def render_string(text: str, params: dict[str, Any]) -> str:
    return _ACTION.sub(lambda m: _eval(m.group(1), params), text)


def _render(node: Any, params: dict[str, Any]) -> Any:
    if isinstance(node, str):
        return render_string(node, params)
    if isinstance(node, dict):
        return {k: _render(v, params) for k, v in node.items()}
    if isinstance(node, list):
        return [_render(v, params) for v in node]
    return node


RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io"


def _merge(base: Any, patch: Any, key: str = "") -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for k, value in patch.items():
            merged[k] = _merge(base[k], value, k) if k in base else value
        return merged
    if key == "finalizers" and isinstance(base, list) and isinstance(patch, list):
        return base + [f for f in patch if f not in base]  # patchStrategy "merge": a union
    return patch


def _default_finalizer(app: dict[str, Any], spec: dict[str, Any]) -> None:
    """``RenderTemplateParams``: a template without finalizers gets the resources finalizer
    unless the set preserves resources on deletion."""
    meta = app.setdefault("metadata", {})
    preserve = (spec.get("syncPolicy") or {}).get("preserveResourcesOnDeletion", False)
    if not preserve and not meta.get("finalizers"):
        meta["finalizers"] = [RESOURCES_FINALIZER]


def _omit_empty(node: Any) -> Any:
    if isinstance(node, dict):
        pruned = {k: _omit_empty(v) for k, v in node.items()}
        return {k: v for k, v in pruned.items() if v not in ({}, [], None, "")}
    if isinstance(node, list):
        return [_omit_empty(v) for v in node]
    return node


def _cluster_params(selector: dict[str, Any], registered: list[Cluster]) -> list[dict[str, Any]]:
    """The cluster generator: one parameter set per registered cluster secret whose labels match
    ``matchLabels`` (docs/operator-manual/applicationset/Generators-Cluster.md)."""
    wanted = selector.get("matchLabels", {})
    assert set(selector) <= {"matchLabels"}, "only matchLabels is understood"
    return [
        {"name": c.name, "server": c.server, "metadata": {"labels": c.labels, "annotations": {}}}
        for c in registered
        if all(c.labels.get(k) == v for k, v in wanted.items())
    ]


def _params(generator: dict[str, Any], registered: list[Cluster]) -> list[dict[str, Any]]:
    if "list" in generator:
        return [dict(e) for e in generator["list"]["elements"]]
    if "clusters" in generator:
        return _cluster_params(generator["clusters"]["selector"], registered)
    if "matrix" in generator:
        first, second = (_params(g, registered) for g in generator["matrix"]["generators"])
        return [{**a, **b} for a, b in itertools.product(first, second)]
    raise ValueError(f"unsupported generator {sorted(generator)}")


@dataclass(frozen=True)
class Cluster:
    """A cluster registered in the hub (its cluster secret): what the cluster generator reads."""

    name: str
    server: str
    labels: dict[str, str] = field(default_factory=dict)


def expand(appset: dict[str, Any], registered: list[Cluster] | None = None) -> list[dict[str, Any]]:
    """The Applications ``appset`` generates (``registered``: the hub's cluster secrets)."""
    spec = appset["spec"]
    assert spec.get("goTemplate") is True
    apps = []
    for generator in spec["generators"]:
        for params in _params(generator, registered or []):
            app = {
                "apiVersion": "argoproj.io/v1alpha1",
                "kind": "Application",
                **_render(spec["template"], params),
            }
            _default_finalizer(app, spec)
            if "templatePatch" in spec:
                patch = yaml.safe_load(render_string(spec["templatePatch"], params))
                app = _merge(app, patch)
            apps.append(_omit_empty(app))
    return apps
