"""``kfboot lint``: kfboot's Argo CD rules on any repository. Thin: ``kfboot.lint.run`` runs."""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import kustomize_option
from kfboot.errors import Outcome

# The names, without importing the reporters (which read the registry) for --help.
FORMATS = ("text", "json", "github", "sarif", "junit")


@click.command()
@click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]..."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format [default: github when GITHUB_ACTIONS=true, else text].",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--ignore",
    "ignored",
    multiple=True,
    metavar="RULE",
    help="Switch a rule off (repeatable).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    metavar="FILE",
    help="Accept the findings recorded in FILE (by --write-baseline); report only new ones.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Record every finding in FILE as accepted, and exit 0.",
)
@click.option(
    "--manifests",
    "manifests",
    is_flag=True,
    help="Also build what each Application deploys from this repository (kustomize, or the "
    "plain YAML) and judge the objects.",
)
@click.option(
    "--kube-version",
    default=None,
    metavar="X.Y",
    callback=lambda ctx, param, value: _kube_version(value),
    help="With --manifests: the target Kubernetes; objects of APIs it no longer serves fail.",
)
@kustomize_option
def lint(
    paths: tuple[Path, ...],
    fmt: str | None,
    strict: bool,
    ignored: tuple[str, ...],
    baseline: Path | None,
    write_baseline: Path | None,
    manifests: bool,
    kube_version: tuple[int, int] | None,
    kustomize_cmd: str | None,
) -> Outcome | None:
    """Lint the Argo CD Applications, ApplicationSets and AppProjects under PATH (default .).

    Reads the tree as Argo CD would (kustomizations followed, Helm chart templates skipped,
    other YAML ignored); no waves.yaml needed. Exit 0 when clean (warnings alone pass unless
    --strict), 1 on findings, 2 on usage errors.
    """
    from kfboot import output
    from kfboot.check.rules.registry import BY_ID, rule_docs
    from kfboot.findings import Report, reporter
    from kfboot.lint import baseline as baselines
    from kfboot.lint.reporters import LINT_REPORTERS
    from kfboot.lint.run import Manifests
    from kfboot.lint.run import lint as run_lint

    unknown = [rule for rule in ignored if rule not in BY_ID]
    if unknown:
        raise click.BadParameter(f"unknown rule {unknown[0]!r}", param_hint="--ignore")
    if kube_version is not None and not manifests:
        raise click.UsageError("--kube-version needs --manifests")
    built = Manifests(kustomize_cmd, kube_version) if manifests else None
    found, files = run_lint(list(paths), ignored, built)
    if write_baseline is not None:
        output.atomic_write(write_baseline, baselines.dumps(found, write_baseline))
        click.echo(f"{write_baseline}: recorded {len(found)} finding(s) as accepted")
        return None
    accepted = 0
    if baseline is not None:
        fresh = baselines.new_findings(found, baselines.load(baseline), baseline)
        accepted, found = len(found) - len(fresh), fresh
    findings = [item.finding for item in found]
    extra: dict[str, object] = {
        "rules": rule_docs(f.rule for f in findings),
        "files": sorted(str(f) for f in _shown(files)),
        "accepted": accepted,
    }
    preamble = f"{accepted} finding(s) accepted by the baseline\n" if accepted else ""
    name = fmt or ("github" if reporter(None).name == "github" else "text")
    out = LINT_REPORTERS[name]().render(Report(findings, "", preamble, extra))
    click.echo(out, nl=False)
    return Outcome(tuple(findings), strict)


def _kube_version(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    major, _, minor = value.removeprefix("v").partition(".")
    if not (major.isdigit() and minor.isdigit()):
        raise click.BadParameter(f"{value!r} is not a version such as 1.33")
    return int(major), int(minor)


def _shown(files: list[Path]) -> list[str]:
    from kfboot.findings import shown_path

    return [shown_path(f) for f in files]
