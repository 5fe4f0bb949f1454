"""A store on which one query keeps the engine busy for a few seconds (uninterruptible)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

# COUNT over a three-way cross product of 190 values: ~6.9 million combinations (~3.5 s), before
# the first (and only) row exists, so no row-by-row deadline check can stop it early.
SLOW_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a <urn:p> ?x . ?b <urn:p> ?y . ?c <urn:p> ?z "
    "FILTER (?x + ?y + ?z < 0) }"
)


@pytest.fixture(scope="session")
def slow_engine() -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(
            ox.NamedNode(f"urn:e:{i}"), ox.NamedNode("urn:p"), ox.Literal(i), ox.NamedNode("urn:g")
        )
        for i in range(190)
    )
    return store
