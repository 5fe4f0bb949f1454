"""The parallel bulk path: line-based files cut into chunks that load two at a time.

Chunks are made tiny here (a few hundred bytes) so that small files exercise many chunks; every
test compares the store with what the one-transaction path writes from the same file. Only chunks
that may touch a graph holding data (or that hold blank or comment lines) are parsed first.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch.errors import RdfSyntaxError
from bizarch.store import bulk
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore

G = "urn:bizarch:scenario:current"
T = "urn:bizarch:scenario:target"
MARKER = "bizarch-bulk-load.json"


@pytest.fixture(autouse=True)
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Tiny chunks; returns the sizes of the chunks the parallel path scanned."""
    monkeypatch.setattr(bulk, "chunk_size", lambda total: 300)
    sizes: list[int] = []
    scan = bulk.scan_chunk

    def spy(source: RdfSource, data: bytes, lines_before: int) -> tuple[int, set[object]]:
        sizes.append(len(data))
        return scan(source, data, lines_before)  # type: ignore[return-value]

    monkeypatch.setattr(bulk, "scan_chunk", spy)
    return sizes


def write(path: Path, lines: list[str]) -> RdfSource:
    path.write_text("".join(lines), encoding="utf-8")
    fmt = RdfFormat.NQUADS if path.suffix == ".nq" else RdfFormat.NTRIPLES
    return RdfSource.from_path(path, fmt)


def quads_lines(n: int, graph: str, prefix: str = "e") -> list[str]:
    return [
        f'<http://example.org/{prefix}{i}> <http://example.org/p> "{i} é" <{graph}> .\n'
        for i in range(n)
    ]


def triples_lines(n: int) -> list[str]:
    return [
        f"<http://example.org/t{i}> <http://example.org/q> <http://example.org/t{i + 1}> .\n"
        for i in range(n)
    ]


def content(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.engine.quads_for_pattern(None, None, None, None))


def reference(tmp_path: Path, source: RdfSource, graph: str | None, keep: bool) -> set[ox.Quad]:
    """What the one-transaction path writes from the same file."""
    store = OxigraphStore(tmp_path / "reference", bulk_threshold=10**12)
    store.load([source], graph, keep_named_graphs=keep)
    try:
        return content(store)
    finally:
        store.close()


def test_dataset_loads_in_many_chunks_exactly_as_one_transaction(
    tmp_path: Path, scanned: list[int]
) -> None:
    lines = quads_lines(150, G) + quads_lines(120, T, "x")
    lines += ['<http://example.org/d> <http://example.org/p> "default" .\n']
    source = write(tmp_path / "both.nq", lines)
    assert bulk.splittable(source)
    assert len(list(bulk.iter_chunks(source.path, 300))) > 50  # type: ignore[arg-type]
    seen: list[int] = []
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    assert store.load([source], G, keep_named_graphs=True, progress=seen.append) == 271
    assert content(store) == reference(tmp_path, source, G, True)
    assert [(g.name, g.triples) for g in store.graphs()] == [(G, 151), (T, 120)]
    assert sum(seen) == source.size
    assert scanned == []  # a fresh store: no graph to protect, no chunk parsed before loading
    assert not (tmp_path / "s" / MARKER).exists()
    store.close()


def test_chunks_with_comments_or_blank_lines_are_parsed_to_count_them(
    tmp_path: Path, scanned: list[int]
) -> None:
    lines = quads_lines(60, G)
    lines[30:30] = ["# a comment line\n", "\n"]
    source = write(tmp_path / "commented.nq", lines)
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    assert store.load([source], None, keep_named_graphs=True) == 60
    assert 0 < len(scanned) < len(list(bulk.iter_chunks(source.path, 300)))  # type: ignore[arg-type]
    assert content(store) == reference(tmp_path, source, None, True)
    store.close()


def test_statement_lines_counts_only_when_every_line_is_a_statement() -> None:
    assert bulk.statement_lines(b"<a> <b> <c> .\n<a> <b> <d> .\n") == 2
    assert bulk.statement_lines(b"<a> <b> <c> .\n<a> <b> <d> .") == 2
    assert bulk.statement_lines(b"") == 0
    for unclear in (b"# c\n<a> <b> <c> .\n", b"<a> <b> <c> .\n\n", b"<a> <b> <c> .\r\n"):
        assert bulk.statement_lines(unclear) is None


def test_default_graph_triples_stay_in_the_default_graph_and_are_undone(tmp_path: Path) -> None:
    source = write(tmp_path / "plain.nt", triples_lines(80))
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    assert store.load([source], None) == 80  # the default graph was empty: bulk, unparsed
    assert content(store) == reference(tmp_path, source, None, False)
    again = write(tmp_path / "more.nt", triples_lines(120))
    assert store.load([again], None) == 120  # now it holds data: parsed, one transaction
    assert len(content(store)) == 120  # the 80 first triples are among the 120
    broken = write(tmp_path / "broken.nt", ["<http://e/a> <http://e/b> .\n"] * 50)
    with pytest.raises(RdfSyntaxError):
        store.load([broken], T)
    assert len(content(store)) == 120
    store.close()


