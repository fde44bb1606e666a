"""``resourceWaves``: sync waves for objects inside one component's Application.

Argo CD applies one Application's objects wave by wave and, between waves, waits until the
objects of the wave are healthy (gitops-engine ``pkg/sync/sync_context.go``, pinned by argo-cd
v3.4.7; argo-cd ``docs/user-guide/sync-waves.md``). Upstream's manifests carry no such waves, so
a webhook configuration, or a custom resource a webhook validates, is applied in the same pass as
the Deployment that serves the webhook and fails while that pod starts. Each entry here becomes a
kustomize patch in the component's wrapper that sets ``argocd.argoproj.io/sync-wave`` on the
matching objects.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kfboot import yamlio
from kfboot.catalog.fieldtypes import SyncWave

SYNC_WAVE = "argocd.argoproj.io/sync-wave"


class ResourceWave(BaseModel):
    """One in-Application sync wave: the objects it matches and their wave."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    group: str = Field(examples=["cert-manager.io"])
    """API group of the objects (empty string for the core group)."""
    kind: Annotated[str, StringConstraints(min_length=1, pattern=r"^[A-Za-z][A-Za-z0-9]*$")] = (
        Field(examples=["ClusterIssuer"])
    )
    """Kind of the objects."""
    name: Annotated[str, StringConstraints(min_length=1, pattern=r"^\S+$")] | None = None
    """Only the object of this name (default: every object of the kind)."""
    namespace: Annotated[str, StringConstraints(min_length=1, pattern=r"^\S+$")] | None = None
    """Only objects in this namespace."""
    wave: SyncWave = Field(examples=[1])
    """The in-Application wave (objects without one are in wave 0; lower waves go first)."""

    def patch(self) -> dict[str, Any]:
        """The kustomize ``patches`` entry: a merge patch of the annotation onto the targets.

        With a ``target``, kustomize applies the patch to every matching object whatever name
        the patch carries, and keeps the objects' other annotations.
        """
        target: dict[str, Any] = {"group": self.group, "kind": self.kind}
        if self.name is not None:
            # kustomize reads a target name as a regular expression: anchor it to the exact name.
            target["name"] = f"^{_escape(self.name)}$"
        if self.namespace is not None:
            target["namespace"] = self.namespace
        body = {
            "kind": self.kind,
            "metadata": {"name": "any", "annotations": {SYNC_WAVE: str(self.wave)}},
        }
        return {"target": target, "patch": yamlio.dump(body).rstrip("\n")}

    def matches(self, group: str, kind: str, name: str, namespace: str) -> bool:
        """Whether this entry selects the object (as kustomize's target does)."""
        return (
            (self.group == group or not self.group)
            and self.kind == kind
            and self.name in (None, name)
            and self.namespace in (None, namespace)
        )


def _escape(name: str) -> str:
    return "".join("\\" + c if c in ".^$*+?()[]{}|\\" else c for c in name)


def from_patch(patch: Any) -> dict[str, Any] | None:
    """The ``resourceWaves`` entry a wrapper patch was rendered from, or None when the patch is
    not exactly one of kfboot's (``kfboot import`` turns kfboot's own output back)."""
    if not isinstance(patch, dict) or set(patch) != {"target", "patch"}:
        return None
    target, text = patch["target"], patch["patch"]
    if not isinstance(target, dict) or not isinstance(text, str):
        return None
    try:
        body = yamlio.parse_back(text)
    except ValueError:
        return None
    wave = atoi_wave(body)
    entry: dict[str, Any] = {"group": target.get("group"), "kind": target.get("kind")}
    name = target.get("name")
    if isinstance(name, str):
        entry["name"] = name.removeprefix("^").removesuffix("$").replace("\\", "")
    if "namespace" in target:
        entry["namespace"] = target["namespace"]
    if wave is None or not isinstance(entry["group"], str) or not isinstance(entry["kind"], str):
        return None
    entry["wave"] = wave
    try:
        rebuilt = ResourceWave.model_validate(entry).patch()
    except ValueError:
        return None
    return entry if rebuilt == patch else None


def atoi_wave(body: Any) -> int | None:
    """The wave of a rendered patch body ``{kind, metadata: {name: any, annotations}}``."""
    docs = body if isinstance(body, list) else [body]
    doc = docs[0] if len(docs) == 1 else None
    meta = doc.get("metadata") if isinstance(doc, dict) else None
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    value = annotations.get(SYNC_WAVE) if isinstance(annotations, dict) else None
    if not isinstance(value, str) or not value.lstrip("-").isdigit():
        return None
    return int(value)
