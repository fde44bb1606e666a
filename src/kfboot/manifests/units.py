"""What the ordering analysis works on (a component as a :class:`Unit`) and what it returns
(a :class:`Result`); shared by the analysis and its cross-component rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from kfboot.catalog.models import IgnoreDifference
from kfboot.catalog.resourcewaves import ResourceWave
from kfboot.findings import Finding
from kfboot.manifests.objects import Obj

Where = Callable[[str], tuple[str, int, int]]
WhereDep = Callable[[str, str], tuple[str, int, int]]


@dataclass(frozen=True, eq=False)  # identity: units are compared and hashed by object
class Unit:
    """One enabled component as the analysis sees it; ``objects`` is empty when not analysed."""

    name: str
    wave: int
    namespace: str
    create_namespace: bool
    depends_on: tuple[str, ...]
    analysed: bool
    objects: tuple[Obj, ...] = ()
    # The Application's ignoreDifferences, and whether its sync respects them.
    ignore: tuple[IgnoreDifference, ...] = ()
    respect_ignore: bool = False
    resource_waves: tuple[ResourceWave, ...] = ()


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    # component -> component it needs -> why (sorted reasons)
    needs: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(dict))
