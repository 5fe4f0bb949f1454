"""A full validation of an on-disk store shares its checks with a forked process: same findings,
and a child that fails or is not allowed loses nothing."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch.generator import generate_quads
from bizarch.repository import Repository
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.serving import ServingStore
from bizarch.validation import parallel, sparql_engine
from bizarch.validation.report import Finding
from bizarch.validation.service import run_validation

SCRATCH = ox.NamedNode("urn:test:scratch")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="sharing needs two cores")


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """A generated model (it has warnings: processes without activities, ...) on disk."""
    store = OxigraphStore(tmp_path_factory.mktemp("parallel") / "store")
    Repository(store).ensure_ontology()
    store.add_quads(generate_quads(6_000, 5))
    yield store
    store.close()


def _keys(findings: list[Finding]) -> list[tuple[object, ...]]:
    """What a finding says, its element's name included (named by the process that found it)."""
    return sorted((*f.key(), f.message, f.focus_label) for f in findings)


def _count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of this process's forks from now on (the validation must really share its
    work), with sharing from the smallest model on."""
    made: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(parallel.os, "fork", counting_fork)
    monkeypatch.setattr(sparql_engine, "PARALLEL_MIN_QUADS", 0)
    return made


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts forks in a process taken as single-threaded (the CLI's case)."""
    made = _count_forks(monkeypatch)
    # Other tests leave idle server threads behind; the CLI process the rule is for has none.
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    return made


def _alone_then_shared(
    store: OxigraphStore, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Finding], list[Finding]]:
    """Findings of a full validation in one process, then shared with a child (one fork)."""
    monkeypatch.setenv(parallel.ENV_SWITCH, "0")
    alone = run_validation(store, "current").report.findings
    assert forks == []
    monkeypatch.delenv(parallel.ENV_SWITCH)
    shared = run_validation(store, "current").report.findings
    assert len(forks) == 1
    return alone, shared


