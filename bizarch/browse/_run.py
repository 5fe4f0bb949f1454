"""Runs one named query of ``queries/`` for the browsing services, through the query catalogue.

Kept as the one door the browsing services use, so they do not repeat the catalogue call (and the
default scenario) everywhere. Values reach the query only as RDF terms (the catalogue binds them in
a leading VALUES block).
"""

from __future__ import annotations

from collections.abc import Mapping

from bizarch.queries.catalogue import default_catalogue
from bizarch.repository import Repository
from bizarch.store.base import GraphStore, QueryResult, Term

Store = GraphStore | Repository
"""What the browsing services query: a store, or a repository over it (the web app's caches the
scenario list)."""


def run(
    store: Store,
    name: str,
    params: Mapping[str, Term] | None = None,
    *,
    scenario: str | None = None,
) -> QueryResult:
    """Run ``queries/<name>.rq`` against one scenario (default ``current``; ``"*"`` = union)."""
    return default_catalogue().run(store, name, dict(params or {}), scenario=scenario or "current")
