"""Differential test of the guard against the engine itself.

Queries are assembled from the lexical pieces that can make a scanner and the engine disagree
(quotes, comments, ``<`` that may be an IRI or a comparison, escapes, glued keywords). Each query
the guard lets through is run by pyoxigraph with a loopback listener as the only SERVICE target
(every prefix points at it): if the engine ever connects, the guard let a SERVICE call through.
Hypothesis shrinks any such query to a minimal example. (pyoxigraph only calls SERVICE endpoints
named by an IRI, never by a variable, so the pieces name the listener through prefixes.)
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizarch.endpoint.guard import check_query
from bizarch.errors import BizarchError

# Gaps between tokens: plain or surprising whitespace, comments that may swallow a ">", nothing.
SEPARATORS = [" ", "\n", "\t", "  ", "#c\n", " # SERVICE :x {}\n", "#>\n", ""]
# Valid pattern fragments placed before or after the call; several look like a SERVICE call to a
# naive scanner (in strings, comments, IRIs), some confuse "<" between IRI and comparison.
DECOYS = [
    "",
    "?s ?p ?o .",
    "FILTER(?o<1)",
    "FILTER(?o<1#>\n)",
    "FILTER(?o < 1 && ?o<=2)",
    '?s ?p "SERVICE :x { }" .',
    "?s ?p 'SERVICE <urn:a> {}' .",
    '?s ?p """\nSERVICE :x {}\n""" .',
    "?s <http://e.example/SERVICE> ?o .",
    "?s e:service ?o .",
    "BIND(1 AS ?b)",
    "{ }",
    "OPTIONAL { ?s ?p ?o }",
    "# SERVICE :x { }\n",
]
TARGETS = ["<{url}>", ":x", "e:a", ":"]


@st.composite
def queries(draw: st.DrawFn, url: str) -> tuple[str, bool]:
    """A query that may or may not call SERVICE, and whether it does (as written)."""
    sep = lambda: draw(st.sampled_from(SEPARATORS))  # noqa: E731 - a local shorthand
    calls = draw(st.booleans())
    parts = [draw(st.sampled_from(DECOYS)), sep()]
    if calls:
        keyword = draw(st.sampled_from(["SERVICE", "service", "Service"]))
        silent = draw(st.sampled_from(["", "SILENT"]))
        target = draw(st.sampled_from(TARGETS)).format(url=url)
        parts += [keyword, sep(), silent, sep(), target, sep(), "{", sep(), "}", sep()]
    parts += [draw(st.sampled_from(DECOYS)), sep()]
    if draw(st.booleans()):  # inside a nested group or a subquery
        parts = (
            ["{", sep(), *parts, "}"]
            if draw(st.booleans())
            else ["{ SELECT * WHERE {", sep(), *parts, "} }"]
        )
    body = "".join(parts)
    return f"PREFIX : <{url}> PREFIX e: <{url}> SELECT * WHERE {{ ?s ?p ?o . {body} }}", calls


class Listener:
    """Counts TCP connections on a loopback port (the only SERVICE endpoint the queries name)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.sock.close()


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_query_the_guard_allows_makes_the_engine_connect(
    listener: Listener, data: st.DataObject
) -> None:
    query, _ = data.draw(queries(listener.url))
    try:
        check_query(query)
    except BizarchError:
        return  # refused: nothing reaches the engine
    before = listener.connections
    store = ox.Store()
    try:
        result = store.query(query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    assert listener.connections == before, f"the guard let a SERVICE call through: {query!r}"


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_valid_queries_without_a_service_call_are_allowed(
    listener: Listener, data: st.DataObject
) -> None:
    """No false alarms on the decoys: SERVICE in strings, comments, IRIs and names is no call."""
    query, calls = data.draw(queries(listener.url))
    if calls or "#>" in query:
        # "?o<1)#>" can be an IRI up to the comment's ">" in one reading: the guard then follows
        # both readings of what comes next, and may refuse; conservative by design
        return
    try:
        ox.Store().query(query)
    except SyntaxError:
        return  # not a query the engine accepts either
    check_query(query)


def test_the_fuzzer_can_see_a_service_call(listener: Listener) -> None:
    """The oracle works: an unguarded SERVICE made of the same pieces does connect."""
    before = listener.connections
    store = ox.Store()
    query = f"PREFIX : <{listener.url}> SELECT * WHERE {{ SERVICE SILENT:x {{ }} }}"
    list(store.query(query))
    assert listener.connections == before + 1


def test_from_and_describe_never_fetch(listener: Listener) -> None:
    """Unlike rdflib, the engine reads FROM / FROM NAMED / DESCRIBE IRIs from the store only."""
    before = listener.connections
    for query in (
        f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{listener.url}>",
    ):
        check_query(query)  # allowed
        list(ox.Store().query(query))
    assert listener.connections == before
