"""Disk as the system of record, memory for serving.

Why: at 1M triples the on-disk RocksDB store answers join-heavy queries 4-11x slower than an
in-memory pyoxigraph store (``docs/benchmarks.md``), while loading 1M triples into memory takes
a few seconds. A :class:`ServingStore` opens the on-disk store (holding its lock, so it stays the
one writer), copies it into memory once, answers every read from memory, and writes every change
to disk first (the durable, atomic commit) and then to memory.

"Atomic enough": if applying a change to the memory copy fails, or the update could give
different results when run twice (``UUID()``, ``NOW()``, ``RAND()``, ``BNODE()``, blank nodes in
templates), the memory copy is rebuilt from disk, so it never drifts from the record.
Writes are serialised by a lock; reads never wait for a write to finish (they see the state before
or after it).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from bizarch.store.base import GraphInfo, GraphStore, QueryResult, RdfFormat, RdfSource, Term
from bizarch.store.memory_copy import memory_copy
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.parsing import ProgressCallback

_NONDETERMINISTIC = re.compile(
    r"\b(?:UUID|STRUUID|NOW|RAND|BNODE)\s*\(|_:|\[\s*\]|\[\s*[<?a-zA-Z]", re.IGNORECASE
)


class ServingStore(GraphStore):
    """An on-disk :class:`OxigraphStore` mirrored into memory; reads hit the memory copy."""

    def __init__(
        self, path: Path, *, bulk_threshold: int | None = None, create: bool = True
    ) -> None:
        """Open (``create=False``: only open, never create) the disk store and copy it."""
        options = {} if bulk_threshold is None else {"bulk_threshold": bulk_threshold}
        self.disk = OxigraphStore(path, create=create, **options)
        self.path = path
        self.address = f"{path} (served from memory)"
        self._write_lock = threading.Lock()
        self.memory = self._copy()

    def _copy(self) -> OxigraphStore:
        return memory_copy(self.disk)

    def _rebuild(self) -> None:
        self.memory = self._copy()

    def _mirror(self, apply: Callable[[], object]) -> None:
        try:
            apply()
        except Exception:
            self._rebuild()

    # -- writes: disk first, then memory ---------------------------------------------------------

    def load(
        self,
        sources: Sequence[RdfSource],
        graph: str | None,
        progress: ProgressCallback | None = None,
        *,
        keep_named_graphs: bool = False,
    ) -> int:
        with self._write_lock:
            keep = keep_named_graphs
            added = self.disk.load(sources, graph, progress, keep_named_graphs=keep)
            if added > 100_000:
                self._rebuild()  # cheaper than parsing everything a second time
            else:
                self._mirror(lambda: self.memory.load(sources, graph, keep_named_graphs=keep))
            return added

    def update(self, sparql: str) -> None:
        with self._write_lock:
            self.disk.update(sparql)
            if _NONDETERMINISTIC.search(sparql):
                self._rebuild()
            else:
                self._mirror(lambda: self.memory.update(sparql))

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        items = list(quads)
        with self._write_lock:
            self.disk.add_quads(items)
            self._mirror(lambda: self.memory.add_quads(items))

    def clear(self, graph: str | None = None) -> None:
        with self._write_lock:
            self.disk.clear(graph)
            self._mirror(lambda: self.memory.clear(graph))

    @contextmanager
    def writes_paused(self) -> Iterator[None]:
        """No write starts or is under way while this is held.

        Why: a process forked to share a validation's checks (:mod:`bizarch.validation.parallel`)
        keeps the memory copy as it was at the fork, locks included; forked in the middle of a
        write, it would hold a half-applied change and locks no thread of its own can release.
        """
        with self._write_lock:
            yield

    # -- reads: memory -----------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> QueryResult:
        return self.memory.query(sparql, default_graphs=default_graphs, bindings=bindings)

    def export(self, out: IO[bytes], fmt: RdfFormat, graph: str | None = None) -> None:
        self.memory.export(out, fmt, graph)

    def graphs(self) -> list[GraphInfo]:
        return self.memory.graphs()

    def count(self, graph: str | None = None) -> int:
        return self.memory.count(graph)

    def has_graph(self, graph: str) -> bool:
        return self.memory.has_graph(graph)

    def close(self) -> None:
        self.memory.close()
        self.disk.close()
