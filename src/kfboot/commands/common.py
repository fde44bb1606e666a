"""Options and helpers shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from kfboot.catalog.models import Catalog

catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("waves.yaml"),
    show_default=True,
    help="The catalog to read.",
)
out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where bootstrap/ is (default: the catalog's bootstrapPath, beside the catalog).",
)


def load(catalog_path: Path) -> Catalog:
    from kfboot.catalog.load import load_catalog

    return load_catalog(catalog_path)


def bootstrap_dir(catalog_path: Path, catalog: Catalog, out_dir: Path | None) -> Path:
    """Where ``bootstrap/`` is: ``--out``, else the catalog's ``bootstrapPath`` beside it."""
    return out_dir if out_dir is not None else catalog_path.parent / catalog.bootstrapPath


manifests_option = click.option(
    "--manifests",
    "manifests_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="A checkout of the manifests repository: build every component from it and prove "
    "the waves.",
)
kustomize_option = click.option(
    "--kustomize",
    "kustomize_cmd",
    default=None,
    metavar="CMD",
    help="Build command prefix taking the directory last (default: 'kustomize build' if "
    "present, else 'kubectl kustomize').",
)
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Rebuild everything and refresh the build cache."
)
