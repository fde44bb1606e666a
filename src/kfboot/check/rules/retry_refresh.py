"""Rule ``retry-without-refresh`` on one hand-written Application (``kfboot lint``; ``check``
judges the catalog's retries in :func:`kfboot.check.rules.catalog_wide.retry_without_refresh`).

An unlimited retry (``limit`` below 0) keeps the operation Running on the commit that failed, and
auto-sync is skipped while it runs, so a fix pushed meanwhile is never synced unless
``retry.refresh: true`` (Argo CD 3.2+; argo-cd v3.4.7 controller/appcontroller.go L1524-1528).
A hand-written tree does not say which Argo CD runs it; kfboot's target is 3.4.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfboot.check.rules.application import Context, Hit, get_path

_RETRY = ("spec", "syncPolicy", "retry")


def retry_without_refresh(app: Any, ctx: Context) -> Iterator[Hit]:
    retry = get_path(app, *_RETRY)
    limit = retry.get("limit") if isinstance(retry, dict) else None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit >= 0:
        return
    if retry.get("refresh") is True:
        return
    yield Hit(
        "retry-without-refresh",
        (*_RETRY, "refresh") if "refresh" in retry else (*_RETRY, "limit"),
        "spec.syncPolicy.retry retries for ever on the commit that failed: auto-sync is skipped "
        "while the operation runs, so a fix pushed meanwhile is never synced (set refresh: true)",
    )
