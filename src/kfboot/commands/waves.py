"""``kfboot waves``: the catalog's waves, and with ``--suggest --manifests DIR`` the lowest waves
that the dependencies derived from the real manifests (and the declared ones) allow."""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import (
    catalog_option,
    kustomize_option,
    load,
    manifests_option,
    no_cache_option,
)
from kfboot.errors import UsageError


@click.command()
@catalog_option
@click.option("--suggest", is_flag=True, help="Suggest the lowest wave for each component.")
@manifests_option
@kustomize_option
@no_cache_option
def waves(
    catalog_path: Path,
    suggest: bool,
    manifests_dir: Path | None,
    kustomize_cmd: str | None,
    no_cache: bool,
) -> None:
    """Show the waves; with --suggest, the lowest wave each component could be in."""
    catalog = load(catalog_path)
    if not suggest:
        from kfboot.render.summary import wave_summary

        click.echo(wave_summary(catalog))
        return
    if manifests_dir is None:
        raise UsageError("--suggest needs --manifests DIR")
    from kfboot.manifests import manifest_findings
    from kfboot.manifests.suggest import table

    findings, summary = manifest_findings(
        catalog, catalog_path, manifests_dir, kustomize_cmd, use_cache=not no_cache
    )
    enabled = catalog.enabled_components()
    click.echo(
        table(
            {c.name: c.wave for c in enabled},
            {c.name: set(c.dependsOn) for c in enabled},
            summary.needs,
            [w.wave for w in catalog.waves],
            [c.name for c in summary.components if c.status != "built"],
        ),
        nl=False,
    )
    errors = sum(1 for f in findings if f.severity == "error")
    if errors:
        click.echo(f"{errors} error(s) in the manifests: see 'kfboot check --manifests'")
