"""Parallel bulk loading of line-based RDF files (N-Triples, N-Quads) into an on-disk store.

Why: pyoxigraph's bulk loader builds its sorted files with one thread per batch of a million
quads, so a 1M-triple file is loaded by one core while the other idles (about 9.5 s on the
development machine). N-Triples and N-Quads hold one statement per line, so a file cut at line
ends gives chunks that parse on their own; the loader releases the GIL, and two chunks loading at
once take about 60 % of the time (``docs/benchmarks.md``).

A chunk that might write into a graph the caller must protect (one that already held data
before the load) is first parsed here, in the calling thread, while the previous chunks load:
that names the graphs the chunk writes to, so that the caller can refuse them (``claim``) before
they receive data. Every other chunk goes to the loader unparsed (the parse cost 1.3-1.6 CPU
seconds at 1M triples, an eighth of the load): the caller undoes a failed load by dropping every
graph that was empty before it, so it need not know in advance which graphs a chunk fills; the
loader's own (strict) parser reports syntax errors, with the line number in the whole file.

Not for files with blank nodes: a blank-node label belongs to its document, and chunks parsed
apart would either split one node in two or merge it with a node of the same label already in
the store. :func:`splittable` says whether a file qualifies; anything else takes the caller's
single-stream path.
"""

from __future__ import annotations

import mmap
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from bizarch.errors import RdfSyntaxError
from bizarch.store.base import ProgressCallback, RdfFormat, RdfSource
from bizarch.store.parsing import syntax_error

LINE_FORMATS = {RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES, RdfFormat.NQUADS: ox.RdfFormat.N_QUADS}
"""Syntaxes with one statement per line, which can be cut at any line end."""

MIN_CHUNK = 8 * 1024 * 1024
MAX_CHUNK = 64 * 1024 * 1024
"""Chunk sizes: a quarter of the file, within these bounds. Fewer, larger chunks cost less CPU
(every chunk writes its own sorted files); four keep both cores busy while the next chunk is
parsed, and 64 MB bounds the memory of a load (about 600 MB at 1M triples)."""

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
ClaimGraphs = Callable[[set[GraphName]], None]


def splittable(source: RdfSource) -> bool:
    """True when ``source`` is a file in a line-based syntax without blank nodes."""
    if source.format not in LINE_FORMATS or source.path is None:
        return False
    try:
        with (
            source.path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view,
        ):
            # "_:" also matches inside literals and IRIs: a false alarm only costs speed.
            return view.find(b"_:") == -1
    except (OSError, ValueError):  # empty file (mmap refuses length 0), unreadable file
        return False


def chunk_size(total: int) -> int:
    """Bytes per chunk for a file of ``total`` bytes."""
    return max(MIN_CHUNK, min(MAX_CHUNK, total // 4 + 1))


def iter_chunks(path: Path, size: int) -> Iterator[tuple[int, bytes]]:
    """``(lines before, bytes)`` of chunks of about ``size`` bytes, each cut at a line end."""
    lines_before = 0
    with path.open("rb") as handle:
        while True:
            data = handle.read(size)
            if not data:
                return
            if not data.endswith(b"\n"):
                data += handle.readline()
            yield lines_before, data
            lines_before += data.count(b"\n")


def _syntax_error(source: RdfSource, exc: SyntaxError, lines_before: int) -> RdfSyntaxError:
    """The parser's error with its line counted from the start of the file, not of the chunk."""
    error = syntax_error(source, exc)
    if error.line is not None:
        line = error.line + lines_before
        error = RdfSyntaxError(source.name, error.detail, line=line, column=error.column)
    return error


def statement_lines(data: bytes) -> int | None:
    """The number of statements in a chunk when every line is one; ``None`` when blank lines or
    comments may be present (then only a parse can count). Byte searches, no parse."""
    if not data:
        return 0
    if data[:1] in b"# \t\r\n" or any(
        mark in data for mark in (b"\n\n", b"\n#", b"\n ", b"\n\t", b"\r")
    ):
        return None
    lines = data.count(b"\n")
    return lines if data.endswith(b"\n") else lines + 1


def scan_chunk(source: RdfSource, data: bytes, lines_before: int) -> tuple[int, set[GraphName]]:
    """Parse one chunk without writing it: its number of quads and the graphs they go to.

    Lenient (IRIs are not checked) because this pass only needs the structure: the loader parses
    strictly and its errors are mapped the same way, before the caller rolls back.
    """
    fmt = LINE_FORMATS[source.format]
    try:
        per_graph = Counter(quad.graph_name for quad in ox.parse(data, format=fmt, lenient=True))
    except SyntaxError as exc:
        raise _syntax_error(source, exc, lines_before) from None
    except (ValueError, UnicodeError) as exc:
        raise RdfSyntaxError(source.name, str(exc) or type(exc).__name__) from None
    return sum(per_graph.values()), set(per_graph)


def load_file(
    engine: ox.Store,
    source: RdfSource,
    target: ox.NamedNode | None,
    claim: ClaimGraphs,
    progress: ProgressCallback | None = None,
    *,
    workers: int | None = None,
    protected: Sequence[str] = (),
    scan_all: bool = False,
) -> int:
    """Load ``source`` chunk by chunk, ``workers`` chunks at a time; returns the number of quads.

    ``target`` receives the triples of the default graph (None: they stay there). A chunk that
    names one of the ``protected`` graph IRIs anywhere (or any chunk, with ``scan_all``) is parsed
    first and ``claim`` is called in this thread with its graphs before any of its quads is
    written; it may raise to stop the load. On any failure the chunks already submitted finish
    before the exception propagates, so the caller can roll back a store nobody is writing to.
    """
    assert source.path is not None and source.format in LINE_FORMATS
    fmt = LINE_FORMATS[source.format]
    workers = workers or max(2, min(4, os.cpu_count() or 2))
    default = ox.DefaultGraph()
    pending: deque[Future[None]] = deque()
    total = 0

    def load_chunk(data: bytes, lines_before: int) -> None:
        try:
            engine.bulk_load(data, format=fmt, to_graph=target)
        except SyntaxError as exc:  # the scan accepted it: not expected, but say where
            raise _syntax_error(source, exc, lines_before) from None

    marks = [f"<{iri}>".encode() for iri in protected]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bizarch-bulk") as pool:
        try:
            for lines_before, data in iter_chunks(source.path, chunk_size(source.size)):
                # A graph IRI may also be written with \u escapes, which a byte search misses.
                escaped = bool(marks) and (b"\\u" in data or b"\\U" in data)
                touches = scan_all or escaped or any(mark in data for mark in marks)
                quick = None if touches else statement_lines(data)
                if quick is not None:
                    count = quick
                else:
                    count, graphs = scan_chunk(source, data, lines_before)
                    if target is not None and default in graphs:
                        graphs.discard(default)
                        graphs.add(target)
                    claim(graphs)
                while len(pending) >= workers:
                    pending.popleft().result()
                pending.append(pool.submit(load_chunk, data, lines_before))
                total += count
                if progress is not None:
                    progress(len(data))
            while pending:
                pending.popleft().result()
        except BaseException:
            for future in pending:
                future.cancel()
            raise  # leaving the pool waits for the chunks that are running
    return total
