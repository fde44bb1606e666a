"""``kfboot set-repo``: point the catalog (and so every Application) at another git repository."""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import catalog_option


@click.command("set-repo")
@click.argument("url", required=False)
@click.option(
    "--revision", metavar="REV", default=None, help="Branch, tag or commit to point at as well."
)
@click.option("--no-render", is_flag=True, help="Edit the catalog only; leave bootstrap/ as is.")
@click.option("--dry-run", is_flag=True, help="Print the diff; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite files without kfboot's header where rendered files go.",
)
@catalog_option
def set_repo(
    url: str | None,
    revision: str | None,
    no_render: bool,
    dry_run: bool,
    force: bool,
    catalog_path: Path,
) -> None:
    """Retarget the git repository URL (and --revision) in the catalog, then re-render.

    Only the catalog's repoURL and targetRevision change, in place: comments, quoting and layout
    of the catalog stay as they are. Helm chart sources and components that name another
    repository are left alone. Without URL or --revision, print the current repository.

    \b
    Accepted URLs: https://host/org/repo(.git), ssh://git@host/org/repo.git,
    git@host:org/repo.git.
    """
    from kfboot import output
    from kfboot import set_repo as setrepo

    if url is None and revision is None:
        for line in setrepo.current(catalog_path):
            click.echo(line)
        return
    # Held from reading the catalog to the last write, as render holds it (kfboot.output.locked).
    with output.locked(catalog_path.parent):
        result = setrepo.prepare(catalog_path, url, revision, render_too=not no_render, force=force)
        if dry_run:
            click.echo(setrepo.diff(result), nl=False)
        else:
            setrepo.write(result)
    # A re-render keeps the generated files beside the catalog too, as 'kfboot render' does:
    # prepare read them, and write writes them with everything else, all or nothing.
    beside = [item.path for item in result.plan.stale_beside] if result.plan else []
    for line in setrepo.summary(result, url, revision, dry_run=dry_run):
        click.echo(line)
    if result.changed and not dry_run and result.plan is not None:
        # The root in the cluster was applied by hand and keeps reading the old repository.
        from kfboot.cluster.rootapp import fix_command

        click.echo(
            "then commit and push bootstrap/, and point the cluster's app of apps at it: "
            f"{fix_command(result.new, catalog_path)}"
        )
    if not dry_run:
        for path in beside:
            click.echo(f"wrote     {path}")
    if dry_run and result.changed:
        click.echo("dry run: nothing written")
