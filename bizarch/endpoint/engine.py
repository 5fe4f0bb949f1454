"""Which pyoxigraph engine answers endpoint queries for a given store."""

from __future__ import annotations

import pyoxigraph as ox

from bizarch.errors import StoreError
from bizarch.store.base import GraphStore


def query_engine(store: GraphStore) -> ox.Store:
    """The engine behind an embedded store, or the in-memory copy of a serving store.

    The endpoint needs the engine itself (lazy results it can cut at the row cap, named-graph
    datasets); a remote store has none: its own server is the endpoint to use.
    """
    engine = getattr(store, "engine", None)
    if engine is None:
        engine = getattr(getattr(store, "memory", None), "engine", None)
    if not isinstance(engine, ox.Store):
        raise StoreError(
            f"The SPARQL endpoint serves embedded stores only; {store.address} is remote.",
            hint="Query the remote server's own endpoint.",
        )
    return engine
