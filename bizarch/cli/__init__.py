"""The ``bizarch`` command line.

One module per area (``core``, ``validate``, ``queries``, ...) each defines its commands and a
``register(group)`` function; this module wires them together and is the ONE place where a
:class:`bizarch.errors.BizarchError` becomes a single line on stderr and exit code 1.

Areas are imported when one of their commands runs, not at start: importing all of them (the
spreadsheet, ArchiMate, web and reasoning stacks) cost about 0.4 s of every command, a fifth of a
full validation of a 100k-triple model.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from bizarch import __version__
from bizarch.config import Settings
from bizarch.errors import BizarchError

AREAS = ("core", "queries", "validate", "reason", "interop", "metrics", "web")
"""The area modules, in the order they register (``interop`` extends ``core``'s export)."""

COMMAND_AREAS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("demo", "generate", "graphs", "init", "load", "sparql"), ("core",)),
    "export": ("core", "interop"),
    **dict.fromkeys(("gaps", "impact", "queries", "query", "trace"), ("queries",)),
    "validate": ("validate",),
    "reason": ("reason",),
    "import": ("core", "interop"),
    **dict.fromkeys(("kpi", "metrics", "scenario"), ("metrics",)),
    "serve": ("web",),
}
"""Each top-level command and the areas that define it (a test checks this against them)."""

_loaded: set[str] = set()


def load_areas(areas: tuple[str, ...] = AREAS) -> None:
    """Register the given areas' commands on :data:`main` (each once, in :data:`AREAS` order)."""
    for area in AREAS:
        if area in areas and area not in _loaded:
            importlib.import_module(f"bizarch.cli.{area}").register(main)
            _loaded.add(area)


class BizarchGroup(click.Group):
    """A click group that turns user errors into one clear line, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_AREAS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        areas = COMMAND_AREAS.get(cmd_name)
        if areas is None and cmd_name not in self.commands:
            load_areas()  # an unknown name: load everything so click can suggest a close one
        elif areas:
            load_areas(areas)
        return super().get_command(ctx, cmd_name)

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
