"""``kfboot init`` and ``kfboot import``: the two ways onto a catalog.

``init`` starts from a preset (one per kubeflow/manifests layout) and renders it; ``import`` turns
a directory of hand-written Argo CD Applications into a catalog and reports, as ``check``
findings, every defect it saw and everything it could not carry over.
"""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import kustomize_option, no_cache_option
from kfboot.commands.render import render
from kfboot.errors import KfbootError
from kfboot.findings import FORMATS


def _list_presets(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from kfboot.catalog import presets

    click.echo(presets.listing())
    ctx.exit(0)


def _refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise KfbootError(f"{path}: already exists; pass --force to overwrite it")


def _write(path: Path, text: str) -> None:
    from kfboot import output

    output.write_text(path, text)


def _origin_repo(directory: Path) -> str:
    """The git remote ``origin`` of ``directory``, the fallback for ``--repo``; refuse without."""
    from kfboot.catalog import gitrefs
    from kfboot.catalog.gitremote import origin_url
    from kfboot.errors import UsageError

    url = origin_url(directory)
    if url is None:
        raise UsageError(
            f"init: no repository for repoURL: pass --repo URL (your fork of kubeflow/manifests), "
            f"or run init in a git checkout whose remote 'origin' is that fork ({directory} has "
            "none); kfboot has no default repository"
        )
    problem = gitrefs.repo_url_problem(url)
    if problem is not None:
        raise UsageError(
            f"init: the git remote 'origin' of {directory} cannot be repoURL: "
            f"{problem}; pass --repo URL"
        )
    return url


@click.command()
@click.argument(
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    required=False,
)
@click.option(
    "--kubeflow",
    "release",
    default=None,
    metavar="RELEASE",
    help="The kubeflow/manifests release whose layout to use (see --list; default: the newest).",
)
@click.option(
    "--repo",
    default=None,
    metavar="URL",
    help="Your fork's git URL (repoURL; default: the git remote 'origin' of DIRECTORY).",
)
@click.option("--revision", default=None, metavar="REV", help="Its branch, tag or commit.")
@click.option("--force", is_flag=True, help="Overwrite an existing waves.yaml.")
@click.option(
    "--list",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_list_presets,
    help="List the presets and exit.",
)
@click.pass_context
def init(
    ctx: click.Context,
    directory: Path,
    release: str | None,
    repo: str | None,
    revision: str | None,
    force: bool,
) -> None:
    """Write a commented waves.yaml for a Kubeflow release into DIRECTORY (default: the current
    directory), then render bootstrap/ beside it."""
    from kfboot.catalog import presets
    from kfboot.catalog.load import parse_catalog
    from kfboot.render.tree import render as render_files

    presets.resolve(release or presets.DEFAULT)  # an unknown release is said first
    target = directory / "waves.yaml"
    _refuse_overwrite(target, force)
    repo = repo if repo is not None else _origin_repo(directory)
    preset, text = presets.catalog_text(release or presets.DEFAULT, repo, revision)
    # Validate and render in memory first: nothing is written unless all of it would work.
    render_files(parse_catalog(text, file=str(target)), source=target.name)
    _write(target, text)
    click.echo(f"wrote     {target} (preset {preset.id}, repoURL {repo})")
    ctx.invoke(render, catalog_path=target, out_dir=None)


@click.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--output",
    "-o",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("waves.yaml"),
    show_default=True,
    help="Where to write the catalog.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing catalog.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="How findings print (default: github when GITHUB_ACTIONS=true, else text).",
)
@click.option(
    "--manifests",
    "manifests_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="A checkout of the manifests repository: add the dependencies its objects show "
    "(as 'waves --suggest' derives them) to dependsOn.",
)
@kustomize_option
@no_cache_option
def import_(
    path: Path,
    output_path: Path,
    force: bool,
    fmt: str | None,
    manifests_dir: Path | None,
    kustomize_cmd: str | None,
    no_cache: bool,
) -> None:
    """Turn the Argo CD Applications under PATH into a catalog.

    Findings report what could not be carried over and every defect seen (as kfboot check
    does). Exit 0 when the catalog was written, 1 when nothing was written.
    """
    from kfboot.findings import Report, reporter
    from kfboot.importing import importer
    from kfboot.importing.refused import refused

    _refuse_overwrite(output_path, force)
    try:
        result = importer.import_path(path, source=str(path))
    except importer.NothingImported as exc:
        # The message (stderr) lists the reasons; a machine format gets them on stdout too.
        if reporter(fmt).name != "text":
            click.echo(reporter(fmt).render(Report(exc.findings)), nl=False)
        raise
    except KfbootError as exc:
        # Any other refusal (no Application, invalid YAML, placeholders): a machine format
        # still gets a report on stdout, never nothing.
        if reporter(fmt).name != "text":
            click.echo(reporter(fmt).render(Report(refused(exc.message, str(path)))), nl=False)
        raise
    if manifests_dir is not None:
        from kfboot.importing.derived import derived_needs

        needs = derived_needs(result.text, manifests_dir, kustomize_cmd, not no_cache)
        result = importer.import_path(path, source=str(path), derived=needs)
    _write(output_path, result.text)
    written = Report(result.findings, extra={"written": str(output_path)})
    click.echo(reporter(fmt).render(written), nl=False)
    click.echo(
        f"wrote {output_path}: {result.components} component(s) from "
        f"{result.applications} Application(s); run 'kfboot render' next",
        err=True,
    )
    from kfboot.importing.cutover import steps

    click.echo("\n".join(steps(path, str(path), output_path, result.text)), err=True)
