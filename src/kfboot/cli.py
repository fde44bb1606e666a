"""The command line: click only. Each command lives in ``kfboot.commands.<name>``.

Heavy modules (pydantic, jinja2) are imported inside the commands, so ``kfboot --help`` stays fast.
Every :class:`~kfboot.errors.KfbootError` is turned into a message and an exit code, and every
:class:`~kfboot.errors.Outcome` a command returns into its exit code, in :class:`KfbootGroup`, the
one place that does so (with :func:`kfboot.errors.exit_code`); click itself exits 2 on usage
errors.
"""

from __future__ import annotations

import click

from kfboot import __version__
from kfboot.commands.check import check
from kfboot.commands.cluster import logs, status, sync, verify, wait
from kfboot.commands.docs import graph, schema
from kfboot.commands.init_and_import import import_, init
from kfboot.commands.lint import lint
from kfboot.commands.plan import plan
from kfboot.commands.render import render
from kfboot.commands.set_repo import set_repo
from kfboot.commands.upgrade import upgrade
from kfboot.commands.waves import waves
from kfboot.errors import EXIT_OK, KfbootError, exit_code


class KfbootGroup(click.Group):
    """A click group that turns the core's errors and the commands' outcomes into a message and
    an exit code: the one place."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            result = super().invoke(ctx)
        except KfbootError as exc:
            click.echo(exc.message, err=True)
            ctx.exit(exit_code(exc))
        if exit_code(result) != EXIT_OK:
            ctx.exit(exit_code(result))
        return result


@click.group(cls=KfbootGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kfboot")
def cli() -> None:
    """Render and check the Argo CD bootstrap of Kubeflow from one catalog, waves.yaml."""


cli.add_command(render)
cli.add_command(check)
cli.add_command(lint)
cli.add_command(plan)
cli.add_command(set_repo)
cli.add_command(schema)
cli.add_command(graph)
for _command in (status, wait, sync, logs, verify):
    cli.add_command(_command)
cli.add_command(waves)
cli.add_command(init)
cli.add_command(import_)
cli.add_command(upgrade)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kfboot")
