"""The store's own queries (``queries/store/*.rq``), read without loading the whole catalogue.

The store counts and splits graphs on every command, so it reads just the file it needs (a
named query's ``#+`` header lines are SPARQL comments; the text runs as it is). The catalogue
lists the same files, checks them when it loads, and tests run them against golden results.
"""

from __future__ import annotations

from functools import cache

from bizarch import resources

GRAPH_SIZE = "store/graph-size"
PREDICATE_COUNTS = "store/predicate-counts"


@cache
def store_query(name: str) -> str:
    """The text of the named query ``queries/<name>.rq``."""
    return (resources.queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
