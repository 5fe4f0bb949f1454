"""Loading: every syntax, folders and stdin, atomicity, safety guards, malformed input."""

from __future__ import annotations

import http.server
import io
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizarch.errors import (
    BizarchError,
    NotFoundError,
    RdfSyntaxError,
    UnsafeInputError,
    UserInputError,
)
from bizarch.loading import collect_sources
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.parsing import check_safe

G = "urn:bizarch:scenario:current"
BASE = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:sales a ex:Capability ; rdfs:label "Sales"@en ; ex:tier 1 .
ex:billing a ex:Capability ; rdfs:label "Billing \\"core\\"" ; ex:parent ex:sales .
"""
BASE_TRIPLES = {q.triple for q in ox.parse(BASE.encode(), format=ox.RdfFormat.TURTLE)}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>
"""


def serialised(fmt: RdfFormat) -> bytes:
    """BASE in the given syntax (dataset syntaxes put it in graph G)."""
    if fmt.has_graphs:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(G)) for t in BASE_TRIPLES]
        return ox.serialize(quads, format=_ox(fmt))
    return ox.serialize(BASE_TRIPLES, format=_ox(fmt))


def _ox(fmt: RdfFormat) -> ox.RdfFormat:
    from bizarch.store.parsing import ox_format

    return ox_format(fmt)


def triples_of(store: OxigraphStore, graph: str = G) -> set[ox.Triple]:
    return {q.triple for q in store.quads(graph)}


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.key)
def test_every_syntax_loads_the_same_triples(fmt: RdfFormat, tmp_path: Path) -> None:
    path = tmp_path / f"model{fmt.extensions[0]}"
    path.write_bytes(serialised(fmt))
    store = OxigraphStore(None)
    sources = collect_sources([path])
    assert sources[0].format is fmt
    assert store.load(sources, G) == 6
    assert triples_of(store) == BASE_TRIPLES


def test_folders_are_read_recursively_by_extension(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a" / "one.ttl").write_bytes(serialised(RdfFormat.TURTLE))
    (tmp_path / "a" / "b" / "two.nt").write_text(
        "<http://example.org/x> <http://example.org/p> <http://example.org/y> .\n"
    )
    (tmp_path / "a" / "notes.txt").write_text("not rdf")
    (tmp_path / ".hidden" / "skip.ttl").write_text("this would not parse")
    sources = collect_sources([tmp_path])
    assert [Path(s.name).name for s in sources] == ["two.nt", "one.ttl"]
    store = OxigraphStore(None)
    assert store.load(sources, G) == 7


def test_stdin_needs_a_format_and_loads_with_one() -> None:
    with pytest.raises(UserInputError, match="--format"):
        collect_sources(["-"], stdin=io.BytesIO(b""))
    sources = collect_sources(["-"], RdfFormat.TURTLE, stdin=io.BytesIO(BASE.encode()))
    store = OxigraphStore(None)
    store.load(sources, G)
    assert triples_of(store) == BASE_TRIPLES


def test_missing_paths_and_unknown_extensions_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"nope\.ttl"):
        collect_sources([tmp_path / "nope.ttl"])
    odd = tmp_path / "model.txt"
    odd.write_text(BASE)
    with pytest.raises(UserInputError, match="extension"):
        collect_sources([odd])
    assert len(collect_sources([odd], RdfFormat.TURTLE)) == 1
    with pytest.raises(UserInputError, match="No RDF files"):
        collect_sources([tmp_path / ".."][:0] or [_empty_dir(tmp_path)])


def _empty_dir(tmp_path: Path) -> Path:
    empty = tmp_path / "empty"
    empty.mkdir()
    return empty


def test_syntax_error_in_a_later_file_loads_nothing(tmp_path: Path) -> None:
    good = tmp_path / "a.ttl"
    good.write_text(BASE)
    bad = tmp_path / "b.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:p "x" ;\n   ex:q ex:b ex:c .\n')
    store = OxigraphStore(None)
    with pytest.raises(RdfSyntaxError) as caught:
        store.load(collect_sources([good, bad]), G)
    assert caught.value.source.endswith("b.ttl")
    assert caught.value.line == 4
    assert caught.value.column is not None
    assert len(store.engine) == 0


