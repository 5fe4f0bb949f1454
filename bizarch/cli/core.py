"""Core commands: init, load, export, graphs, sparql, demo, generate.

Thin by design: each command parses its input, calls one service, renders the result.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import IO

import click

from bizarch.cli.common import SCENARIO_HELP, DelayedProgress, get_settings, open_repository
from bizarch.errors import QueryError, UserInputError
from bizarch.loading import collect_sources
from bizarch.namespaces import ONTOLOGY_GRAPH, sparql_prologue
from bizarch.repository import ALL, short_name
from bizarch.results import FORMATS, render, table
from bizarch.store.base import RdfFormat

FORMAT_KEYS = [f.key for f in RdfFormat]


def _format(key: str | None) -> RdfFormat | None:
    return RdfFormat.from_name(key) if key else None


@click.command()
def init() -> None:
    """Create the store (if needed) and load or upgrade the ontology in it."""
    with open_repository() as repo:
        changed = repo.ensure_ontology()
        state = "loaded" if changed else "already up to date"
        click.echo(f"Store {repo.store.address} ready; ontology {state}.")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_KEYS),
    default=None,
    help="Syntax of every input (needed for stdin '-'); default: from each file's extension.",
)
@click.option(
    "--keep-graphs",
    is_flag=True,
    help="TriG/N-Quads/JSON-LD: keep their named graphs (e.g. both scenarios of a generated "
    "model); only default-graph triples go to --scenario.",
)
@click.option(
    "--validate",
    "gate",
    is_flag=True,
    help="Write only if the loaded model adds no rule violation (see 'bizarch validate'); "
    "otherwise write nothing and list the new violations.",
)
def load(
    paths: tuple[str, ...], scenario: str | None, fmt: str | None, keep_graphs: bool, gate: bool
) -> None:
    """Load RDF files, folders (recursively) or '-' (stdin) into ONE scenario, atomically.

    Formats: Turtle (.ttl), TriG (.trig), N-Triples (.nt), N-Quads (.nq), JSON-LD (.jsonld,
    .json), RDF/XML (.rdf, .owl, .xml). A syntax error anywhere loads nothing and names the file,
    line and column.
    """
    settings = get_settings()
    stdin = sys.stdin.buffer if "-" in paths else None
    sources = collect_sources(
        list(paths), _format(fmt), stdin=stdin, max_bytes=settings.limits.max_upload_bytes
    )
    total = sum(s.size for s in sources)
    with open_repository() as repo:
        repo.ensure_ontology()
        graph = repo.scenario_graph(scenario, must_exist=False)
        if gate:
            from bizarch.cli.validate import gated_load

            added, note = gated_load(repo.store, sources, graph, keep_graphs)
        else:
            with DelayedProgress(total, "Loading") as progress:
                added = repo.store.load(sources, graph, progress, keep_named_graphs=keep_graphs)
            note = ""
    files = f"{len(sources)} document{'s' if len(sources) != 1 else ''}"
    where = "their own graphs" if keep_graphs else f"scenario '{short_name(graph)}'"
    click.echo(f"Loaded {added} triples from {files} into {where}.{note}")


@click.command()
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@click.option("--all", "everything", is_flag=True, help="Export every graph (a dataset).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_KEYS),
    default=None,
    help="Output syntax [default: turtle; trig with --all].",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export(scenario: str | None, everything: bool, fmt: str | None, output: Path | None) -> None:
    """Export one scenario (default: current) or the whole dataset, sorted and prefixed."""
    if everything and scenario:
        raise UserInputError("Give either --scenario or --all, not both.")
    chosen = _format(fmt) or (RdfFormat.TRIG if everything else RdfFormat.TURTLE)
    with open_repository(create=False) as repo:
        target = ALL if everything else scenario
        if output is None:
            repo.export(sys.stdout.buffer, chosen, target)
            return
        partial = output.with_name(output.name + ".part")
        try:
            with partial.open("wb") as out:
                repo.export(out, chosen, target)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    click.echo(f"Wrote {output}.", err=True)


@click.command()
def graphs() -> None:
    """List the graphs in the store (ontology and scenarios) with their triple counts."""
    with open_repository(create=False) as repo:
        rows = [
            [
                "ontology" if g.name == ONTOLOGY_GRAPH else "scenario",
                short_name(g.name),
                g.name,
                str(g.triples),
            ]
            for g in repo.store.graphs()
        ]
        address = repo.store.address
    if not rows:
        click.echo(f"The store {address} holds no graphs yet (try 'bizarch demo').")
        return
    click.echo(table(["kind", "name", "graph", "triples"], rows))


def _read_query(query: str | None, file: IO[bytes] | None) -> str:
    if query and file:
        raise UserInputError("Give the query as an argument or with --file, not both.")
    if file is not None:
        raw = file.read()
    elif query is None or query == "-":
        if sys.stdin.isatty() and query is None:
            raise UserInputError("No query given.", hint="Pass it as an argument, --file or stdin.")
        raw = sys.stdin.buffer.read()
    else:
        return query
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserInputError(f"The query is not valid UTF-8 (byte {exc.start}).") from None


@click.command()
@click.argument("query", required=False)
@click.option("-f", "--file", type=click.File("rb"), default=None, help="Read the query from FILE.")
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@click.option("--all", "everything", is_flag=True, help="Query the union of every graph.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="SELECT/ASK output; CONSTRUCT/DESCRIBE always print Turtle.",
)
@click.option(
    "--prefixes/--no-prefixes",
    default=True,
    show_default=True,
    help="Declare the usual prefixes (ba:, rdfs:, mm:, ...) before the query.",
)
def sparql(
    query: str | None,
    file: IO[bytes] | None,
    scenario: str | None,
    everything: bool,
    fmt: str,
    prefixes: bool,
) -> None:
    """Run an ad-hoc SPARQL query (argument, --file, or stdin) against one scenario.

    The default graph is the scenario (default: current) plus the ontology; GRAPH patterns can
    reach every scenario. --all makes the default graph the union of every graph.
    """
    if everything and scenario:
        raise UserInputError("Give either --scenario or --all, not both.")
    text = _read_query(query, file)
    prologue = sparql_prologue() if prefixes else ""
    settings = get_settings()
    with open_repository(create=False) as repo:
        try:
            result = repo.query(prologue + text, scenario=ALL if everything else scenario)
        except QueryError as exc:
            # positions on the first line include the added prologue: report the user's own
            exc.message = re.sub(
                r"\b1:(\d+)", lambda m: f"1:{max(1, int(m[1]) - len(prologue))}", exc.message
            )
            raise
    if not isinstance(result, bool | list) and len(result.rows) > settings.limits.max_rows:
        click.echo(
            f"Showing the first {settings.limits.max_rows} of {len(result.rows)} rows.", err=True
        )
        result.rows = result.rows[: settings.limits.max_rows]
    render(result, fmt, sys.stdout.buffer)


@click.command()
def demo() -> None:
    """Put the demo enterprise (Meridian Mutual, current and target scenarios) into the store."""
    from bizarch.demo import load_demo

    with open_repository() as repo:
        counts = load_demo(repo.store)
        address = repo.store.address
    rows = [[short_name(g), g, str(n)] for g, n in sorted(counts.items())]
    click.echo(f"Demo enterprise loaded into {address}:")
    click.echo(table(["scenario", "graph", "triples"], rows))
    click.echo(
        "Next: bizarch sparql 'SELECT ?c ?label WHERE { ?c a ba:Capability ; rdfs:label ?label }'"
    )


@click.command()
@click.option("--triples", "-n", type=int, required=True, help="About how many triples to make.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bytes.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["trig", "nquads"]),
    default="trig",
    show_default=True,
)
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def generate(triples: int, seed: int, fmt: str, out: Path | None) -> None:
    """Generate a large, realistic model (current and target scenarios) following the ontology.

    At 1M triples: about 2,000 capabilities in 3 tiers, 300 value streams, 20,000 processes,
    5,000 applications, KPIs with monthly measurements, initiatives. Load it with
    'bizarch load FILE --keep-graphs'.
    """
    from bizarch.generator import write_model

    if out is None:
        write_model(sys.stdout.buffer, triples, seed, nquads=fmt == "nquads")
        return
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("wb") as stream:
            write_model(stream, triples, seed, nquads=fmt == "nquads")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Wrote {out}.", err=True)


COMMANDS = (init, load, export, graphs, sparql, demo, generate)


def register(group: click.Group) -> None:
    """Attach this area's commands to the top-level group."""
    for command in COMMANDS:
        group.add_command(command)
