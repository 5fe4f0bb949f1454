"""The endpoint's SPARQL 1.1 Service Description (``GET /sparql`` without a query)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from bizarch import resources
from bizarch.store.base import GraphInfo

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID_TRIPLES = ox.NamedNode("http://rdfs.org/ns/void#triples")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def service_description(endpoint_url: str, graphs: Iterable[GraphInfo]) -> list[ox.Triple]:
    """The description document (``web/sparql/service-description.ttl``) for ``endpoint_url``,
    with one ``sd:namedGraph`` per graph of the store and its size."""
    path = resources.web_dir() / "sparql" / "service-description.ttl"
    triples = [
        q.triple
        for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=endpoint_url)
    ]
    dataset = ox.NamedNode(endpoint_url + "#dataset")
    for info in graphs:
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, ox.NamedNode(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, ox.NamedNode(SD + "NamedGraph")),
            ox.Triple(named, ox.NamedNode(SD + "name"), ox.NamedNode(info.name)),
            ox.Triple(named, ox.NamedNode(SD + "graph"), graph),
            ox.Triple(graph, RDF_TYPE, ox.NamedNode(SD + "Graph")),
            ox.Triple(graph, VOID_TRIPLES, ox.Literal(info.triples)),
        ]
    return triples
