"""An imported Application's sync policy and metadata, in the catalog's terms.

Argo CD's own defaults are made explicit where the catalog has different ones: an automated
policy without ``prune`` does not prune; without a retry policy an automated Application still
retries a failed auto-sync 5 times (``limit: 5``) and a manual one not at all (``limit: 0``).
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Component, Defaults
from kfboot.check.rules.argocd import WAVE_ANNOTATION
from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing.app_files import AppDoc, mapping, shown
from kfboot.importing.fixes import NOT_CARRIED

_ARGO_BACKOFF = {"duration": "5s", "factor": 2, "maxDuration": "3m"}  # Argo CD's own defaults


def policy(app: AppDoc, found: list[Finding]) -> dict[str, Any]:
    sync = mapping(app.spec.get("syncPolicy"))
    options, notes = import_rules.sync_options(app, root=False)
    found.extend(notes)
    ignore, notes = import_rules.ignore_differences(app)
    found.extend(notes)
    return {
        "automated": automated_of(app, sync, found),
        "syncOptions": options,
        "retry": retry_of(app, sync, found),
        "finalizers": finalizers(app),
        "labels": _strings(app, "labels", found),
        "annotations": {
            k: v for k, v in _strings(app, "annotations", found).items() if k != WAVE_ANNOTATION
        },
        "ignoreDifferences": ignore,
    }


def automated_of(app: AppDoc, sync: dict[str, Any], found: list[Finding]) -> dict[str, Any] | bool:
    """The automated policy, or False for manual sync (no ``automated``, or ``enabled: false``)."""
    auto = sync.get("automated")
    if not isinstance(auto, dict) or auto.get("enabled") is False:
        return False
    # Argo CD's defaults for an automated policy are prune and selfHeal off.
    result = {k: auto.get(k) is True for k in ("prune", "selfHeal")}
    if auto.get("allowEmpty") is True:
        result["allowEmpty"] = True
    return result


def retry_of(app: AppDoc, sync: dict[str, Any], found: list[Finding]) -> dict[str, Any]:
    retry = sync.get("retry")
    if retry is None:
        # Auto-sync creates its operation with ``Retry: RetryStrategy{Limit: 5}`` (no refresh)
        # and replaces it only when ``syncPolicy.retry`` is set (argo-cd v3.4.7
        # controller/appcontroller.go L2288-2291); a manual sync retries only when asked to.
        automated = automated_of(app, sync, []) is not False
        limit = 5 if automated else 0
        return {"limit": limit, "refresh": False, "backoff": dict(_ARGO_BACKOFF)}
    raw = retry.get("backoff") if isinstance(retry, dict) else None
    backoff = {**_ARGO_BACKOFF, **(raw if isinstance(raw, dict) else {})}
    result = {
        "limit": retry.get("limit", 0) if isinstance(retry, dict) else None,
        # Kept as the repository has it: Argo CD's default is false (types.go L1517-1518).
        "refresh": retry.get("refresh") is True if isinstance(retry, dict) else False,
        "backoff": {k: backoff[k] for k in _ARGO_BACKOFF},
    }
    if not fits(Defaults, "retry", result):
        msg = (
            f"spec.syncPolicy.retry is {shown(retry)}, which the catalog cannot hold (an integer "
            "limit, -1 for unlimited; durations such as 5s); the catalog now says limit 0: "
            "no retries"
        )
        found.append(app.finding(("spec", "syncPolicy", "retry"), NOT_CARRIED, msg))
        return {"limit": 0, "refresh": False, "backoff": dict(_ARGO_BACKOFF)}
    return result


def _strings(app: AppDoc, key: str, found: list[Finding]) -> dict[str, str]:
    value = app.metadata.get(key)
    result: dict[str, str] = {}
    for name, item in mapping(value).items():
        if name == WAVE_ANNOTATION:
            continue
        if fits(Component, key, {name: item}):
            result[name] = item
        else:
            msg = (
                f"metadata.{key} {name!r} is {shown(item)}, not a valid {key[:-1]}; the "
                "rendered Application does not have it"
            )
            found.append(app.finding(("metadata", key, name), NOT_CARRIED, msg))
    return result


def finalizers(app: AppDoc) -> list[str]:
    value = app.metadata.get("finalizers")
    return [f for f in value if isinstance(f, str) and f] if isinstance(value, list) else []
