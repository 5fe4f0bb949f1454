"""Markup in labels is text, and no IRI ever becomes a script link."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bizarch.store import OxigraphStore
from bizarch.web import close_app
from tests.web.conftest import make_app


@pytest.fixture
def hostile_client(hostile_store: OxigraphStore) -> Iterator[FlaskClient]:
    app: Flask = make_app(hostile_store)
    yield app.test_client()
    close_app(app)


def hrefs(page: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]*)"', page)


def test_script_label_is_escaped_everywhere(hostile_client: FlaskClient) -> None:
    for path in ("/element?iri=javascript:alert(1)", "/element?iri=mm:proc-fnol"):
        page = hostile_client.get(path).get_data(as_text=True)
        assert "<script>alert(" not in page, path
        assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page, path
    page = hostile_client.get("/element?iri=javascript:alert(1)").get_data(as_text=True)
    assert "<img src=x" not in page
    # the graph's JSON data block cannot be closed by a label either
    graph = page.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "\\u003cscript\\u003e" in graph
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_javascript_iri_never_becomes_a_javascript_href(hostile_client: FlaskClient) -> None:
    for path in ("/element?iri=javascript:alert(1)", "/element?iri=mm:proc-fnol", "/"):
        page = hostile_client.get(path).get_data(as_text=True)
        links = hrefs(page)
        assert links, path
        assert not [h for h in links if h.strip().lower().startswith(("javascript:", "data:"))]
    page = hostile_client.get("/element?iri=mm:proc-fnol").get_data(as_text=True)
    # the hostile element is still linked, through its element page
    assert "/element?iri=javascript:alert(1)" in hrefs(page)
    # and the "original" outbound link exists only for http(s) IRIs
    assert ">original</a>" not in hostile_client.get("/element?iri=javascript:alert(1)").get_data(
        as_text=True
    )


def test_error_messages_escape_the_user_input(hostile_client: FlaskClient) -> None:
    response = hostile_client.get("/element", query_string={"iri": "mm:<script>x</script>"})
    assert response.status_code in (400, 404)
    page = response.get_data(as_text=True)
    assert "<script>x" not in page
    assert "&lt;script&gt;" in page