def test_shared_validation_finds_what_one_process_finds(
    generated_store: OxigraphStore, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, shared = _alone_then_shared(generated_store, forks, monkeypatch)
    assert len(alone) > 50 and {f.rule_id for f in alone} >= {"OPS-002"}
    assert _keys(shared) == _keys(alone)
    named = [f for f in shared if f.focus_label is not None]
    assert len(named) > 50 and all(f.focus_label.strip() for f in named)


def test_an_in_memory_store_is_shared_too(
    generated_store: OxigraphStore, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store a single-threaded process holds in memory (no copy) is shared as it is."""
    memory = OxigraphStore(None)
    memory.engine.bulk_extend(generated_store.engine.quads_for_pattern(None, None, None, None))
    alone, shared = _alone_then_shared(memory, forks, monkeypatch)
    assert len(alone) > 50 and _keys(shared) == _keys(alone)


def test_a_failing_child_loses_no_finding(
    generated_store: OxigraphStore, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _keys(run_validation(generated_store, "current").report.findings)

    def fail_after_some_work() -> None:
        raise RuntimeError("the child breaks")

    monkeypatch.setattr(parallel, "_child_hook", fail_after_some_work)
    got = _keys(run_validation(generated_store, "current").report.findings)
    assert len(forks) == 2
    assert got == expected


def test_the_parent_reruns_what_a_child_took_when_it_dies(forks: list[int]) -> None:
    """Tasks the child claimed before dying are run again by the parent."""
    calls: list[int] = []

    def run(task: int) -> list[Finding]:
        calls.append(task)
        if os.getpid() != parent and task >= 0:
            os._exit(7)  # the child dies holding its task
        return [_finding(f"R-{task}")]

    parent = os.getpid()
    found = parallel.run_shared(list(range(40)), run)
    assert len(forks) == 1
    assert sorted(f.rule_id for f in found) == sorted(f"R-{i}" for i in range(40))


def test_a_refused_fork_runs_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(parallel.os, "fork", no_fork)
    found = parallel.run_shared(list(range(5)), lambda t: [_finding(f"R-{t}")])
    assert sorted(f.rule_id for f in found) == [f"R-{i}" for i in range(5)]


def _finding(rule: str) -> Finding:
    return Finding(rule_id=rule, focus_node="x", severity=None, message="")  # type: ignore[arg-type]


def test_no_fork_where_it_is_not_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as alone:
        alone.setattr(parallel.threading, "active_count", lambda: 1)
        assert parallel.fork_safe()
        alone.setenv(parallel.ENV_SWITCH, "0")
        assert not parallel.fork_safe()
        assert not parallel.fork_safe(guarded=True)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not parallel.fork_safe()  # a server thread: forking would copy its locks
        assert parallel.fork_safe(guarded=True)  # unless the caller holds what they would take
    finally:
        stop.set()
        worker.join()


@pytest.fixture
def threaded_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts forks, with the process's real thread count (the server case)."""
    made = _count_forks(monkeypatch)
    monkeypatch.setattr(parallel, "STALL_SECONDS", 30.0)  # a stuck child shows as a failure
    return made


def test_a_served_store_is_shared_while_other_threads_read_and_write(
    generated_store: OxigraphStore,
    threaded_forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The web server's case: other threads query and write the served store meanwhile; the
    fork waits for no more than the write under way, and the child's findings come back."""
    disk = tmp_path / "served"
    OxigraphStore(disk).close()
    served = ServingStore(disk)
    try:
        served.add_quads(generated_store.engine.quads_for_pattern(None, None, None, None))
        monkeypatch.setenv(parallel.ENV_SWITCH, "0")
        alone = _keys(run_validation(served, "current").report.findings)
        monkeypatch.delenv(parallel.ENV_SWITCH)
        stop = threading.Event()
        done = {"reads": 0, "writes": 0}

        def server_thread(name: str) -> None:  # what request threads do to a served store
            n = 0
            while not stop.is_set():
                served.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
                done["reads"] += 1
                n += 1
                node = ox.NamedNode(f"urn:test:scratch:{name}:{n}")
                served.add_quads([ox.Quad(node, RDFS_LABEL, ox.Literal(str(n)), SCRATCH)])
                done["writes"] += 1

        workers = [threading.Thread(target=server_thread, args=(str(i),)) for i in range(2)]
        for worker in workers:
            worker.start()
        try:
            shared = _keys(run_validation(served, "current").report.findings)
            record = parallel.last_share
        finally:
            stop.set()
            for worker in workers:
                worker.join()
        assert threading.active_count() >= 1 and len(threaded_forks) == 1
        assert record.forked and record.child_returned and record.child_tasks > 0
        assert done["writes"] > 0 and done["reads"] > 0
        assert len(alone) > 50 and shared == alone
        assert served.count(SCRATCH.value) == done["writes"]  # no write was lost either
    finally:
        served.close()


def _validated_beside_an_idle_thread(store: OxigraphStore) -> list[Finding]:
    """A full validation while another thread (a server's) exists."""
    stop = threading.Event()
    idle = threading.Thread(target=stop.wait)
    idle.start()
    try:
        return run_validation(store, "current").report.findings
    finally:
        stop.set()
        idle.join()


def test_a_private_copy_is_shared_beside_other_threads(
    generated_store: OxigraphStore, threaded_forks: list[int]
) -> None:
    """A disk store is read through a copy made for the run: no other thread knows it."""
    found = _validated_beside_an_idle_thread(generated_store)
    assert len(threaded_forks) == 1 and parallel.last_share.child_returned
    assert {f.rule_id for f in found} >= {"OPS-002"}


def test_an_unguarded_memory_store_is_not_shared_beside_other_threads(
    generated_store: OxigraphStore, threaded_forks: list[int]
) -> None:
    """A plain in-memory store that other threads may write has no guard: one process."""
    memory = OxigraphStore(None)
    memory.engine.bulk_extend(generated_store.engine.quads_for_pattern(None, None, None, None))
    found = _validated_beside_an_idle_thread(memory)
    assert threaded_forks == [] and not parallel.last_share.forked
    assert {f.rule_id for f in found} >= {"OPS-002"}


def test_whole_model_checks_are_taken_first() -> None:
    """A long check taken last leaves the other process idle: SPARQL-based and closed shapes
    (which read the whole model) come first, checks of one property's values last."""
    from rdflib.namespace import SH

    from bizarch.validation.rules import RuleLibrary

    engine = sparql_engine.ENGINE.engine_for(RuleLibrary().select(None))
    tasks = [(unit, check) for unit in engine.units for check in unit.checks]
    ordered = sparql_engine._heaviest_first(tasks)
    assert sorted(map(id, ordered)) == sorted(map(id, tasks))  # the same checks
    whole = [
        i
        for i, (_unit, check) in enumerate(ordered)
        if check.sparql is not None or check.component == SH.ClosedConstraintComponent
    ]
    one_property = [
        i
        for i, (unit, check) in enumerate(ordered)
        if unit.subjects_of is not None and check.path == unit.subjects_of
    ]
    assert len(whole) > 10 and len(one_property) > 50
    assert max(whole) < min(one_property)
    assert whole == list(range(len(whole)))
