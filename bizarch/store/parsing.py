"""Turning RDF documents into quads, safely, for every backend.

Why here and not in a backend: every backend (embedded or remote) must refuse the same unsafe
input before any parser sees it, and must report syntax errors the same way (source, line,
column), so parsing happens once, locally, with pyoxigraph's streaming parsers.

Guards:

* XML (RDF/XML): a DTD or an entity declaration is refused by a byte scan before parsing
  ("billion laughs" and XXE payloads; pyoxigraph grows to 9 GB on 919 bytes).
* JSON-LD: a remote ``@context`` / ``@import`` is refused (nothing is ever fetched).
* Anything else malformed (bad UTF-8, truncation, random bytes) becomes :class:`RdfSyntaxError`.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import pyoxigraph as ox

from bizarch.errors import RdfSyntaxError, UnsafeInputError
from bizarch.store.base import ProgressCallback, RdfFormat, RdfSource

_OX_FORMATS: dict[RdfFormat, ox.RdfFormat] = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
}

_CHUNK = 1 << 20
# "<!DOCTYPE" / "<!ENTITY" with optional whitespace, any case (XML is case-sensitive, but a
# refusal on "<!doctype" costs nothing and closes lenient-parser gaps).
_XML_DECLS = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)

__all__ = [
    "ProgressCallback",
    "check_safe",
    "iter_quads",
    "ox_format",
    "parse_sources",
    "syntax_error",
]


def ox_format(fmt: RdfFormat) -> ox.RdfFormat:
    """The pyoxigraph format object for a bizarch format."""
    return _OX_FORMATS[fmt]


class _CountingReader(io.RawIOBase):
    """A binary stream that reports how many bytes the parser has consumed."""

    def __init__(self, inner: IO[bytes], progress: ProgressCallback) -> None:
        self._inner = inner
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if n:
            self._progress(n)
        return n


def check_safe(source: RdfSource) -> None:
    """Refuse input that could make a parser fetch, expand or leak; reads no more than needed."""
    if source.format is RdfFormat.RDFXML:
        _check_xml(source)
    elif source.format is RdfFormat.JSONLD:
        _check_jsonld(source)


def _check_xml(source: RdfSource) -> None:
    with source.open() as stream:
        head = stream.read(4)
        if head.startswith(_UTF16_BOMS) or head[:2] in (b"\x00<", b"<\x00"):
            raise UnsafeInputError(
                f"{source.name}: XML in UTF-16/UTF-32 is not accepted.",
                hint="Save the file as UTF-8 and load it again; nothing was written.",
            )
        tail = head
        while True:
            if _XML_DECLS.search(tail):
                raise UnsafeInputError(
                    f"{source.name}: XML with a DTD or entity declarations is refused "
                    "(entity expansion and external entities are unsafe).",
                    hint="Remove the <!DOCTYPE ...> / <!ENTITY ...> declarations; nothing "
                    "was written.",
                )
            chunk = stream.read(_CHUNK)
            if not chunk:
                return
            tail = tail[-32:] + chunk


def _check_jsonld(source: RdfSource) -> None:
    with source.open() as stream:
        raw = stream.read()
    try:
        document = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise RdfSyntaxError(source.name, f"invalid UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise RdfSyntaxError(source.name, exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise RdfSyntaxError(source.name, "JSON nested too deeply") from None
    remote = _remote_context(document)
    if remote is not None:
        raise UnsafeInputError(
            f"{source.name}: JSON-LD refers to a remote context '{remote}'; bizarch never "
            "fetches anything from the network.",
            hint="Inline the context in the document and load it again; nothing was written.",
        )


def _remote_context(node: Any, depth: int = 0) -> str | None:
    """The first remote context reference (string ``@context``/``@import``) in a JSON tree."""
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    for ctx in value if isinstance(value, list) else [value]:
                        if isinstance(ctx, str):
                            return ctx
                stack.append(value)
    return None


def syntax_error(source: RdfSource, exc: BaseException) -> RdfSyntaxError:
    """Map a pyoxigraph parse failure to one clear message with line and column."""
    if isinstance(exc, SyntaxError):
        message = str(exc.msg)
        # "Parser error at line 3 column 11: ..." / "Parser error between line 3 column 11 and ..."
        match = re.match(
            r"Parser error (?:at|between) line \d+ column \d+(?: and line \d+ column \d+)?: ",
            message,
        )
        detail = message[match.end() :] if match else message
        return RdfSyntaxError(source.name, detail, line=exc.lineno, column=exc.offset)
    return RdfSyntaxError(source.name, str(exc) or type(exc).__name__)


def iter_quads(
    source: RdfSource,
    graph: str | None,
    progress: ProgressCallback | None = None,
    *,
    keep_named_graphs: bool = False,
) -> Iterator[ox.Quad]:
    """Stream the quads of one document, re-homing them into ``graph`` when it is given.

    Triples of graph syntaxes land in ``graph`` (``None``: the default graph). Quads of dataset
    syntaxes keep their own graph unless ``graph`` is given; with ``keep_named_graphs`` they keep
    it anyway and only default-graph content goes to ``graph``. Blank nodes are renamed per
    document so that ``_:b1`` in two files are two nodes, as RDF says.
    """
    check_safe(source)
    target = ox.NamedNode(graph) if graph else None
    try:
        with source.open() as raw:
            stream: IO[bytes] = raw
            if progress is not None:
                stream = io.BufferedReader(_CountingReader(raw, progress), _CHUNK)
            parser = ox.parse(stream, format=ox_format(source.format), rename_blank_nodes=True)
            if target is None:
                yield from parser
            elif keep_named_graphs:
                for q in parser:
                    if isinstance(q.graph_name, ox.DefaultGraph):
                        yield ox.Quad(q.subject, q.predicate, q.object, target)
                    else:
                        yield q
            else:
                for q in parser:
                    yield ox.Quad(q.subject, q.predicate, q.object, target)
    except (SyntaxError, ValueError, UnicodeError, OSError) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, SyntaxError):
            raise RdfSyntaxError(source.name, f"cannot read: {exc.strerror or exc}") from None
        raise syntax_error(source, exc) from None


def parse_sources(
    sources: Sequence[RdfSource],
    graph: str | None,
    progress: ProgressCallback | None = None,
    *,
    keep_named_graphs: bool = False,
) -> list[ox.Quad]:
    """Parse every source fully (nothing is written anywhere); raises on the first bad one."""
    quads: list[ox.Quad] = []
    for source in sources:
        quads.extend(iter_quads(source, graph, progress, keep_named_graphs=keep_named_graphs))
    return quads


def parse_source(source: RdfSource, graph: str | None) -> list[ox.Quad]:
    """Parse one document fully; raises :class:`RdfSyntaxError` naming source, line and column."""
    return list(iter_quads(source, graph))


def chain_quads(
    sources: Iterable[RdfSource],
    graph: str | None,
    progress: ProgressCallback | None = None,
    *,
    keep_named_graphs: bool = False,
) -> Iterator[ox.Quad]:
    """Stream the quads of several documents one after another."""
    for source in sources:
        yield from iter_quads(source, graph, progress, keep_named_graphs=keep_named_graphs)
