"""Namespaces and well-known graph names, shared by every layer."""

from __future__ import annotations

from typing import Final

BA: Final = "https://w3id.org/bizarch/ontology#"
"""The bizarch vocabulary (classes, properties, enumeration individuals)."""

ONTOLOGY_IRI: Final = "https://w3id.org/bizarch/ontology"
"""IRI of the ontology, also the name of the named graph that holds it in a store."""

ONTOLOGY_GRAPH: Final = ONTOLOGY_IRI

REFERENCE_BASE: Final = "https://w3id.org/bizarch/shapes/"
"""Base of the graphs holding reference data that rules compare models with (e.g. the ArchiMate
relationship table): system graphs like the ontology, never scenarios."""

SCENARIO_BASE: Final = "urn:bizarch:scenario:"
"""Default base for scenario graph names created by ``bizarch`` itself (``<base><name>``)."""

INFERRED_BASE: Final = "urn:bizarch:inferred:"
"""Base of the graphs holding a scenario's materialised OWL RL inferences (never scenarios)."""

DEMO: Final = "https://data.meridian-mutual.example/id/"
"""Namespace of the demo enterprise, Meridian Mutual (a fictional insurer)."""

PREFIXES: Final[dict[str, str]] = {
    "ba": BA,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "mm": DEMO,
}
"""Prefixes used in output, CURIE expansion and exported Turtle."""


def graph_kind(graph: str) -> str:
    """What a named graph holds: ``ontology``, ``reference`` (data rules read), ``inferred``
    (a scenario's materialised inferences) or ``scenario``."""
    if graph == ONTOLOGY_GRAPH:
        return "ontology"
    if graph.startswith(REFERENCE_BASE):
        return "reference"
    if graph.startswith(INFERRED_BASE):
        return "inferred"
    return "scenario"


def scenario_graph(name_or_iri: str) -> str:
    """Graph IRI of a scenario given by short name (``current``) or full IRI."""
    if ":" in name_or_iri:
        return name_or_iri
    return SCENARIO_BASE + name_or_iri


def sparql_prologue() -> str:
    """``PREFIX`` declarations for :data:`PREFIXES`, for ad-hoc queries typed by people.

    Queries in ``queries/`` declare their own prefixes (they must run as-is in any console);
    this only spares people typing them at the command line. A query's own declarations win.
    """
    # One line without a line break, so line numbers in error messages stay those of the query.
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items())
