"""``kfboot schema`` and ``kfboot graph``: the catalog's JSON Schema and its wave graph."""

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

GRAPH_FORMATS = ("mermaid", "dot", "text")  # kfboot.docs.graph.FORMATS, without importing pydantic


@click.command()
@click.option(
    "--output",
    "-o",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to FILE (atomically) instead of printing it.",
)
def schema(output_path: Path | None) -> None:
    """Print the JSON Schema of waves.yaml, generated from kfboot's models.

    'kfboot render' keeps waves.schema.json beside the catalog up to date; editors with the YAML
    language server use it through the catalog's first line,
    '# yaml-language-server: $schema=./waves.schema.json'.
    """
    from kfboot.docs.schema import schema_text
    from kfboot.output import write_text

    text = schema_text()
    if output_path is None:
        click.echo(text, nl=False)
        return
    write_text(output_path, text)
    click.echo(f"wrote     {output_path}")


@click.command()
@catalog_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(GRAPH_FORMATS),
    default="mermaid",
    show_default=True,
    help="mermaid (renders on GitHub), dot (Graphviz) or text (terminals).",
)
@click.option(
    "--all",
    "include_disabled",
    is_flag=True,
    help="Include disabled components, greyed out.",
)
@click.option(
    "--cluster",
    default=None,
    metavar="NAME",
    help="The waves of this cluster of the catalog's clusters: (its overrides applied).",
)
@manifests_option
@kustomize_option
@no_cache_option
def graph(
    catalog_path: Path,
    fmt: str,
    include_disabled: bool,
    cluster: str | None,
    manifests_dir: Path | None,
    kustomize_cmd: str | None,
    no_cache: bool,
) -> None:
    """Print the wave graph: waves as groups, an arrow from each dependency to its dependents.

    Disabled components are left out unless --all is given. With --manifests DIR, the
    dependencies found by building the components (as 'check --manifests' does) that dependsOn
    does not declare are drawn too, dotted. Render DOT with
    'kfboot graph --format dot | dot -Tsvg > waves.svg'.
    """
    from kfboot.docs.graph import graph as wave_graph

    catalog = load(catalog_path)
    if cluster is not None:
        from kfboot.catalog.fleet import cluster_catalog, find_cluster

        # Component names as in the catalog: the graph is about components, not Applications.
        catalog = cluster_catalog(catalog, find_cluster(catalog, cluster))
    elif catalog.clusters is not None:
        catalog = catalog.model_copy(update={"clusters": None})  # the catalog as written
    derived: list[tuple[str, str]] = []
    if manifests_dir is not None:
        from kfboot.manifests import manifest_findings

        _, summary = manifest_findings(
            catalog, catalog_path, manifests_dir, kustomize_cmd, use_cache=not no_cache
        )
        derived = sorted((dep, comp) for comp, deps in summary.needs.items() for dep in deps)
    text = wave_graph(catalog, fmt, include_disabled=include_disabled, derived=derived)
    click.echo(text, nl=False)
