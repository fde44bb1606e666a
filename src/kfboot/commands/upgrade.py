"""``kfboot upgrade``: move the catalog to another Kubeflow release's preset, keeping edits."""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import catalog_option


@click.command()
@click.option(
    "--kubeflow",
    "release",
    required=True,
    metavar="RELEASE",
    help="The kubeflow/manifests release to move to (kfboot init --list).",
)
@click.option(
    "--from",
    "since",
    default=None,
    metavar="RELEASE",
    help="The release the catalog was written from, when it records no 'preset:'.",
)
@click.option("--dry-run", is_flag=True, help="Print the catalog's diff; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="On a conflict keep your side (each is listed) instead of stopping.",
)
@catalog_option
def upgrade(
    release: str,
    since: str | None,
    dry_run: bool,
    force: bool,
    catalog_path: Path,
) -> None:
    """Move the catalog to another Kubeflow release's preset, keeping your edits, then render.

    A three-way merge of the preset the catalog was written from (its 'preset:'), the
    RELEASE preset and the catalog: what only the preset changed follows the new preset, what
    only you changed stays, and a field both changed is a conflict (nothing is written).
    repoURL, targetRevision and clusters are never touched; comments and layout are kept.
    """
    from kfboot import output

    # upgrade writes the catalog: held from reading it to render's last write, as render and
    # set-repo hold it (kfboot.output.locked), so a concurrent set-repo's catalog is neither
    # merged from stale nor written over. render's own entry would take the lock again.
    with output.locked(catalog_path.parent):
        _upgrade(catalog_path, release, since, dry_run, force)


def _upgrade(
    catalog_path: Path, release: str, since: str | None, dry_run: bool, force: bool
) -> None:
    from kfboot import output
    from kfboot.commands.render import _render
    from kfboot.upgrade.core import prepare

    result = prepare(catalog_path, release, since=since, force=force)
    for finding in result.conflicts:
        click.echo(f"warning: {finding}", err=True)
    verb = "would change" if dry_run else "changes"
    click.echo(f"upgrade {catalog_path}: preset {result.since} -> {result.release}")
    for line in result.changed:
        click.echo(f"  {verb} {line}")
    if dry_run:
        click.echo(result.diff(), nl=False)
        click.echo("dry run: nothing written")
        return
    if result.new_text != result.old_text:
        output.write_text(catalog_path, result.new_text)
        click.echo(f"wrote     {catalog_path}")
    _render(catalog_path, None, force=False)
    click.echo(
        f"next: kfboot plan --manifests {catalog_path.parent} (what the upgrade does to the "
        "cluster, object by object), then commit and push, and watch kfboot status"
    )
