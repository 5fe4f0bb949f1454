"""The helper process of :func:`bizarch.store.memory_copy.memory_copy`.

Reads the statements of some (graph, predicate) units of an on-disk store (a checkpoint of it,
which does not change while it is read) through a read-only handle and writes them to standard
output as TriG, one block per unit, flushed as each unit is done so that the parent can parse
them while this process reads the next. A fresh interpreter rather than a fork: the parent holds
RocksDB open, with threads of its own that a fork would not carry over.

Why SPARQL results and not statements: each unit's query (``queries/store/unit-statements.rq``,
its graph and predicate bound by the parent) returns only the subject and the object, and the
engine writes them as TSV in Rust, with no Python object per term; reading whole statements
(``quads_for_pattern``) decodes the known graph and predicate of every statement too and makes
four Python objects of them, about twice the cost. A TSV row holds two terms in Turtle syntax
separated by a tab (tabs and line breaks inside literals are escaped), so a row becomes a TriG
statement by putting the predicate in place of the tab and `` .`` at the end. Blank nodes keep
their labels (the parent's parser keeps them), so a blank node stays one node across units and
processes.

Input (standard input, JSON): ``{"store": PATH, "units": [{"query": TEXT, "graph": IRI,
"predicate": IRI}, ...]}``; ``graph`` is where the statements go in the copy (the unit's own graph,
or the one graph of a merged copy). Only pyoxigraph is imported: the helper starts in well under
0.1 s.
"""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

import pyoxigraph as ox


def write_unit(store: ox.Store, unit: dict[str, str], out: BinaryIO) -> None:
    """One unit as a TriG block (nothing for a unit that has no statement left)."""
    result = store.query(unit["query"])
    table = result.serialize(format=ox.QueryResultsFormat.TSV)  # type: ignore[union-attr]
    rows = table[table.index(b"\n") + 1 :]  # after the header line
    if not rows:
        return
    graph = str(ox.NamedNode(unit["graph"])).encode()
    predicate = str(ox.NamedNode(unit["predicate"])).encode()
    out.write(graph + b" {\n")
    out.write(rows.replace(b"\t", b" " + predicate + b" ").replace(b"\n", b" .\n"))
    out.write(b"}\n")
    out.flush()


def main() -> int:
    request = json.load(sys.stdin)
    store = ox.Store.read_only(request["store"])
    for unit in request["units"]:
        write_unit(store, unit, sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
