"""Every file of ``bootstrap/`` for any catalog: one cluster, or a fleet in either layout.

The one entry point the commands use. A catalog without ``clusters:`` renders through
:mod:`kfboot.render.bootstrap` exactly as before; a fleet through :mod:`kfboot.render.fleet`
(``layout: app-of-apps``) or :mod:`kfboot.render.appset` (``layout: applicationset``), both of
which build on the one-cluster views. The Makefile covers the whole fleet.
"""

from __future__ import annotations

from kfboot.catalog.models import Catalog
from kfboot.layout import header
from kfboot.render import bootstrap
from kfboot.render.makefile import render_makefile


def render(catalog: Catalog, source: str = "waves.yaml") -> dict[str, str]:
    """Every file of ``bootstrap/`` for ``catalog``, keyed by path relative to ``bootstrap/``."""
    if catalog.clusters is None:
        return bootstrap.render(catalog, source)
    # Imported here: a one-cluster render never loads the fleet renderers.
    from kfboot.render.appset import render_appsets
    from kfboot.render.fleet import render_fleet

    if catalog.layout == "applicationset":
        files = render_appsets(catalog, source)
    else:
        files = render_fleet(catalog, source)
    files["Makefile"] = render_makefile(catalog, header(source, "the Makefile"), source)
    return bootstrap.gated(files)
