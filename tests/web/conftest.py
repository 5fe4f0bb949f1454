"""Fixtures of the web tests: the demo enterprise in a real in-memory store (shared by the module's
tests, which only read), a small hostile model for escaping tests, the app over a store (flaskr
pattern) and its test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bizarch.demo import load_demo
from bizarch.repository import Repository
from bizarch.store import OxigraphStore, RdfFormat, RdfSource
from bizarch.web import close_app, create_app
from tests.web.live import LiveServer, demo_store_on_disk

HOSTILE = Path(__file__).with_name("hostile.trig")


@pytest.fixture(scope="session")
def demo_store() -> Iterator[OxigraphStore]:
    """The Meridian Mutual demo (ontology, current and target scenario). Read-only use."""
    with OxigraphStore() as store:
        load_demo(store)
        yield store


@pytest.fixture
def hostile_store() -> Iterator[OxigraphStore]:
    """Ontology plus a model whose labels and IRIs try to inject markup and script links."""
    with OxigraphStore() as store:
        Repository(store).ensure_ontology()
        store.load([RdfSource(HOSTILE.name, HOSTILE.read_bytes(), RdfFormat.TRIG)], None)
        yield store


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``bizarch serve`` over the demo on disk, with a short query timeout (0.5 s)."""
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(
        demo_store_on_disk(folder),
        folder / "serve.log",
        "--sparql-timeout",
        "0.5",
        "--sparql-max-rows",
        "500",
    )
    try:
        yield server
    finally:
        server.stop()


def make_app(store: OxigraphStore, **settings: object) -> Flask:
    return create_app({"testing": True, "sparql_timeout_s": 5.0, **settings}, store=store)


@pytest.fixture(scope="module")
def app(demo_store: OxigraphStore) -> Iterator[Flask]:
    app = make_app(demo_store)
    yield app
    close_app(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