def test_progress_reports_every_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.nt"
    path.write_bytes(serialised(RdfFormat.NTRIPLES) * 2000)
    seen: list[int] = []
    OxigraphStore(None).load(collect_sources([path]), G, seen.append)
    assert sum(seen) == path.stat().st_size


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_xml_with_dtd_or_entities_is_refused_before_parsing(payload: bytes) -> None:
    # check_safe only scans bytes: no parser sees the payload here.
    with pytest.raises(UnsafeInputError, match="DTD or entity"):
        check_safe(RdfSource("evil.rdf", payload, RdfFormat.RDFXML))
    utf16 = payload.decode().encode("utf-16")
    with pytest.raises(UnsafeInputError, match="UTF-16"):
        check_safe(RdfSource("evil.rdf", utf16, RdfFormat.RDFXML))


def test_refused_xml_never_reaches_the_store_end_to_end(tmp_path: Path) -> None:
    """Through the real load path, in a child process capped at 1 GiB and 60 s (if the guard
    ever failed, the parser would blow the cap instead of this machine)."""
    evil = tmp_path / "evil.rdf"
    evil.write_bytes(BILLION_LAUGHS)
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from pathlib import Path
        from bizarch.errors import UnsafeInputError
        from bizarch.loading import collect_sources
        from bizarch.store.oxigraph_store import OxigraphStore
        store = OxigraphStore(None)
        try:
            store.load(collect_sources([Path({str(evil)!r})]), "urn:g")
        except UnsafeInputError as exc:
            print("refused", len(store.engine), exc.message)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.startswith("refused 0 "), done.stderr[-2000:]
    assert "evil.rdf" in done.stdout


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = json.dumps({"@context": {"name": "http://example.org/name"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def context_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _CountingHandler.hits.clear()
    yield f"http://127.0.0.1:{server.server_port}/context.jsonld"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("where", ["top", "list", "nested", "import"])
def test_jsonld_remote_context_is_refused_and_nothing_fetched(
    context_server: str, where: str
) -> None:
    doc: dict[str, object] = {"@id": "http://example.org/a", "name": "x"}
    if where == "top":
        doc["@context"] = context_server
    elif where == "list":
        doc["@context"] = [{"ex": "http://example.org/"}, context_server]
    elif where == "nested":
        doc["http://example.org/child"] = {"@context": context_server, "@id": "http://e/b"}
    else:
        doc["@context"] = {"@import": context_server}
    store = OxigraphStore(None)
    with pytest.raises(UnsafeInputError, match="remote context"):
        store.load([RdfSource("doc.jsonld", json.dumps(doc).encode(), RdfFormat.JSONLD)], G)
    assert _CountingHandler.hits == []
    assert len(store.engine) == 0


def test_inline_jsonld_context_loads() -> None:
    doc = {
        "@context": {"name": "http://example.org/name"},
        "@id": "http://example.org/a",
        "name": "x",
    }
    store = OxigraphStore(None)
    assert store.load([RdfSource("doc.jsonld", json.dumps(doc).encode(), RdfFormat.JSONLD)], G) == 1


def test_bad_utf8_names_the_file() -> None:
    bad = RdfSource("bad.ttl", b'<http://e/a> <http://e/p> "caf\xe9" .', RdfFormat.TURTLE)
    with pytest.raises(RdfSyntaxError, match=r"bad\.ttl, line 1"):
        OxigraphStore(None).load([bad], G)


VALID = {fmt: serialised(fmt) for fmt in RdfFormat}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[RdfFormat, bytes]:
    fmt = draw(st.sampled_from(list(RdfFormat)))
    data = bytearray(VALID[fmt])
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[pos:]
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif data:
            del data[pos : pos + draw(st.integers(1, 16))]
    return fmt, bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_mutated_documents_give_a_clear_error_or_load_atomically(
    case: tuple[RdfFormat, bytes],
) -> None:
    fmt, data = case
    store = OxigraphStore(None)
    store.load([RdfSource("seed.ttl", BASE.encode(), RdfFormat.TURTLE)], "urn:seed")
    try:
        added = store.load([RdfSource(f"m{fmt.extensions[0]}", data, fmt)], G)
    except (RdfSyntaxError, UserInputError, UnsafeInputError) as exc:
        assert isinstance(exc, BizarchError)
        assert str(exc).startswith(f"m{fmt.extensions[0]}")
        assert len(store.engine) == 6
    else:
        assert len(store.engine) == 6 + store.count(G)
        assert added >= store.count(G)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300), fmt=st.sampled_from(list(RdfFormat)))
def test_random_bytes_never_escape_as_other_exceptions(data: bytes, fmt: RdfFormat) -> None:
    store = OxigraphStore(None)
    try:
        store.load([RdfSource("random", data, fmt)], G)
    except BizarchError as exc:
        assert "random" in str(exc)
        assert len(store.engine) == 0
