"""``kfboot plan``: what Argo CD will do when the working tree's catalog lands. Thin: options in,
``kfboot.plan`` compares, the plan out."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kfboot.commands.common import catalog_option, kustomize_option, load, no_cache_option
from kfboot.errors import Outcome


@click.command()
@catalog_option
@click.option(
    "--base",
    "base_ref",
    default="HEAD",
    show_default=True,
    metavar="REF",
    help="The revision to compare with, read through git (in CI: the merge base, origin/main).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default=None,
    help="Output format [default: github when GITHUB_ACTIONS=true, else text].",
)
@click.option(
    "--allow-destructive", is_flag=True, help="Exit 0 even when the change is destructive."
)
@click.option(
    "--manifests",
    "manifests_dir",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[DIR]",
    help="Also build both revisions from this manifests checkout (default: the repository "
    "holding the catalog) and report object-level hazards.",
)
@kustomize_option
@no_cache_option
@click.option("-v", "--verbose", is_flag=True, help="Name every object, not only counts.")
def plan(
    catalog_path: Path,
    base_ref: str,
    fmt: str | None,
    allow_destructive: bool,
    manifests_dir: str | None,
    kustomize_cmd: str | None,
    no_cache: bool,
    verbose: bool,
) -> Outcome:
    """Show what Argo CD will do when the catalog change lands, per root (per cluster).

    Compares what the working tree's catalog renders with what the catalog at REF rendered:
    Applications created, deleted (cascading when they carry Argo CD's resources finalizer),
    renamed and changed, roots and ApplicationSets to apply by hand (with the kubectl command),
    an Argo CD upgrade and extra resources. REF is read through git; nothing is checked out
    over your tree.

    With --manifests, both revisions are built (the base from a git archive of REF in a
    temporary directory) and compared object by object: objects pruned, CustomResourceDefinitions
    removed, objects moving between Applications or namespaces, immutable fields changed.

    Exit 0 when nothing is destructive, 1 when something is (unless --allow-destructive),
    2 on a usage error.
    """
    from kfboot.findings import Finding, shown_path
    from kfboot.plan.base import base_catalog
    from kfboot.plan.diff import plan_items
    from kfboot.plan.report import render_plan
    from kfboot.plan.state import state_of
    from kfboot.render.tree import render

    head = load(catalog_path)
    base = base_catalog(catalog_path, base_ref)
    files = render(head, source=catalog_path.name)
    base_state, head_state = state_of(base), state_of(head, files)
    items = plan_items(base_state, head_state)
    shown = shown_path(catalog_path)
    header = f"kfboot plan: {shown} at {base_ref} -> the working tree"
    if manifests_dir is not None:
        from kfboot.plan.objects import manifest_items

        found, built = manifest_items(
            base_state, head_state, base_ref, catalog_path, manifests_dir, kustomize_cmd, no_cache
        )
        items = sorted(items + found)
        header += f"\nobjects: {built}"
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    objects = manifests_dir is not None
    click.echo(render_plan(fmt, items, header, base_ref, shown, verbose, objects), nl=False)
    blocking = [] if allow_destructive else [i for i in items if i.destructive]
    return Outcome(tuple(Finding(shown, 0, 0, "error", i.kind, i.message) for i in blocking))
