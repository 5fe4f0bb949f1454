"""Embedded on-disk specifics: the one-process lock, the bulk path and its crash recovery,
reopening, and the serving store (disk as record, memory for reads)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch.errors import NotFoundError, RdfSyntaxError, StoreError, StoreLockedError
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.factory import open_store
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.serving import ServingStore
from bizarch.store.sparql_store import SparqlStore

G = "urn:bizarch:scenario:current"
T = "urn:bizarch:scenario:target"


def nt(n: int, start: int = 0) -> RdfSource:
    lines = "".join(
        f'<http://example.org/e{i}> <http://example.org/p> "{i}" .\n'
        for i in range(start, start + n)
    )
    return RdfSource(f"part{start}.nt", lines.encode(), RdfFormat.NTRIPLES)


def test_second_open_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    first = OxigraphStore(tmp_path / "s")
    with pytest.raises(StoreLockedError) as caught:
        OxigraphStore(tmp_path / "s")
    assert str(tmp_path / "s") in caught.value.message
    assert "--store http" in (caught.value.hint or "")
    first.close()
    again = OxigraphStore(tmp_path / "s")  # the lock is released by close()
    again.close()


def test_data_survives_close_and_reopen(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.load([nt(10)], G)
    store.close()
    store = OxigraphStore(tmp_path / "s", read_only=True)
    assert store.count(G) == 10
    store.close()


def test_missing_store_is_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no store"):
        OxigraphStore(tmp_path / "absent", create=False)
    assert not (tmp_path / "absent").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        OxigraphStore(tmp_path / "file")


def test_missing_store_is_not_created_when_served_either(tmp_path: Path) -> None:
    absent = tmp_path / "absent"
    with pytest.raises(NotFoundError) as direct:
        ServingStore(absent, create=False)
    with pytest.raises(NotFoundError) as through_factory:
        open_store(f"serve:{absent}", create=False)
    for caught in (direct, through_factory):  # the disk store's own message
        assert caught.value.message == f"There is no store at {absent}."
        assert "bizarch init" in (caught.value.hint or "")
    assert not absent.exists()


def test_bulk_path_loads_large_sets_into_empty_graphs(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1000)
    assert store.load([nt(100), nt(100, 100)], G) == 200
    assert store.count(G) == 200
    assert not (tmp_path / "s" / "bizarch-bulk-load.json").exists()
    # the graph is no longer empty: the next large load takes the transactional path
    assert store.load([nt(100, 200)], G) == 100
    assert store.count(G) == 300
    store.close()


def test_bulk_path_failing_late_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1000)
    store.load([nt(5)], T)
    bad = RdfSource("bad.nt", b"<http://e/a> <http://e/p> .\n", RdfFormat.NTRIPLES)
    with pytest.raises(RdfSyntaxError, match=r"bad\.nt, line 1"):
        store.load([nt(3000), bad], G)  # 3,000 quads stream into the engine before the error
    assert [(g.name, g.triples) for g in store.graphs()] == [(T, 5)]
    assert not (tmp_path / "s" / "bizarch-bulk-load.json").exists()
    store.close()


def test_large_dataset_touching_a_filled_graph_falls_back_to_one_transaction(
    tmp_path: Path,
) -> None:
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1000)
    store.load([nt(5)], T)
    lines = [f'<http://e/n{i}> <http://e/p> "{i}" <{G}> .\n' for i in range(200)]
    lines += [f'<http://e/m{i}> <http://e/p> "{i}" <{T}> .\n' for i in range(200)]
    dataset = RdfSource("both.nq", "".join(lines).encode(), RdfFormat.NQUADS)
    assert store.load([dataset], None) == 400
    assert [(g.name, g.triples) for g in store.graphs()] == [(G, 200), (T, 205)]
    store.close()


def test_interrupted_bulk_load_is_rolled_back_on_next_open(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.load([nt(5)], T)
    # what a killed bulk load leaves behind: part of the data and the marker naming the graph
    store.engine.bulk_extend(
        [
            ox.Quad(
                ox.NamedNode("http://e/x"),
                ox.NamedNode("http://e/p"),
                ox.Literal("1"),
                ox.NamedNode(G),
            )
        ]
    )
    (tmp_path / "s" / "bizarch-bulk-load.json").write_text(json.dumps([G]))
    store.close()
    store = OxigraphStore(tmp_path / "s")
    assert [(g.name, g.triples) for g in store.graphs()] == [(T, 5)]
    assert not (tmp_path / "s" / "bizarch-bulk-load.json").exists()
    store.close()


def test_interrupted_load_is_undone_from_the_recorded_graph_state(tmp_path: Path) -> None:
    """The marker records which graphs existed and held data; the next open restores that."""
    store = OxigraphStore(tmp_path / "s")
    store.load([nt(5)], T)
    empty = ox.NamedNode("urn:bizarch:scenario:empty")
    store.engine.add_graph(empty)
    marker = {"existing": [T, empty.value], "filled": [T], "default_filled": False}
    (tmp_path / "s" / "bizarch-bulk-load.json").write_text(json.dumps(marker))
    # what a killed load leaves behind: quads in a new graph, the empty graph and the default one
    for graph in (ox.NamedNode(G), empty, ox.DefaultGraph()):
        store.engine.add(
            ox.Quad(ox.NamedNode("http://e/x"), ox.NamedNode("http://e/p"), ox.Literal("1"), graph)
        )
    store.close()
    store = OxigraphStore(tmp_path / "s")
    assert [(g.name, g.triples) for g in store.graphs()] == [(empty.value, 0), (T, 5)]
    assert len(store.engine) == 5
    assert not (tmp_path / "s" / "bizarch-bulk-load.json").exists()
    store.close()


def test_serving_store_reads_memory_and_writes_through(tmp_path: Path) -> None:
    disk = OxigraphStore(tmp_path / "s")
    disk.load([nt(20)], G)
    disk.close()
    serving = ServingStore(tmp_path / "s")
    assert serving.count(G) == 20
    serving.update(
        "INSERT DATA { GRAPH <urn:bizarch:scenario:target> { <http://e/a> <http://e/p> 1 } }"
    )
    serving.update(
        "INSERT { GRAPH <urn:bizarch:scenario:target> { <http://e/b> <http://e/id> ?u } } "
        "WHERE { BIND(STRUUID() AS ?u) }"
    )
    serving.load([nt(3, 100)], T)
    serving.clear(G)
    disk_view = serving.disk
    assert serving.memory.count() == disk_view.count() == 5
    uuid_q = "SELECT ?u WHERE { <http://e/b> <http://e/id> ?u }"
    assert (
        serving.query(uuid_q, default_graphs=[T]).rows
        == disk_view.query(  # type: ignore[union-attr]
            uuid_q, default_graphs=[T]
        ).rows
    )
    serving.close()
    reopened = OxigraphStore(tmp_path / "s")
    assert reopened.count(T) == 5
    reopened.close()


def test_factory_maps_address_forms(tmp_path: Path) -> None:
    memory = open_store("memory:")
    assert isinstance(memory, OxigraphStore) and memory.path is None
    disk = open_store(tmp_path / "d")
    assert isinstance(disk, OxigraphStore) and disk.path == tmp_path / "d"
    disk.close()
    served = open_store(f"serve:{tmp_path / 'd'}")
    assert isinstance(served, ServingStore)
    served.close()
    remote = open_store("http://127.0.0.1:9/query")
    assert isinstance(remote, SparqlStore)
    assert remote.update_endpoint == "http://127.0.0.1:9/update"
    assert remote.gsp_endpoint == "http://127.0.0.1:9/store"
    sparql = open_store("https://example.org/sparql")
    assert (
        isinstance(sparql, SparqlStore) and sparql.update_endpoint == "https://example.org/sparql"
    )
    assert sparql.gsp_endpoint is None
    with pytest.raises(StoreError, match="Credentials"):
        open_store("http://user:pw@127.0.0.1:9/query")
    with pytest.raises(StoreError, match="Unsupported"):
        open_store("ftp://example.org/x")


def test_unreachable_remote_is_a_store_error() -> None:
    from tests.conftest import free_port

    store = open_store(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreError, match="Cannot reach"):
        store.graphs()
