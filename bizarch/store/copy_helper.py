"""The helper process of :func:`bizarch.store.memory_copy.memory_copy`.

Reads the statements of some (graph, predicate) pairs of an on-disk store (a checkpoint of it,
which does not change while it is read) through a read-only handle and writes them to standard
output as N-Quads (blank-node labels as stored, so the parent can merge them with what it copied
itself). A fresh interpreter rather than a fork:
the parent holds RocksDB open, with threads of its own that a fork would not carry over.

Input (standard input, JSON): ``{"store": PATH, "units": [[GRAPH, PREDICATE], ...], "into":
GRAPH or null}``; ``GRAPH`` is an IRI, ``into`` renames every graph to one (a merged copy).
Only pyoxigraph is imported: the helper starts in well under 0.1 s.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pyoxigraph as ox


def statements(store: ox.Store, units: list[list[str]], into: str | None) -> Iterator[ox.Quad]:
    """The quads of every (graph, predicate) unit, in the graph ``into`` when it is given."""
    target = ox.NamedNode(into) if into else None
    for graph, predicate in units:
        name = ox.NamedNode(graph)
        found = store.quads_for_pattern(None, ox.NamedNode(predicate), None, name)
        if target is None or target == name:
            yield from found
        else:
            for quad in found:
                yield ox.Quad(quad.subject, quad.predicate, quad.object, target)


def main() -> int:
    request = json.load(sys.stdin)
    store = ox.Store.read_only(request["store"])
    ox.serialize(
        statements(store, request["units"], request.get("into")),
        sys.stdout.buffer,
        ox.RdfFormat.N_QUADS,
    )
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