def test_triples_go_to_the_target_scenario(tmp_path: Path) -> None:
    source = write(tmp_path / "model.nt", triples_lines(200))
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    assert store.load([source], T) == 200
    assert content(store) == reference(tmp_path, source, T, False)
    store.close()


def test_late_syntax_error_names_the_line_in_the_whole_file_and_writes_nothing(
    tmp_path: Path,
) -> None:
    lines = quads_lines(200, G)
    lines[170] = "<http://example.org/broken> <http://example.org/p> .\n"
    source = write(tmp_path / "late.nq", lines)
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    store.load([RdfSource("t.nt", triples_lines(5)[0].encode(), RdfFormat.NTRIPLES)], T)
    before = content(store)
    with pytest.raises(RdfSyntaxError, match=r"late\.nq, line 171, column"):
        store.load([source], None, keep_named_graphs=True)
    assert content(store) == before
    assert not (tmp_path / "s" / MARKER).exists()
    store.close()


def test_a_later_chunk_touching_a_filled_graph_is_rolled_back_and_redone_in_one_transaction(
    tmp_path: Path, scanned: list[int]
) -> None:
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    store.load([RdfSource("t.nt", triples_lines(5)[0].encode(), RdfFormat.NTRIPLES)], T)
    lines = quads_lines(150, G) + quads_lines(50, T, "x")  # T already holds a triple
    source = write(tmp_path / "mixed.nq", lines)
    assert store.load([source], None, keep_named_graphs=True) == 200
    assert scanned  # the first chunk naming T was parsed and refused ...
    assert len(scanned) < 10  # ... after the chunks of G had loaded unparsed
    assert [(g.name, g.triples) for g in store.graphs()] == [(G, 150), (T, 51)]
    assert not (tmp_path / "s" / MARKER).exists()
    store.close()


def test_a_filled_graph_named_with_escapes_is_still_protected(tmp_path: Path) -> None:
    """``<...\\u0074arget>`` is the filled graph T: a byte search alone would miss it."""
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    store.load([RdfSource("t.nt", triples_lines(5)[0].encode(), RdfFormat.NTRIPLES)], T)
    before = content(store)
    escaped = T.replace("target", "\\u0074arget")
    lines = quads_lines(60, escaped, "x") + quads_lines(100, G)
    lines[150] = "<http://example.org/broken> <http://example.org/p> .\n"
    with pytest.raises(RdfSyntaxError, match="line 151"):
        store.load([write(tmp_path / "escaped.nq", lines)], None, keep_named_graphs=True)
    assert content(store) == before  # nothing bulk-written into T survives the failure
    store.close()


def test_files_with_blank_nodes_take_the_single_stream_and_keep_each_node_whole(
    tmp_path: Path, scanned: list[int]
) -> None:
    lines = [f'_:n <http://example.org/p> "{i}" .\n' for i in range(100)]
    source = write(tmp_path / "blank.nt", lines)
    assert not bulk.splittable(source)
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    assert store.load([source], G) == 100
    assert scanned == []
    subjects = {q.subject for q in store.engine.quads_for_pattern(None, None, None, None)}
    assert len(subjects) == 1  # one blank node, not one per chunk
    store.close()


def test_chunks_cut_at_line_ends_and_count_the_lines_before_them(tmp_path: Path) -> None:
    path = tmp_path / "x.nt"
    lines = triples_lines(40)
    path.write_text("".join(lines)[:-1], encoding="utf-8")  # no newline at the end
    chunks = list(bulk.iter_chunks(path, 200))
    assert b"".join(data for _, data in chunks) == path.read_bytes()
    assert all(data.endswith(b"\n") for _, data in chunks[:-1])
    assert [before for before, _ in chunks] == [
        sum(data.count(b"\n") for _, data in chunks[:i]) for i in range(len(chunks))
    ]
    assert len(chunks) > 5


def test_only_files_of_line_syntaxes_are_split(tmp_path: Path) -> None:
    ttl = tmp_path / "m.ttl"
    ttl.write_text("<http://e/a> <http://e/p> 1 .\n", encoding="utf-8")
    empty = tmp_path / "e.nt"
    empty.write_text("", encoding="utf-8")
    assert not bulk.splittable(RdfSource.from_path(ttl, RdfFormat.TURTLE))
    assert not bulk.splittable(RdfSource.from_path(empty, RdfFormat.NTRIPLES))
    assert not bulk.splittable(
        RdfSource("mem.nt", b"<http://e/a> <http://e/p> 1 .\n", RdfFormat.NTRIPLES)
    )


def test_a_bad_iri_found_by_the_strict_loader_is_reported_and_rolled_back(tmp_path: Path) -> None:
    lines = quads_lines(200, G)
    lines[150] = '<http://example.org/bad iri> <http://example.org/p> "x" <' + G + "> .\n"
    source = write(tmp_path / "iri.nq", lines)
    store = OxigraphStore(tmp_path / "s", bulk_threshold=1)
    with pytest.raises(RdfSyntaxError, match=r"iri\.nq, line 151"):
        store.load([source], None, keep_named_graphs=True)
    assert content(store) == set()
    assert not (tmp_path / "s" / MARKER).exists()
    store.close()
