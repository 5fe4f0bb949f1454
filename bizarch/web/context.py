"""The small accessors views use to reach what the app factory opened (flaskr's ``get_db``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from bizarch.endpoint.executor import QueryExecutor
from bizarch.repository import Repository, ScenarioInfo
from bizarch.store.base import GraphStore
from bizarch.web.cache import ResultCache
from bizarch.web.settings import WebSettings

EXTENSION = "bizarch"


@dataclass
class AppState:
    """Per-app state, kept in ``app.extensions`` (never in module globals)."""

    settings: WebSettings
    store: GraphStore
    executor: QueryExecutor
    owns_store: bool
    cache: ResultCache

    def close(self) -> None:
        """Stop the query pool and close the store if the app opened it."""
        self.executor.shutdown()
        if self.owns_store:
            self.store.close()


def state() -> AppState:
    return current_app.extensions[EXTENSION]


def get_store() -> GraphStore:
    """The store this app serves."""
    return state().store


def get_cache() -> ResultCache:
    """Cache for whole-model aggregates (see :mod:`bizarch.web.cache`)."""
    return state().cache


class ServingRepository(Repository):
    """The app's repository, whose scenario list comes from the aggregate cache.

    ``Repository.scenarios()`` sizes every graph (``store.graphs()`` counts every quad: 0.3 s at
    1M triples), and pages list the scenarios often. The server holds the store and the UI does
    not write, so the list is reused for the cache's lifetime. (Checking one query's scenario does
    not need the list: it asks ``store.has_graph``.)
    """

    def __init__(self, store: GraphStore, cache: ResultCache) -> None:
        super().__init__(store)
        self._cache = cache

    def scenarios(self) -> list[ScenarioInfo]:
        return self._cache.get("repository-scenarios", super().scenarios)


def get_repository() -> ServingRepository:
    """The store as a :class:`Repository` (what the catalogue, trace and impact take)."""
    app_state = state()
    return ServingRepository(app_state.store, app_state.cache)


def get_settings() -> WebSettings:
    return state().settings
