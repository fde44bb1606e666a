"""``kfboot check``: the CI gate (catalog validity and drift; rules arrive with the check issue)."""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import bootstrap_dir, catalog_option, load, out_option
from kfboot.errors import KfbootError


@click.command()
@catalog_option
@out_option
def check(catalog_path: Path, out_dir: Path | None) -> None:
    """Fail on an invalid catalog or on drift between the catalog and bootstrap/."""
    from kfboot import output
    from kfboot.render import render as render_files

    catalog = load(catalog_path)
    files = render_files(catalog, source=catalog_path.name)
    root = bootstrap_dir(catalog_path, catalog, out_dir)
    plan = output.plan(root, files)
    if not plan.clean:
        click.echo(plan.diff(), nl=False)
        raise KfbootError(
            f"{root}: {len(plan.write)} file(s) differ from the catalog and "
            f"{len(plan.remove)} are stale; run 'kfboot render'"
        )
    click.echo(f"ok: {catalog_path} is valid and {root} is up to date ({len(files)} files)")
