"""Copy an on-disk store (or some of its graphs) into memory, with a helper process.

Why: a full validation and the serving store read a large model from an in-memory copy, and
making that copy is bound by reading RocksDB: every term of every quad is decoded on its own
(uncached), about 10 us of one core per quad, while filling the in-memory store costs about a
third of that (``docs/benchmarks.md``). From :data:`SPLIT_MIN_QUADS` on, a helper process
(:mod:`bizarch.store.copy_helper`, a fresh interpreter with its own read-only handle on a
checkpoint) reads most of the statements, split by (graph, predicate) with the counts the store
gives (``queries/store/predicate-counts.rq``): it asks the engine for each unit's subjects and
objects as TSV, written in Rust, and turns them into TriG in a temporary file, unit after unit.
This process copies the rest itself, then parses the helper's file as it grows (blank-node labels
kept, so blank nodes stay one node across both shares). The helper takes :data:`HELPER_SHARE`
of the statements, so that both finish together: this process pays for parsing what the helper
wrote.

Nothing is lost when the helper cannot help: if it cannot start, fails, stalls or wrote another
number of statements than the store counted, this process copies its share itself. The copy holds
exactly the statements of the graphs copied (a test compares both, blank nodes and literals of
every kind included).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from bizarch.store.base import SelectResult
from bizarch.store.bindings import values_clause
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.store_queries import PREDICATE_COUNTS, UNIT_STATEMENTS, store_query

SPLIT_MIN_QUADS = 25_000
"""Below this many quads one process copies: starting the helper (about 0.1 s), counting per
predicate and parsing the helper's share then cost what the second core saves (the copy of 12,600
quads: 0.11-0.19 s alone, 0.16-0.21 s with the helper; of 49,400: 0.45-0.71 s alone, 0.32-0.47 s
with it; alternating runs)."""

SPLIT_MIN_BYTES = 10 * 1024 * 1024
"""Stores smaller on disk than this are copied by one process without counting them first
(counting per predicate costs 0.05 s at 100k quads, 0.6-0.9 s at 1M; the benchmark's stores take
180-380 bytes per quad of all their graphs in data files)."""

HELPER_SHARE = 0.7
"""The helper's part of the statements. It reads about one statement per 10 us (1M quads);
this process reads its own at about 12 us each and then parses each of the helper's in about
4 us, so the two finish together near 70/30."""

ENV_SWITCH = "BIZARCH_PARALLEL_COPY"
"""Set to ``0`` to copy in this process only."""

HELPER = Path(__file__).with_name("copy_helper.py")

STALL_SECONDS = 60.0
"""How long this process waits for the helper once its own half is done (plus 3x that half's
time) before it stops the helper and copies the helper's half itself."""


@dataclass(frozen=True)
class Unit:
    """The statements of one predicate in one named graph."""

    graph: str
    predicate: str
    quads: int


@dataclass
class CopyRecord:
    """What a copy did (for tests and benchmarks): units per process, and whether the helper's
    half came from the helper."""

    own: list[Unit] = field(default_factory=list)
    helper: list[Unit] = field(default_factory=list)
    helper_used: bool = False
    helper_problem: str | None = None


last_record = CopyRecord()
"""The record of the latest copy of this process."""


def memory_copy(
    source: OxigraphStore, graphs: Sequence[str] | None = None, *, into: str | None = None
) -> OxigraphStore:
    """An in-memory copy of ``graphs`` of ``source`` (every graph and the default graph when
    ``None``); ``into`` puts every copied statement into that one named graph (a merged copy).
    """
    global last_record
    record = CopyRecord()
    last_record = record
    copy = OxigraphStore(None)
    target = ox.NamedNode(into) if into else None
    units: list[Unit] = []
    if (
        source.path is not None  # in memory already: nothing to decode, nothing to share
        and _disk_bytes(source.path) >= SPLIT_MIN_BYTES
        and os.environ.get(ENV_SWITCH, "1") != "0"
    ):
        units = units_of(source, graphs)
    if not units or sum(u.quads for u in units) < SPLIT_MIN_QUADS:
        _copy_graphs(source, copy, graphs, target)  # one process, one scan per graph
        return copy
    assert source.path is not None
    helper_units = _split(units)
    own = [u for u in units if u not in set(helper_units)]
    record.own, record.helper = own, helper_units
    helper = _start_helper(source, helper_units, into, record) if helper_units else None
    started = time.perf_counter()
    if graphs is None:  # the default graph is not named by any unit
        copy.engine.bulk_extend(
            _moved(q, target)
            for q in source.engine.quads_for_pattern(None, None, None, ox.DefaultGraph())
        )
    copy.engine.bulk_extend(_unit_quads(source, own, target))
    if helper is not None:
        waited = STALL_SECONDS + 3 * (time.perf_counter() - started)
        record.helper_used = helper.finish(copy, sum(u.quads for u in helper_units), waited)
        record.helper_problem = helper.problem
    if helper_units and not record.helper_used:
        copy.engine.bulk_extend(_unit_quads(source, helper_units, target))
    return copy


