"""Fixtures for the query tests: the Meridian Mutual demo in a real store, the catalogue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bizarch.demo import load_demo
from bizarch.queries.catalogue import Catalogue, default_catalogue
from bizarch.repository import Repository
from bizarch.store.oxigraph_store import OxigraphStore


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture(scope="session")
def demo_store() -> Iterator[OxigraphStore]:
    """The demo enterprise in memory, shared by read-only tests (never write to it)."""
    store = OxigraphStore(None)
    load_demo(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_repo(demo_store: OxigraphStore) -> Repository:
    return Repository(demo_store)


@pytest.fixture
def fresh_demo() -> Iterator[OxigraphStore]:
    """A demo store of its own, for tests that check nothing changed."""
    store = OxigraphStore(None)
    load_demo(store)
    yield store
    store.close()
