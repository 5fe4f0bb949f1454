"""The bounded executor: deadline, row cap, and slots that keep the server responsive."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from bizarch.endpoint.errors import EndpointBusyError, QueryTimeoutError
from bizarch.endpoint.executor import EndpointLimits, QueryExecutor
from bizarch.errors import QueryError
from tests.endpoint.conftest import SLOW_QUERY


def test_a_slow_query_times_out_and_other_queries_still_run(slow_engine: ox.Store) -> None:
    executor = QueryExecutor(EndpointLimits(timeout_s=0.3, max_concurrent=2))
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeoutError, match=r"longer than 0\.3 s"):
            executor.execute(slow_engine, SLOW_QUERY)
        assert time.monotonic() - started < 1.0
        # the runaway still holds one slot; the other one answers at once
        quick = time.monotonic()
        outcome = executor.execute(slow_engine, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert time.monotonic() - quick < 1.5  # the runaway has ~3 s of engine time left
        assert outcome.solutions is not None
        assert outcome.solutions[0][0] == ox.Literal(190)
    finally:
        executor.shutdown()


def test_when_every_slot_is_busy_new_queries_are_refused_at_once(slow_engine: ox.Store) -> None:
    executor = QueryExecutor(EndpointLimits(timeout_s=0.2, max_concurrent=1))
    try:
        with pytest.raises(QueryTimeoutError):
            executor.execute(slow_engine, SLOW_QUERY)
        with pytest.raises(EndpointBusyError, match="query slots are busy"):
            executor.execute(slow_engine, "ASK { }")
        # once the engine is done with the runaway, its slot is free again
        deadline = time.monotonic() + 30
        while True:
            try:
                assert executor.execute(slow_engine, "ASK { ?s ?p ?o }").boolean is True
                break
            except EndpointBusyError:
                assert time.monotonic() < deadline, "the slot never came back"
                time.sleep(0.2)
    finally:
        executor.shutdown()


def test_rows_beyond_the_cap_are_cut_and_flagged(slow_engine: ox.Store) -> None:
    executor = QueryExecutor(EndpointLimits(max_rows=40))
    try:
        outcome = executor.execute(slow_engine, "SELECT ?s WHERE { ?s ?p ?o }")
        assert outcome.solutions is not None and len(outcome.solutions) == 40
        assert outcome.truncated
        graph = executor.execute(slow_engine, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert graph.triples is not None and len(graph.triples) == 40 and graph.truncated
        small = executor.execute(slow_engine, "SELECT ?s WHERE { ?s ?p 3 }")
        assert small.solutions == [(ox.NamedNode("urn:e:3"),)]
        assert not small.truncated
    finally:
        executor.shutdown()


def test_dataset_parameters_choose_the_default_and_named_graphs(slow_engine: ox.Store) -> None:
    executor = QueryExecutor(EndpointLimits())
    try:
        count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        union = executor.execute(slow_engine, count)
        assert union.solutions == [(ox.Literal(190),)]
        other = executor.execute(slow_engine, count, default_graphs=["urn:other"])
        assert other.solutions == [(ox.Literal(0),)]
        named = executor.execute(
            slow_engine,
            "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }",
            named_graphs=["urn:g"],
        )
        assert named.solutions == [(ox.NamedNode("urn:g"),)]
    finally:
        executor.shutdown()


def test_syntax_errors_carry_the_parsers_message(slow_engine: ox.Store) -> None:
    executor = QueryExecutor(EndpointLimits())
    try:
        with pytest.raises(QueryError, match=r"SPARQL syntax error: error at 1:\d+"):
            executor.execute(slow_engine, "SELECT * WHERE { ?s ?p }")
    finally:
        executor.shutdown()


def test_the_engine_releases_the_gil_while_it_evaluates(slow_engine: ox.Store) -> None:
    """The design rests on this: Python threads keep running during a long engine call."""
    worker = threading.Thread(
        target=lambda: list(slow_engine.query(SLOW_QUERY, use_default_graph_as_union=True))
    )
    worker.start()
    ticks = 0
    longest = 0.0
    last = time.monotonic()
    while worker.is_alive():
        time.sleep(0.001)
        now = time.monotonic()
        longest = max(longest, now - last)
        last = now
        ticks += 1
    assert ticks > 100
    assert longest < 0.1
