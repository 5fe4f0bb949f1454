"""The small accessors views use to reach what the app factory opened (flaskr's ``get_db``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app

from bizarch.endpoint.executor import QueryExecutor
from bizarch.repository import Repository
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
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    """Serialises the web's writes, so an import's validation gate sees the state it writes on."""

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


def get_repository() -> Repository:
    """The store as a :class:`Repository` (what the catalogue, trace and impact take)."""
    return Repository(state().store)


def get_settings() -> WebSettings:
    return state().settings
