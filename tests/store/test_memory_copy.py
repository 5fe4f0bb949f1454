"""Copying an on-disk store into memory with a helper process: the copy holds exactly the
statements copied (blank nodes included), and a helper that fails, stalls or writes too little
loses nothing."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch.store import memory_copy as mc
from bizarch.store.oxigraph_store import OxigraphStore

EX = "https://example.org/"
CURRENT = ox.NamedNode("urn:bizarch:scenario:current")
TARGET = ox.NamedNode("urn:bizarch:scenario:target")
ONTOLOGY = ox.NamedNode("https://w3id.org/bizarch/ontology")


XSD = "http://www.w3.org/2001/XMLSchema#"

ODD_VALUES: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [
    *(
        ox.Literal(text, datatype=ox.NamedNode(XSD + kind))
        for text, kind in [
            ("1", "decimal"),
            ("-0.5", "decimal"),
            ("+1", "integer"),
            ("-7", "integer"),
            ("12", "int"),
            ("INF", "double"),
            ("NaN", "double"),
            ("-1.5E-3", "double"),
            ("1", "float"),
            ("true", "boolean"),
            ("TRUE", "boolean"),  # not a boolean: kept as written
            ("abc", "integer"),  # not an integer either
            ("2024-02-29", "date"),
            ("P1DT2H", "duration"),
            ("x", "string"),
        ]
    ),
    ox.Literal('tab\there, "quoted", back\\slash\nnew line\r'),
    ox.Literal("Zürich → 東京 🚀"),
    ox.Literal("chat", language="fr"),
    ox.Literal("colour", language="en-GB"),
    ox.Literal("<not an IRI> . _:b"),
    ox.NamedNode("urn:x-odd:a%20b?c=d#e"),
    ox.NamedNode("https://example.org/é"),
    ox.BlankNode("odd1"),
]
"""Objects of one element: every kind of literal a store can hold, written out and read back
by the helper as text (Turtle's short forms of numbers and booleans included)."""


def _model() -> list[ox.Quad]:
    """Three graphs and the default graph; blank nodes whose statements use many predicates
    (so both processes write statements about one blank node)."""
    quads: list[ox.Quad] = []
    for graph, size in ((CURRENT, 300), (TARGET, 120)):
        for i in range(size):
            element = ox.NamedNode(f"{EX}e{i}")
            note = ox.BlankNode(f"note{graph.value[-3:]}{i}")
            quads += [
                ox.Quad(element, ox.NamedNode(f"{EX}p{i % 7}"), ox.Literal(f"v{i}"), graph),
                ox.Quad(element, ox.NamedNode(f"{EX}note"), note, graph),
                ox.Quad(note, ox.NamedNode(f"{EX}text"), ox.Literal(f"n{i}", language="en"), graph),
                ox.Quad(note, ox.NamedNode(f"{EX}q{i % 3}"), ox.Literal(i), graph),
            ]
    quads.append(
        ox.Quad(ox.NamedNode(f"{EX}C"), ox.NamedNode(f"{EX}label"), ox.Literal("C"), ONTOLOGY)
    )
    odd = ox.NamedNode(f"{EX}odd")
    quads += [ox.Quad(odd, ox.NamedNode(f"{EX}value"), value, CURRENT) for value in ODD_VALUES]
    quads.append(ox.Quad(ox.NamedNode(f"{EX}d"), ox.NamedNode(f"{EX}p0"), ox.Literal("d")))
    return quads


@pytest.fixture(scope="module")
def disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    store = OxigraphStore(tmp_path_factory.mktemp("copy") / "store")
    store.engine.extend(_model())
    store.engine.flush()
    yield store
    store.close()


@pytest.fixture(autouse=True)
def always_split(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Split even this small model; the helper's temporary files go to ``tmp_path``."""
    monkeypatch.setattr(mc, "SPLIT_MIN_QUADS", 0)
    monkeypatch.setattr(mc, "SPLIT_MIN_BYTES", 0)
    monkeypatch.delenv(mc.ENV_SWITCH, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _all(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.engine.quads_for_pattern(None, None, None, None))


def test_the_copy_holds_every_statement_with_its_blank_nodes(
    disk: OxigraphStore, tmp_path: Path
) -> None:
    copy = mc.memory_copy(disk)
    record = mc.last_record
    assert record.helper_used and record.helper_problem is None, record.helper_problem
    assert record.own and record.helper  # both processes copied a share
    own, helper = sum(u.quads for u in record.own), sum(u.quads for u in record.helper)
    largest = max(u.quads for u in record.own + record.helper)
    assert abs(helper - mc.HELPER_SHARE * (own + helper)) <= largest
    assert _all(copy) == _all(disk) and len(copy.engine) == len(_model())
    # A blank node written by the helper is the node this process copied other statements of.
    notes = {
        q.object for q in copy.engine.quads_for_pattern(None, ox.NamedNode(f"{EX}note"), None, None)
    }
    texts = {
        q.subject
        for q in copy.engine.quads_for_pattern(None, ox.NamedNode(f"{EX}text"), None, None)
    }
    assert notes == texts and len(notes) == 420
    assert list(tmp_path.iterdir()) == []  # the helper's file is gone
    assert disk.path is not None  # and the checkpoint it read, made beside the store
    assert [p.name for p in disk.path.parent.iterdir()] == [disk.path.name]


def test_without_a_checkpoint_one_process_copies(
    disk: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mc, "_snapshot", lambda source: None)
    copy = mc.memory_copy(disk)
    record = mc.last_record
    assert not record.helper_used and record.helper_problem == (
        "no snapshot of the store could be made beside it"
    )
    assert _all(copy) == _all(disk)


def test_graphs_merged_into_one(disk: OxigraphStore) -> None:
    copy = mc.memory_copy(disk, [CURRENT.value, ONTOLOGY.value], into=CURRENT.value)
    assert mc.last_record.helper_used
    expected = {
        ox.Quad(q.subject, q.predicate, q.object, CURRENT)
        for g in (CURRENT, ONTOLOGY)
        for q in disk.engine.quads_for_pattern(None, None, None, g)
    }
    assert _all(copy) == expected and len(expected) == 1201 + len(ODD_VALUES)


def test_the_helper_writes_every_kind_of_term_back_as_it_was(
    disk: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything goes through the helper's text: literals of every kind, odd IRIs, blank nodes
    (and the default graph, which this process always copies itself)."""
    monkeypatch.setattr(mc, "_split", lambda units: list(units))
    copy = mc.memory_copy(disk)
    record = mc.last_record
    assert record.helper_used and not record.own, record.helper_problem
    assert _all(copy) == _all(disk)
    odd = ox.NamedNode(f"{EX}odd")
    copied = {q.object for q in copy.engine.quads_for_pattern(odd, None, None)}
    assert copied == {q.object for q in disk.engine.quads_for_pattern(odd, None, None)}
    assert len(copied) == len(ODD_VALUES)


@pytest.mark.parametrize(
    ("program", "problem"),
    [
        ("import sys; sys.exit(3)", "the helper failed (3)"),
        ("pass", "the helper wrote 0 statements"),
        ("import sys; sys.stdout.write('not n-quads'); sys.exit(0)", "could not be read"),
        ("import time; time.sleep(30)", "did not finish"),
    ],
)
def test_a_helper_that_does_not_help_loses_nothing(
    disk: OxigraphStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, program: str, problem: str
) -> None:
    monkeypatch.setattr(mc, "_helper_command", lambda: [sys.executable, "-c", program])
    monkeypatch.setattr(mc, "STALL_SECONDS", 1.0)
    copy = mc.memory_copy(disk)
    record = mc.last_record
    assert not record.helper_used and record.helper
    assert record.helper_problem is not None and problem in record.helper_problem
    assert _all(copy) == _all(disk)
    assert list(tmp_path.iterdir()) == []
    assert disk.path is not None and len(list(disk.path.parent.iterdir())) == 1


def test_small_copies_and_the_switch_use_one_process(
    disk: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(mc.ENV_SWITCH, "0")
    copy = mc.memory_copy(disk)
    assert not mc.last_record.helper and _all(copy) == _all(disk)
    monkeypatch.delenv(mc.ENV_SWITCH)
    monkeypatch.setattr(mc, "SPLIT_MIN_QUADS", 10_000)
    copy = mc.memory_copy(disk, [TARGET.value])
    assert not mc.last_record.helper
    assert _all(copy) == set(disk.engine.quads_for_pattern(None, None, None, TARGET))


def test_a_store_small_on_disk_is_copied_without_counting(
    disk: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mc, "SPLIT_MIN_BYTES", 1 << 40)
    monkeypatch.setattr(mc, "units_of", lambda *args: pytest.fail("counted a small store"))
    copy = mc.memory_copy(disk, [CURRENT.value, ONTOLOGY.value], into=CURRENT.value)
    assert not mc.last_record.helper and len(copy.engine) == 1201 + len(ODD_VALUES)


def test_checkpoints_left_by_a_crashed_copy_are_removed(disk: OxigraphStore) -> None:
    """A checkpoint's hard links would keep compacted files on disk for good."""
    assert disk.path is not None
    stale = disk.path.parent / f".{disk.path.name}-copy-crashed"
    fresh = disk.path.parent / f".{disk.path.name}-copy-running"
    for folder in (stale, fresh):
        (folder / "store").mkdir(parents=True)
    old = time.time() - 2 * mc.STALE_SNAPSHOT_SECONDS
    os.utime(stale, (old, old))
    try:
        mc.memory_copy(disk)
        assert mc.last_record.helper_used
        assert not stale.exists() and fresh.exists()  # another process may be copying now
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
