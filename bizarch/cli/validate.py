"""``bizarch validate``: check a scenario against the modelling rules (issue: validation).

Thin by design: parses options, calls :func:`bizarch.validation.service.run_validation`, renders.
Exit status 1 when the model has violations (or warnings, with ``--strict``), so CI can gate on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bizarch.cli.common import SCENARIO_HELP, open_repository
from bizarch.store.base import GraphStore, RdfSource
from bizarch.validation.report import Severity

if TYPE_CHECKING:
    from bizarch.validation.remote import RemoteReport

FORMATS = ("text", "json", "junit", "turtle")


def failed(counts: dict[Severity, int], strict: bool) -> bool:
    """Whether a run fails the command: violations always, warnings only when strict."""
    return bool(counts.get(Severity.VIOLATION) or (strict and counts.get(Severity.WARNING)))


@click.command()
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@click.option(
    "-r",
    "--rules",
    metavar="AREA|ID,...",
    default=None,
    help="Rules to check: areas (value-stream, capability, ...), id prefixes (VS) or ids "
    "(VS-003), comma-separated [default: all].",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit status 1).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to FILE (a summary line goes to stderr).",
)
@click.option(
    "--engine",
    default="auto",
    show_default=True,
    help="Validation engine: auto, pyshacl (the reference) or sparql (fast, on the store).",
)
def validate(
    scenario: str | None,
    rules: str | None,
    fmt: str,
    strict: bool,
    output: Path | None,
    engine: str,
) -> None:
    """Check a scenario against the modelling rules and explain every finding.

    Exit status: 0 when the model conforms, 1 when it has violations (with --strict: or
    warnings). The rules and their sources are listed in shapes/README.md. With --store
    http://HOST:PORT/sparql of a running 'bizarch serve', the server validates its store.
    """
    from bizarch.validation.render import counted, render
    from bizarch.validation.service import run_validation

    with open_repository(create=False) as repo:
        chosen = scenario or repo.settings.scenario
        served = _served_report(repo.store, chosen, rules, fmt, strict, engine)
        if served is not None:
            text, counts, name = served.text, served.counts, served.scenario
            click.echo(f"bizarch: validated by the server at {served.server}.", err=True)
        else:
            run = run_validation(repo.store, chosen, rules, engine)
            text, counts = render(run, fmt, strict=strict), run.report.counts()
            name = run.report.scenario
    if output is not None:
        output.write_text(text, encoding="utf-8")
        summary = ", ".join(counted(counts[s], s) for s in Severity)
        click.echo(f"Validation of '{name}': {summary}; report in {output}.", err=True)
    else:
        click.echo(text, nl=False)
    if failed(counts, strict):
        raise SystemExit(1)


def _served_report(
    store: GraphStore, scenario: str, rules: str | None, fmt: str, strict: bool, engine: str
) -> RemoteReport | None:
    """The report of the ``bizarch serve`` behind a ``--store http://.../sparql`` address (it
    validates its in-memory model); ``None`` for any other store, which is validated here."""
    from bizarch.store.sparql_store import SparqlStore
    from bizarch.validation.remote import validate_remotely

    if not isinstance(store, SparqlStore):
        return None
    return validate_remotely(store, scenario, rules, fmt, strict=strict, engine=engine)


def register(group: click.Group) -> None:
    """Attach this area's commands to the top-level group."""
    group.add_command(validate)


def gated_load(
    store: GraphStore, sources: list[RdfSource], graph: str, keep_graphs: bool
) -> tuple[int, str]:
    """``bizarch load --validate``: the gate, showing the new violations when it refuses.

    Returns the number of triples written and a note for the summary line.
    """
    from bizarch.validation.gate import LoadRefusedError, gate_load
    from bizarch.validation.render import render_text

    try:
        result = gate_load(store, sources, graph, keep_named_graphs=keep_graphs)
    except LoadRefusedError as refused:
        click.echo("New violations the load would add:\n", err=True)
        click.echo(render_text(refused.result.refusal()), err=True, nl=False)
        raise
    warnings = result.report.counts()[Severity.WARNING]
    return result.quads, f" Validated: no new violations ({warnings} warnings in the model)."
