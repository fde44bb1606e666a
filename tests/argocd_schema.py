"""Strict validation of Application objects against Argo CD's own CRD schema (test helper).

The API server validates ``spec`` against the CRD's ``openAPIV3Schema`` and prunes unknown
fields; we treat unknown fields as errors (``additionalProperties: false`` wherever the schema
does not preserve unknown fields). ``metadata`` is not described by the CRD, so its rules
(string-valued labels and annotations, DNS-1123 names) are checked here by hand.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from tests.conftest import SHARED

CRD_DIR = SHARED / "reference" / "argo-cd"
_DNS1123_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items() if not k.startswith("x-kubernetes-")}
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if (
        out.get("type") == "object"
        and "properties" in out
        and not node.get("x-kubernetes-preserve-unknown-fields")
        and "additionalProperties" not in out
    ):
        out["additionalProperties"] = False
    return out


@cache
def validator(kind: str = "application") -> jsonschema.Draft7Validator:
    crd = yaml.safe_load((CRD_DIR / f"{kind}-crd.yaml").read_text())
    schema = _strict(crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"])
    schema["properties"]["metadata"] = {"type": "object"}  # checked by _metadata_errors
    return jsonschema.Draft7Validator(schema)


def _metadata_errors(meta: dict[str, Any]) -> list[str]:
    errors = []
    name = meta.get("name")
    if not isinstance(name, str) or len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
        errors.append(f"metadata.name: {name!r} is not a DNS-1123 subdomain")
    for field in ("labels", "annotations"):
        for key, value in (meta.get(field) or {}).items():
            if not isinstance(key, str) or not isinstance(value, str):
                errors.append(f"metadata.{field}.{key}: {value!r} is not a string")
    return errors


def application_errors(doc: dict[str, Any], kind: str = "application") -> list[str]:
    """Every schema violation of one Application (or AppProject) object, as readable strings."""
    errors = [
        f"{'.'.join(str(p) for p in err.absolute_path) or '<root>'}: {err.message}"
        for err in validator(kind).iter_errors(doc)
    ]
    return errors + _metadata_errors(doc.get("metadata") or {})


def available() -> bool:
    return Path(CRD_DIR / "application-crd.yaml").is_file()
