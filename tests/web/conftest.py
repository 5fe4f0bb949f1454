"""Fixtures of the web tests: a fresh in-memory store with the ontology and a small model, the
app over it (flaskr pattern), and its test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bizarch import resources
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.store import OxigraphStore, RdfFormat, RdfSource
from bizarch.web import close_app, create_app

MODEL = Path(__file__).with_name("model.trig")


def load_model(store: OxigraphStore) -> None:
    store.load(
        [RdfSource("bizarch.ttl", resources.ontology_file().read_bytes(), RdfFormat.TURTLE)],
        ONTOLOGY_GRAPH,
    )
    store.load([RdfSource(MODEL.name, MODEL.read_bytes(), RdfFormat.TRIG)], None)


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    with OxigraphStore() as s:
        load_model(s)
        yield s


@pytest.fixture
def app(store: OxigraphStore) -> Iterator[Flask]:
    app = create_app({"testing": True, "sparql_timeout_s": 5.0}, store=store)
    yield app
    close_app(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
