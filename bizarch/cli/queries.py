"""Query commands: queries, query, trace, impact, gaps. Parse input, call one service, render."""

from __future__ import annotations

import sys

import click

from bizarch.cli.common import SCENARIO_HELP, open_repository
from bizarch.errors import UserInputError
from bizarch.gaps import find_gaps
from bizarch.impact import impact as impact_of
from bizarch.queries.catalogue import default_catalogue
from bizarch.results import FORMATS, compact, display, render
from bizarch.trace import TraceNode, trace_element


@click.command(name="queries")
@click.option("--tag", default=None, help="Only queries with this tag.")
def list_queries(tag: str | None) -> None:
    """List the named queries with their summaries and parameters."""
    for query in default_catalogue():
        if tag and tag not in query.tags:
            continue
        params = " ".join(f"-p {p.name}=<{p.type}>" for p in query.params)
        click.echo(f"{query.name:<45} {query.summary}")
        if params:
            click.echo(f"{'':<45}   {params}")


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserInputError(
                f"'{pair}' is not key=value.", hint="Example: -p element=ClaimsOne"
            )
        out[key.strip()] = value
    return out


@click.command()
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A parameter.")
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP + " '*' = every graph.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N rows.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip N rows.")
def query(
    name: str,
    pairs: tuple[str, ...],
    scenario: str | None,
    fmt: str,
    limit: int | None,
    offset: int,
) -> None:
    """Run the named query NAME (see: bizarch queries) with -p key=value parameters."""
    with open_repository(create=False) as repo:
        result = default_catalogue().run(
            repo, name, _params(pairs), scenario=scenario, limit=limit, offset=offset
        )
    render(result, fmt, sys.stdout.buffer)


def _print_tree(node: TraceNode, prefix: str = "", last: bool = True, root: bool = True) -> None:
    kind = compact(node.cls) if node.cls else ""
    text = f"{node.label or compact(node.element)} [{kind}]"
    if root:
        click.echo(text)
    else:
        via = compact(node.relation) if node.relation else ""
        click.echo(f"{prefix}{'└─ ' if last else '├─ '}{text}  ({via})")
    child_prefix = prefix if root else prefix + ("   " if last else "│  ")
    for i, child in enumerate(node.children):
        _print_tree(child, child_prefix, i == len(node.children) - 1, root=False)


@click.command()
@click.argument("element")
@click.option("--up/--down", "up", default=None, help="Direction [default: down for a strategy].")
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
def trace(element: str, up: bool | None, scenario: str | None) -> None:
    """Trace ELEMENT (IRI, CURIE or exact label): a strategy down, anything else up."""
    with open_repository(create=False) as repo:
        tree = trace_element(repo, element, up=up, scenario=scenario)
    _print_tree(tree.root)


@click.command()
@click.argument("element")
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
def impact(element: str, scenario: str | None) -> None:
    """What depends on ELEMENT, by layer, each hit with its severity and explaining path."""
    with open_repository(create=False) as repo:
        report = impact_of(repo, element, scenario=scenario)
    click.echo(f"Impact of {report.start_label or compact(report.start)}: {len(report.hits)} hits")
    labels = {h.element: h.label for h in report.hits}
    labels[report.start] = report.start_label
    for layer, hits in report.by_layer().items():
        click.echo(f"\n{layer} ({len(hits)})")
        for hit in hits:
            click.echo(f"  [{hit.severity}] {hit.label or compact(hit.element)}: {hit.reason}")
            steps = [labels.get(hit.path[0].source, "")] if hit.path else []
            steps += [
                f"-{compact(e.relation)}- {e.target_label or compact(e.target)}" for e in hit.path
            ]
            click.echo(f"      path: {' '.join(steps)}")


@click.command()
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
def gaps(scenario: str | None) -> None:
    """Every modelling gap (stages without capability, orphans, redundant applications, ...)."""
    with open_repository(create=False) as repo:
        found = find_gaps(repo, scenario=scenario)
    for gap in found:
        click.echo(f"{gap.name}: {gap.count} - {gap.summary}")
        for row in gap.result.dicts():
            element, label = row.get("element"), row.get("label")
            click.echo(f"    {display(label) or display(element)} ({display(element)})")


COMMANDS = (list_queries, query, trace, impact, gaps)


def register(group: click.Group) -> None:
    """Attach this area's commands to the top-level group."""
    for command in COMMANDS:
        group.add_command(command)
