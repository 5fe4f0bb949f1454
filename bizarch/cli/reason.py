"""``bizarch reason``: OWL consistency of a scenario with the ontology (HermiT), explained.

Thin by design: parses options, calls :mod:`bizarch.reasoning`, renders. Exit status 1 when the
model is inconsistent, so CI can gate on it like on ``bizarch validate``.
"""

from __future__ import annotations

import json

import click

from bizarch.cli.common import SCENARIO_HELP, open_repository


@click.command()
@click.option("-s", "--scenario", default=None, help=SCENARIO_HELP)
@click.option(
    "--materialise",
    "--materialize",
    "materialise",
    is_flag=True,
    help="Also write what OWL RL rules infer about the scenario to the separate graph "
    "urn:bizarch:inferred:<scenario> (replaced each time; asserted data is never changed).",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def reason(scenario: str | None, materialise: bool, fmt: str) -> None:
    """Check that a scenario is consistent with the ontology, and explain why not.

    HermiT (through owlready2) decides; bizarch then names the elements and the ontology axioms
    in conflict (two disjoint kinds, a property that implies another kind, two values where one
    is allowed). Needs a Java runtime (Debian: default-jre-headless). Exit status 1 when the
    model is inconsistent.
    """
    from bizarch import reasoning

    with open_repository(create=False) as repo:
        graph = repo.scenario_graph(scenario or repo.settings.scenario)
        report = reasoning.check_consistency(repo.store, graph)
        inferred = reasoning.materialise(repo.store, graph) if materialise else None
    if fmt == "json":
        click.echo(json.dumps(_as_json(report, inferred), indent=2))
    else:
        click.echo(_as_text(report, inferred))
    if not report.consistent:
        raise SystemExit(1)


def _as_text(report, inferred) -> str:
    from bizarch.repository import short_name

    name = short_name(report.scenario)
    lines = []
    if report.consistent:
        lines.append(
            f"Scenario '{name}' is consistent with the ontology "
            f"({report.reasoner}, {report.triples} triples, {report.seconds:.1f} s)."
        )
    else:
        lines.append(f"Scenario '{name}' is INCONSISTENT with the ontology ({report.reasoner}).")
        certain = [e for e in report.explanations if e.certain]
        suspects = [e for e in report.explanations if not e.certain]
        if certain:
            lines.append("")
            lines.append("Contradictions:")
            lines += [f"  - {e.sentence}" for e in certain]
        else:
            lines.append("")
            lines.append(
                "HermiT found a contradiction that none of bizarch's explanations covers "
                "(disjoint kinds, domains and ranges, single-valued properties); look for "
                "axioms combining these, or check the model in an OWL editor."
            )
        if suspects:
            lines.append("")
            lines.append("Also suspicious (not contradictions by themselves):")
            lines += [f"  - {e.sentence}" for e in suspects]
    if inferred is not None:
        lines.append("")
        lines.append(
            f"OWL RL: {inferred.triples} inferred triples written to <{inferred.graph}> "
            f"({inferred.seconds:.1f} s)."
        )
    return "\n".join(lines)


def _as_json(report, inferred) -> dict:
    data = {
        "scenario": report.scenario,
        "consistent": report.consistent,
        "reasoner": report.reasoner,
        "explained": report.explained,
        "explanations": [
            {
                "kind": e.kind,
                "element": e.element,
                "certain": e.certain,
                "message": e.sentence,
                "terms": list(e.terms),
            }
            for e in report.explanations
        ],
    }
    if inferred is not None:
        data["inferred"] = {"graph": inferred.graph, "triples": inferred.triples}
    return data


def register(group: click.Group) -> None:
    """Attach this area's commands to the top-level group."""
    group.add_command(reason)
