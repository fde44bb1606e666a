"""``kfboot check``: the CI gate. Thin: options in, ``kfboot.check.runner`` runs, findings out."""

from __future__ import annotations

from pathlib import Path

import click

from kfboot.commands.common import (
    catalog_option,
    kustomize_option,
    manifests_option,
    no_cache_option,
    out_option,
)
from kfboot.errors import Outcome
from kfboot.findings import FORMATS

# check's reporters and lint's CI ones (kfboot.lint.reporters, imported only when asked for).
CI_FORMATS = ("sarif", "junit")


@click.command()
@catalog_option
@out_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS + CI_FORMATS),
    default=None,
    help="Output format [default: github when GITHUB_ACTIONS=true, else text].",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--list-rules", is_flag=True, help="List every rule with its severity and link.")
@manifests_option
@kustomize_option
@no_cache_option
@click.option(
    "--build-timeout",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="With --manifests: fail a component whose build takes longer than this.",
)
def check(
    catalog_path: Path,
    out_dir: Path | None,
    fmt: str | None,
    strict: bool,
    list_rules: bool,
    manifests_dir: Path | None,
    kustomize_cmd: str | None,
    no_cache: bool,
    build_timeout: float,
) -> Outcome | None:
    """Fail on an invalid catalog, drift in bootstrap/, or Argo CD rule violations.

    With --manifests DIR, also build every component from that checkout and fail when a wave
    needs something (a CRD, a namespace, its labels) that only a later wave provides.

    Exit 0 when clean (warnings alone pass unless --strict), 1 on findings, 2 on usage errors.
    """
    from kfboot.check import runner as checker
    from kfboot.check.rules.registry import rule_docs, rule_list
    from kfboot.findings import Report, reporter

    if list_rules:
        click.echo(rule_list(fmt if fmt in FORMATS else "text"), nl=False)
        return None
    report = checker.run(catalog_path, out_dir)
    summary = None
    if manifests_dir is not None:
        from kfboot.manifests import check_manifests

        found, summary = check_manifests(
            catalog_path, manifests_dir, kustomize_cmd, not no_cache, build_timeout
        )
        report.findings = sorted(report.findings + found)
    extra: dict[str, object] = {
        "diff": report.diff,
        "rules": rule_docs(f.rule for f in report.findings),
    }
    if summary is not None:
        extra["manifests"] = summary.as_json()
    preamble = summary.text() + "\n" if summary is not None else ""
    if fmt in CI_FORMATS:
        from kfboot.lint.reporters import LINT_REPORTERS

        extra["command"] = "check"
        chosen = LINT_REPORTERS[fmt]()
    else:
        chosen = reporter(fmt)
    out = chosen.render(Report(report.findings, report.diff, preamble, extra))
    click.echo(out, nl=False)
    return Outcome(tuple(report.findings), strict)
