"""The query guard: forbidden keywords found on tokens, never fooled by strings, IRIs or comments;
nesting and chain length bounded before the engine sees them."""

from __future__ import annotations

import contextlib
import socket
import threading

import pyoxigraph as ox
import pytest

from bizarch.endpoint.errors import QueryTooComplexError, ReadOnlyEndpointError, RefusedQueryError
from bizarch.endpoint.guard import GuardLimits, check_query

EVIL = "http://127.0.0.1:9/"

REFUSED = {
    "plain": f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    "lower case": f"select * {{ service <{EVIL}> {{ }} }}",
    "silent": f"SELECT * WHERE {{ SERVICE SILENT <{EVIL}> {{ ?s ?p ?o }} }}",
    "variable endpoint": f"SELECT * WHERE {{ VALUES ?e {{ <{EVIL}> }} SERVICE ?e {{ }} }}",
    # the engine reads "SERVICE:x" as the keyword followed by the empty-prefix name ":x"
    "glued prefixed name": f"PREFIX : <{EVIL}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    # ... and "SERVICEe:a" as the keyword followed by "e:a" (found by test_guard_fuzz.py)
    "glued to a prefix": f"PREFIX e: <{EVIL}> SELECT * WHERE {{ SERVICEe:a {{ ?s ?p ?o }} }}",
    # the engine reads "<1)SERVICE?x#>" as less-than, code, and a comment: not an IRI
    "less-than looks like an IRI": "SELECT * WHERE { ?s ?p ?o FILTER(?o<1)SERVICE?x#>\n{ } }",
    "long string after a fake IRI": 'SELECT * { FILTER(?s<1#>"""\n)SERVICE?y{}#""" }',
    "escaped quote in a local name": f"PREFIX e: <{EVIL}> SELECT * {{ ?s ?p e:a\\' SERVICE e:b "
    "{} #' \n}",
    "after a dot": f"SELECT * {{ ?s ?p ?o.SERVICE <{EVIL}> {{}} }}",
    "nested in a subquery": f"SELECT * {{ {{ SELECT * {{ SERVICE <{EVIL}> {{}} }} }} }}",
}


@pytest.mark.parametrize("query", REFUSED.values(), ids=REFUSED.keys())
def test_service_is_refused_however_it_is_written(query: str) -> None:
    with pytest.raises(RefusedQueryError, match="SERVICE"):
        check_query(query)


ALLOWED = {
    "in a string": 'SELECT * { ?s ?p "SERVICE <http://x/> {}" }',
    "in a long string": "SELECT * { ?s ?p '''\nSERVICE <http://x/> {}\n''' }",
    "in a comment": "SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}",
    "in an IRI": "SELECT * { ?s <http://example.org/service> <http://x.org/load> }",
    "as a variable": "SELECT ?service ?load { ?service ?p ?load }",
    "as a local name": "PREFIX ex: <http://e/> SELECT * { ?s ex:service ex:load }",
    "as part of a word in a literal": 'SELECT * { ?s ?p "customer-service" }',
    "less-than in a filter": "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o <= 4) }",
}


@pytest.mark.parametrize("query", ALLOWED.values(), ids=ALLOWED.keys())
def test_the_words_inside_strings_iris_comments_and_names_are_not_keywords(query: str) -> None:
    check_query(query)  # no exception: refusing these would break ordinary queries
    ox.Store().query(query)  # and they are valid queries the engine runs


def test_load_and_updates_are_refused_as_read_only_or_ssrf() -> None:
    with pytest.raises(RefusedQueryError, match="LOAD"):
        check_query("LOAD <http://127.0.0.1:9/data.ttl>")
    with pytest.raises(ReadOnlyEndpointError, match="read-only"):
        check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(ReadOnlyEndpointError):
        check_query("PREFIX e: <urn:e> DELETE WHERE { ?s ?p ?o }")


def test_the_refused_forms_really_reach_the_network_when_unguarded() -> None:
    """The hazard is real: the engine connects for both tricky spellings the guard catches."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(5)
    port = server.getsockname()[1]
    hits: list[bytes] = []

    def accept() -> None:
        for _ in range(3):
            conn, _ = server.accept()
            hits.append(conn.recv(100))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{port}/"
    store = ox.Store()
    for query in (
        f"SELECT * WHERE {{ SERVICE SILENT <{endpoint}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{endpoint}> SELECT * WHERE {{ SERVICE SILENT :x {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{endpoint}> SELECT * WHERE {{ SERVICEe:a {{ ?s ?p ?o }} }}",
    ):
        with contextlib.suppress(OSError, RuntimeError):
            list(store.query(query))
    thread.join(timeout=5)
    server.close()
    assert len(hits) == 3
    assert all(h.startswith(b"POST") or h.startswith(b"GET") for h in hits)


def test_deep_nesting_is_refused_before_the_engine_sees_it() -> None:
    limits = GuardLimits(max_depth=200)
    assert check_query("SELECT * WHERE " + "{" * 200 + "}" * 200, limits).depth == 200
    with pytest.raises(QueryTooComplexError, match="200 levels"):
        check_query("SELECT * WHERE " + "{" * 201 + "}" * 201, limits)
    parens = "SELECT * { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }"
    with pytest.raises(QueryTooComplexError):
        check_query(parens, limits)


def test_nesting_hidden_in_a_fake_iri_still_counts() -> None:
    """``<((((...>`` is an IRI to a naive scanner and 300 parentheses to the engine."""
    query = "SELECT * { ?s ?p ?o FILTER(?o<" + "(" * 300 + "1" + ")" * 300 + ">0) }"
    with pytest.raises(QueryTooComplexError):
        check_query(query, GuardLimits(max_depth=200))


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    query = 'SELECT * { ?s ?p "' + "{" * 500 + '" } # ' + "(" * 500
    assert check_query(query, GuardLimits(max_depth=10)).depth == 1


def test_long_operator_chains_are_refused() -> None:
    unions = "SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 1001) + " }"
    with pytest.raises(QueryTooComplexError, match="1,000 operators"):
        check_query(unions, GuardLimits(max_operators=1000))
    fine = "SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 50) + " }"
    assert check_query(fine).operators == 50  # 49 UNIONs and the "*" of SELECT *


def test_query_size_is_bounded() -> None:
    with pytest.raises(QueryTooComplexError, match="characters"):
        check_query("SELECT * { ?s ?p ?o } #" + "x" * 200, GuardLimits(max_chars=100))


def test_the_guard_is_linear_on_large_harmless_queries() -> None:
    values = "SELECT * { VALUES ?x { " + " ".join(f"<urn:x:{i}>" for i in range(20000)) + " } }"
    assert check_query(values, GuardLimits(max_chars=1_000_000)).depth == 2