def _copy_graphs(
    source: OxigraphStore,
    copy: OxigraphStore,
    graphs: Sequence[str] | None,
    target: ox.NamedNode | None,
) -> None:
    """Copy graph by graph; only statements that change graph pass through Python code."""
    if graphs is None and target is None:
        copy.engine.bulk_extend(source.engine.quads_for_pattern(None, None, None, None))
        return
    names = [ox.NamedNode(g) for g in graphs] if graphs is not None else [None]
    for name in names:
        found = source.engine.quads_for_pattern(None, None, None, name)
        if target is None or name == target:
            copy.engine.bulk_extend(found)
        else:
            copy.engine.bulk_extend(_moved(q, target) for q in found)


def _disk_bytes(path: Path) -> int:
    """The size of the store's data files (a free hint of its size: counting costs a scan).

    RocksDB's table files (``*.sst``) and write-ahead logs (``*.log``); not its info logs
    (``LOG``, ``LOG.old.*``), which pile up with every opening (12 MB of them beside a 46 MB store).
    """
    try:
        return sum(
            f.stat().st_size for f in path.iterdir() if f.suffix in (".sst", ".log") and f.is_file()
        )
    except OSError:
        return 0


def _moved(quad: ox.Quad, target: ox.NamedNode | None) -> ox.Quad:
    if target is None or quad.graph_name == target:
        return quad
    return ox.Quad(quad.subject, quad.predicate, quad.object, target)


def _unit_quads(
    store: OxigraphStore, units: Iterable[Unit], target: ox.NamedNode | None
) -> Iterator[ox.Quad]:
    for unit in units:
        graph = ox.NamedNode(unit.graph)
        found = store.engine.quads_for_pattern(None, ox.NamedNode(unit.predicate), None, graph)
        if target is None or target == graph:
            yield from found
        else:
            for quad in found:
                yield ox.Quad(quad.subject, quad.predicate, quad.object, target)


def units_of(store: OxigraphStore, graphs: Sequence[str] | None) -> list[Unit]:
    """The (graph, predicate) units of ``graphs`` (every named graph when ``None``) with their
    sizes, as the store counts them."""
    text = store_query(PREDICATE_COUNTS)
    names: list[str | None] = list(graphs) if graphs is not None else [None]
    units: list[Unit] = []
    for name in dict.fromkeys(names):
        bindings = {"graph": ox.NamedNode(name)} if name is not None else None
        result = store.query(text, bindings=bindings)
        if not isinstance(result, SelectResult):  # pragma: no cover - a SELECT query
            raise TypeError(f"{PREDICATE_COUNTS} must be a SELECT query")
        for graph, predicate, count in result.rows:
            if isinstance(graph, ox.NamedNode) and isinstance(predicate, ox.NamedNode):
                units.append(Unit(graph.value, predicate.value, int(count.value)))
    return units


def _split(units: list[Unit]) -> list[Unit]:
    """The helper's share: about :data:`HELPER_SHARE` of the quads (largest units first, each to
    the side furthest below its part; this process takes the first, so that it is never idle
    while the helper starts)."""
    own_load = helper_load = 0
    helper: list[Unit] = []
    for unit in sorted(units, key=lambda u: (-u.quads, u.graph, u.predicate)):
        if helper_load / HELPER_SHARE < own_load / (1 - HELPER_SHARE):
            helper.append(unit)
            helper_load += unit.quads
        else:
            own_load += unit.quads
    return helper


class _Stalled(OSError):
    """The helper wrote nothing more before its deadline."""


class _GrowingFile:
    """The helper's output file, read while the helper writes it: a read waits for more bytes
    until the helper has exited (then the file is whole) or ``timeout`` seconds have passed."""

    POLL_SECONDS = 0.002

    def __init__(self, path: Path, process: subprocess.Popen[bytes], timeout: float) -> None:
        self._file = path.open("rb")
        self._process = process
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout

    def read(self, size: int | None = -1) -> bytes:
        size = 1 << 16 if size is None or size < 0 else size
        while True:
            data = self._file.read(size)
            if data or self._process.poll() is not None:
                return data or self._file.read(size)
            if time.monotonic() > self._deadline:
                raise _Stalled(f"the helper did not finish within {self._timeout:.0f} s")
            time.sleep(self.POLL_SECONDS)

    def close(self) -> None:
        self._file.close()


