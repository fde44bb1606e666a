"""``kfboot render``: regenerate bootstrap/ from the catalog."""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import bootstrap_dir, catalog_option, load, out_option


@click.command()
@catalog_option
@out_option
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite files without kfboot's header where rendered files go.",
)
def render(catalog_path: Path, out_dir: Path | None, force: bool) -> None:
    """Regenerate bootstrap/ from the catalog.

    Everything is rendered in memory first, so an invalid catalog writes nothing; then each
    changed file is written atomically, and generated files the catalog no longer produces are
    removed. Files without kfboot's header are never removed, and where a rendered file goes
    render stops unless --force. Nothing is read or written through a symlink. Beside the
    catalog it also keeps waves.schema.json up to date, and the generated sections of README.md
    and docs/*.md where they have kfboot's markers.

    The catalog rules of ``kfboot check`` run first: on an error finding render prints the
    findings, writes nothing and exits 1; warnings are printed and do not block.
    """
    from kfboot import output

    # Held from reading the catalog to the last write: a concurrent set-repo (or render) takes
    # turns with this one as a whole, so neither writes files planned from an older catalog.
    with output.locked(catalog_path.parent):
        _render(catalog_path, out_dir, force)


def _render(catalog_path: Path, out_dir: Path | None, force: bool) -> None:
    from kfboot import output
    from kfboot.check.runner import catalog_findings
    from kfboot.errors import KfbootError
    from kfboot.plan.renames import renamed_applications
    from kfboot.render.sidecars import sidecars
    from kfboot.render.summary import wave_summary
    from kfboot.render.tree import render as render_files

    catalog = load(catalog_path)
    files = render_files(catalog, source=catalog_path.name)
    findings = catalog_findings(catalog, catalog_path, files)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise KfbootError(
            "\n".join(f.text() for f in findings)
            + f"\nrender: {len(errors)} error(s) in the catalog; nothing written"
        )
    for finding in findings:
        click.echo(finding.text(), err=True)
    beside = sidecars(catalog_path, catalog)  # waves.schema.json, generated doc sections
    root = bootstrap_dir(catalog_path, catalog, out_dir)
    plan = output.plan(root, files, beside, base=catalog_path.parent, force=force)
    changed = [item.path for item in plan.stale_beside]
    for rename in renamed_applications(plan.current, files):
        click.echo(
            f"warning: renames Application {rename}: Argo CD deletes the old one (with every "
            "object it manages, when it has the resources finalizer) and creates the new one; "
            "run 'kfboot plan' first (docs/fleet.md, 'Moving a live install')",
            err=True,
        )
    output.apply(plan)
    click.echo(wave_summary(catalog))
    for rel in plan.write:
        click.echo(f"wrote     {root / rel}")
    for rel in plan.replaced:
        click.echo(f"replaced  {root / rel} (it had no kfboot header; --force)")
    for path in changed:
        click.echo(f"wrote     {path}")
    for rel in plan.remove:
        click.echo(f"removed   {root / rel}")
    written = len(plan.write) + len(changed)
    unchanged = len(plan.unchanged) + len(beside) - len(changed)
    click.echo(
        f"{written} written, {unchanged} unchanged, {len(plan.remove)} removed "
        f"in {root}, {', '.join(str(item.path) for item in beside)}"
    )
