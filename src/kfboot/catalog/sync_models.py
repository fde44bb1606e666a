"""Argo CD sync settings of the catalog (``automated``, ``retry``): used by the component models
(``models.py``) and by the fleet's per-cluster overrides (``fleet_models.py``), so they live
apart from both.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kfboot.catalog.fieldtypes import Duration
from kfboot.catalog.modelbase import Model


class Backoff(Model):
    """Argo CD ``syncPolicy.retry.backoff``: how long to wait between retries of a failed sync."""

    duration: Duration = "5s"
    """Wait before the first retry, as a duration (``5s``, ``2m``, ``1h``)."""
    factor: Annotated[int, Field(ge=1)] = 2
    """Each further wait is the previous one times this factor."""
    maxDuration: Duration = "3m"
    """The longest wait between two retries, however many retries came before."""


class Retry(Model):
    """Argo CD ``syncPolicy.retry``."""

    limit: Annotated[int, Field(ge=-1)] = -1
    """How many times Argo CD retries a failed sync before giving up; ``-1`` (the default)
    retries for ever (argo-cd v3.4.7 ``controller/appcontroller.go`` L1579: a negative limit is
    unlimited). Once a finite limit is used up, auto-sync never retries the same commit again,
    even with ``selfHeal`` (``autoSync``, L2298-2303), so a stuck child holds its wave."""
    refresh: bool = True
    """Retry with the latest commit of the source rather than the one that failed (Argo CD 3.2
    and newer). Without it, an unlimited retry keeps the operation Running on the broken commit:
    auto-sync is skipped while an operation runs, so a fix pushed afterwards is never synced until
    someone terminates the operation (argo-cd v3.4.7 ``controller/appcontroller.go`` L1524-1528,
    L2241-2244). Rendered only when true (Argo CD omits ``false``)."""
    backoff: Backoff = Backoff()
    """The waits between retries."""


class Automated(Model):
    """Argo CD ``syncPolicy.automated``."""

    prune: bool = True
    """Delete resources that are no longer in git."""
    selfHeal: bool = True
    """Revert changes made in the cluster by hand (``kubectl edit``, ``kubectl patch``)."""
    allowEmpty: bool = False
    """Allow a sync that would leave the Application with no resources at all."""
