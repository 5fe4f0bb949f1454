"""The store's own named queries (``queries/store/*.rq``), read without loading the catalogue.

The store counts and splits graphs on every command, so it reads just the file it needs
(:func:`bizarch.resources.query_text`).
"""

from __future__ import annotations

from bizarch.resources import query_text as store_query

GRAPH_SIZE = "store/graph-size"
PREDICATE_COUNTS = "store/predicate-counts"
UNIT_STATEMENTS = "store/unit-statements"

__all__ = ["GRAPH_SIZE", "PREDICATE_COUNTS", "UNIT_STATEMENTS", "store_query"]
