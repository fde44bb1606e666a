"""The built objects, reduced to what the ordering analysis needs, and kustomize's output parsed.

Kustomize prints canonical YAML (kyaml): top-level keys at column 0, sorted, children indented.
Only ``apiVersion``, ``kind``, ``metadata`` and a CRD's ``spec.group``/``scope``/``names`` matter
here, so each document is cut down to those lines before parsing: CRD schemas are most of the
bytes of a Kubeflow build, and parsing them would dominate the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kfboot import k8s as kinds
from kfboot import yamlio


@dataclass(frozen=True, order=True)
class Obj:
    """One object of a build. ``namespace`` is as built ('' when unset)."""

    api_version: str
    kind: str
    namespace: str
    name: str
    labels: tuple[tuple[str, str], ...] = ()
    # For a CustomResourceDefinition: (group, kind, scope) it defines.
    crd: tuple[str, str, str] | None = field(default=None)

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def gk(self) -> tuple[str, str]:
        return self.group, self.kind

    def to_json(self) -> list[Any]:
        return [
            self.api_version,
            self.kind,
            self.namespace,
            self.name,
            dict(self.labels),
            list(self.crd) if self.crd else None,
        ]

    @classmethod
    def from_json(cls, item: Any) -> Obj:
        """What :meth:`to_json` wrote; ValueError for anything else (a foreign cache entry)."""
        if not (isinstance(item, list) and len(item) == 6 and _strings(item[:4])):
            raise ValueError("not a cached object")
        labels, crd = item[4], item[5]
        if not (isinstance(labels, dict) and _strings([*labels, *labels.values()])):
            raise ValueError("not a cached object's labels")
        if crd is not None and not (isinstance(crd, list) and len(crd) == 3 and _strings(crd)):
            raise ValueError("not a cached object's CRD")
        return cls(item[0], item[1], item[2], item[3], tuple(sorted(labels.items())), _crd(crd))


def _strings(items: list[Any]) -> bool:
    return all(isinstance(x, str) for x in items)


def _crd(crd: list[str] | None) -> tuple[str, str, str] | None:
    return (crd[0], crd[1], crd[2]) if crd else None


_SPEC_KEYS = ("group:", "scope:", "names:")


def _reduce(doc: str) -> str:
    """The lines of one document that the analysis reads (see the module docstring)."""
    out: list[str] = []
    top = sub = ""
    for line in doc.split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        if line[0] != " ":
            top = line.split(":", 1)[0]
            if top in ("apiVersion", "kind", "metadata", "spec"):
                out.append(line)
            continue
        if top == "metadata":
            out.append(line)
        elif top == "spec":
            if line[2:3] not in (" ", ""):
                sub = line[2:].split(":", 1)[0]
                if line[2:].startswith(_SPEC_KEYS):
                    out.append(line)
            elif sub == "names":
                out.append(line)
    return "\n".join(out) + "\n"


def _obj(data: Any) -> Obj | None:
    if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
        return None
    meta = data["metadata"]
    api, kind = str(data.get("apiVersion", "")), str(data.get("kind", ""))
    labels: tuple[tuple[str, str], ...] = ()
    crd = None
    if kind == "Namespace" and isinstance(meta.get("labels"), dict):
        labels = tuple(sorted((str(k), str(v)) for k, v in meta["labels"].items()))
    if (api.rpartition("/")[0], kind) == kinds.CRD and isinstance(data.get("spec"), dict):
        spec = data["spec"]
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        crd = (str(spec.get("group", "")), str(names.get("kind", "")), str(spec.get("scope", "")))
    return Obj(api, kind, str(meta.get("namespace") or ""), str(meta.get("name", "")), labels, crd)


def _parse_doc(doc: str) -> Obj | None:
    try:
        found = _obj(next(iter(yamlio.load_all(_reduce(doc), trusted=True)), None))
    except ValueError:  # a reduction that does not parse: read the whole document
        found = None
    if found is None or not found.kind or not found.name:
        docs = [d for d in yamlio.load_all(doc, trusted=True) if d]
        found = _obj(docs[0]) if docs else None
    return found


def parse_build(output: str) -> list[Obj]:
    """Every object of kustomize's output stream, in order."""
    found = []
    for doc in ("\n" + output).split("\n---\n"):
        if doc.strip():
            obj = _parse_doc(doc)
            if obj is not None:
                found.append(obj)
    return found
