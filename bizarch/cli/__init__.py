"""The ``bizarch`` command line.

One module per area (``core``, ``validate``, ``queries``, ...) each defines its commands and a
``register(group)`` function; this module wires them together and is the ONE place where a
:class:`bizarch.errors.BizarchError` becomes a single line on stderr and exit code 1.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from bizarch import __version__
from bizarch.config import Settings
from bizarch.errors import BizarchError


class BizarchGroup(click.Group):
    """A click group that turns user errors into one clear line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BizarchError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=BizarchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bizarch")
@click.option(
    "--store",
    metavar="ADDRESS",
    default=None,
    help="Store: a folder (default ./.bizarch/store, env BIZARCH_STORE), 'memory:', "
    "'serve:FOLDER', or a SPARQL endpoint http(s)://HOST:PORT/query (a running "
    "'bizarch serve': http://HOST:PORT/sparql, read-only).",
)
@click.option(
    "--update-endpoint", metavar="URL", default=None, help="Remote store: SPARQL update endpoint."
)
@click.option(
    "--gsp-endpoint", metavar="URL", default=None, help="Remote store: Graph Store endpoint."
)
@click.pass_context
def main(
    ctx: click.Context, store: str | None, update_endpoint: str | None, gsp_endpoint: str | None
) -> None:
    """bizarch: a knowledge-graph repository for business architecture.

    Trace strategy to value streams, capabilities, processes and applications; analyse impact;
    validate models against modelling standards; measure value streams.
    """
    ctx.obj = Settings.from_env(
        store=store, update_endpoint=update_endpoint, gsp_endpoint=gsp_endpoint
    )


def _register_areas() -> None:
    from bizarch.cli import core, interop, metrics, queries, reason, validate, web

    for area in (core, queries, validate, reason, interop, metrics, web):
        area.register(main)


_register_areas()
