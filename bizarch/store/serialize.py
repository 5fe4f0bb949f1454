"""Stable serialisation shared by every backend.

Why: exported models live in git, so the same content must give the same bytes (sorted
subjects, ``rdf:type`` first, the project's prefixes, blank nodes relabelled canonically when
there are few enough of them for canonicalisation to be cheap).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

from bizarch.errors import UserInputError
from bizarch.namespaces import PREFIXES
from bizarch.store.base import RdfFormat
from bizarch.store.parsing import ox_format

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_MAX_CANONICAL_BLANKS = 5_000
"""Canonicalisation is exponential in the worst case: beyond this, blank labels are kept."""


def _sort_key(quad: ox.Quad) -> tuple[str, str, int, str, str]:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    predicate = quad.predicate.value
    return (
        graph,
        str(quad.subject),
        0 if predicate == RDF_TYPE else 1,
        predicate,
        str(quad.object),
    )


def stable_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads sorted for serialisation, with canonical blank node labels where affordable."""
    items = list(quads)
    blanks = sum(
        1
        for q in items
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
    )
    if 0 < blanks <= _MAX_CANONICAL_BLANKS:
        dataset = ox.Dataset(items)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        items = list(dataset)
    items.sort(key=_sort_key)
    return items


def write_quads(
    quads: Iterable[ox.Quad], out: IO[bytes], fmt: RdfFormat, *, as_graph: bool
) -> None:
    """Serialise ``quads`` stably; ``as_graph`` writes triples (one graph), else a dataset."""
    if not as_graph and not fmt.has_graphs:
        raise UserInputError(
            f"{fmt.key} cannot hold several graphs.",
            hint="Export one scenario (--scenario NAME), or choose trig, nquads or jsonld.",
        )
    ordered = stable_quads(quads)
    items: list[ox.Quad] | list[ox.Triple] = [q.triple for q in ordered] if as_graph else ordered
    if fmt not in (RdfFormat.TURTLE, RdfFormat.TRIG):
        ox.serialize(items, out, format=ox_format(fmt), prefixes=dict(PREFIXES))
        return
    # The engine writes prefix declarations in hash order; write them in a fixed order instead.
    body = ox.serialize(items, format=ox_format(fmt), prefixes=dict(PREFIXES))
    start = 0
    while body.startswith(b"@prefix ", start):
        start = body.index(b"\n", start) + 1
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    out.write(header.encode("utf-8"))
    if start < len(body):
        out.write(b"\n")
        out.write(memoryview(body)[start:])