class _Helper:
    """A running helper process writing its share to a temporary file."""

    def __init__(
        self, process: subprocess.Popen[bytes], output: Path, directory: str, snapshot: Path
    ) -> None:
        self.process = process
        self.output = output
        self.directory = directory
        self.snapshot = snapshot
        self.problem: str | None = None

    def finish(self, copy: OxigraphStore, expected: int, timeout: float) -> bool:
        """Add what the helper writes to ``copy`` as it comes, until the helper exits; False if
        it did not help (``timeout``: how long to wait for the helper to finish)."""
        growing: _GrowingFile | None = None
        try:
            growing = _GrowingFile(self.output, self.process, timeout)
            counted = _Counter(ox.parse(growing, format=ox.RdfFormat.TRIG, lenient=True))
            try:
                copy.engine.bulk_extend(counted)
            except (OSError, SyntaxError, ValueError) as exc:
                unreadable = f"the helper's output could not be read: {exc}"
                self.problem = self._failure() or (str(exc) if _stalled(exc) else unreadable)
                return False
            self.problem = self._failure()
            if self.problem is None and counted.seen != expected:
                self.problem = f"the helper wrote {counted.seen} statements, not {expected}"
            return self.problem is None  # if not, the caller adds the share: the copy is a set
        except OSError as exc:  # the output file could not be opened
            self.problem = f"the helper's output could not be read: {exc}"
            return False
        finally:
            if growing is not None:
                growing.close()
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            if self.process.stderr is not None:
                self.process.stderr.close()
            self.output.unlink(missing_ok=True)
            os.rmdir(self.directory)
            shutil.rmtree(self.snapshot, ignore_errors=True)

    def _failure(self) -> str | None:
        """Why the helper failed, if it has exited with an error."""
        code = self.process.poll()
        if code is None or code == 0:
            return None
        message = (self.process.stderr.read() if self.process.stderr else b"")[-300:]
        return f"the helper failed ({code}): {message.decode(errors='replace')}"


def _stalled(exc: BaseException) -> bool:
    """Whether the parser stopped because the helper stalled (pyoxigraph may wrap the error)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, _Stalled) or "did not finish within" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _Counter:
    """Counts the quads passing through (to compare with the store's count)."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self._quads = iter(quads)
        self.seen = 0

    def __iter__(self) -> Iterator[ox.Quad]:
        for quad in self._quads:
            self.seen += 1
            yield quad


def _helper_command() -> list[str]:
    """The helper's command line (tests replace it). ``-P``: the helper's folder is not put on
    ``sys.path`` (its neighbours must not shadow standard modules); no package import."""
    return [sys.executable, "-P", str(HELPER)]


def _snapshot(source: OxigraphStore) -> Path | None:
    """A RocksDB checkpoint of ``source`` for the helper to open, or ``None`` if none can be made.

    Why: opening a read-only handle on the live store races with RocksDB replacing files (a
    compaction after the store opened deletes SST files the MANIFEST being read still names:
    "Corruption: No such file", seen in 5 of 60 opens under load). A checkpoint is made of hard
    links in about a millisecond and never changes. It must be on the store's file system (hard
    links), so it is a hidden folder beside the store, removed when the copy is done (one left
    by a crash is removed by a later copy, an hour on).
    """
    assert source.path is not None
    parent = source.path.parent
    prefix = f".{source.path.name}-copy-"
    _remove_stale(parent, prefix)
    try:
        folder = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    except OSError:
        return None
    try:
        source.engine.backup(str(folder / "store"))
    except (OSError, RuntimeError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return folder


STALE_SNAPSHOT_SECONDS = 3600.0
"""A checkpoint older than this was left by a process that died while copying (a copy takes
seconds); its hard links would keep files the store has compacted away on disk for good."""


def _remove_stale(parent: Path, prefix: str) -> None:
    """Remove checkpoints that a crashed copy left beside the store (best effort)."""
    now = time.time()
    try:
        leftovers = [p for p in parent.iterdir() if p.name.startswith(prefix) and p.is_dir()]
    except OSError:
        return
    for folder in leftovers:
        try:
            if now - folder.stat().st_mtime > STALE_SNAPSHOT_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _start_helper(
    source: OxigraphStore, units: list[Unit], into: str | None, record: CopyRecord
) -> _Helper | None:
    snapshot = _snapshot(source)
    if snapshot is None:
        record.helper_problem = "no snapshot of the store could be made beside it"
        return None
    directory = tempfile.mkdtemp(prefix="bizarch-copy-")
    output = Path(directory) / "share.trig"
    text = store_query(UNIT_STATEMENTS)
    request = {
        "store": str(snapshot / "store"),
        "units": [
            {
                "query": text
                + values_clause(
                    {"graph": ox.NamedNode(u.graph), "predicate": ox.NamedNode(u.predicate)}
                ),
                "graph": into or u.graph,
                "predicate": u.predicate,
            }
            for u in units
        ],
    }
    process: subprocess.Popen[bytes] | None = None
    try:
        with output.open("wb") as out:
            process = subprocess.Popen(
                _helper_command(), stdin=subprocess.PIPE, stdout=out, stderr=subprocess.PIPE
            )
        assert process.stdin is not None
        process.stdin.write(json.dumps(request).encode("utf-8"))
        process.stdin.close()
    except OSError as exc:  # no process to spare, or it died before reading its request
        record.helper_problem = f"the helper could not start: {exc}"
        if process is not None:
            process.kill()
            process.wait()
            if process.stderr is not None:
                process.stderr.close()
        output.unlink(missing_ok=True)
        os.rmdir(directory)
        shutil.rmtree(snapshot, ignore_errors=True)
        return None
    return _Helper(process, output, directory, snapshot)
