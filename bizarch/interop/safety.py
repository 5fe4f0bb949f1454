"""Guards that stand between untrusted bytes and every parser.

XML attacks (billion laughs, external entities, XInclude) all need a DTD or an XInclude element,
so the guard refuses any document that declares one before a parser sees it; then defusedxml parses
what is left, with DTDs, entities and external references forbidden a second time. rdflib and
pyoxigraph never see these bytes: importers build RDF terms themselves. Spreadsheets are zip files:
the guard caps their declared and actual uncompressed size and scans every XML part the same way.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from bizarch.errors import ResourceLimitError, UnsafeInputError, UserInputError

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
"""Largest file an importer accepts (exchange XML, CSV, xlsx as uploaded)."""

MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
"""Largest total uncompressed size of a spreadsheet's parts."""

MAX_ZIP_ENTRIES = 2000

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_XINCLUDE = re.compile(rb"http://www\.w3\.org/(?:2001|2003)/XInclude", re.IGNORECASE)
_WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def check_size(data: bytes, source: str, limit: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse inputs larger than ``limit`` bytes."""
    if len(data) > limit:
        raise ResourceLimitError(
            f"{source}: {len(data):,} bytes is more than the limit of {limit:,} bytes.",
            hint="Split the model, or raise the limit in the configuration.",
        )


def _views(data: bytes) -> list[bytes]:
    """The bytes as written, plus UTF-8 re-encodings if the document looks UTF-16/32 encoded."""
    views = [data]
    head = data[:4]
    if b"\x00" in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        for encoding in _WIDE_ENCODINGS:
            try:
                views.append(data.decode(encoding).encode("utf-8"))
            except UnicodeDecodeError:
                continue
    return views


def refuse_dtd_and_xinclude(data: bytes, source: str) -> None:
    """Raise :class:`UnsafeInputError` if the XML declares a DTD, an entity or uses XInclude."""
    for view in _views(data):
        if _DECLARATION.search(view):
            raise UnsafeInputError(
                f"{source}: the XML declares a DTD or entities; refused before parsing "
                "(they can expand to gigabytes or read local and remote files).",
                hint="Export the model again without a DOCTYPE.",
            )
        if _XINCLUDE.search(view):
            raise UnsafeInputError(
                f"{source}: the XML uses XInclude; refused before parsing "
                "(it can read other files).",
                hint="Export the model again as one self-contained file.",
            )


def parse_xml(data: bytes, source: str, *, limit: int = MAX_UPLOAD_BYTES) -> Element:
    """Parse untrusted XML safely: size cap, DTD/XInclude refusal, then defusedxml."""
    check_size(data, source, limit)
    refuse_dtd_and_xinclude(data, source)
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise UnsafeInputError(f"{source}: refused unsafe XML ({exc}).") from None
    except ParseError as exc:
        line, column = exc.position
        raise UserInputError(
            f"{source}, line {line}, column {column + 1}: not well-formed XML ({exc.msg}).",
            hint="Check that the file is a complete ArchiMate exchange file.",
        ) from None


def open_xlsx(
    data: bytes,
    source: str,
    *,
    limit: int = MAX_UPLOAD_BYTES,
    uncompressed_limit: int = MAX_UNCOMPRESSED_BYTES,
) -> io.BytesIO:
    """Check a spreadsheet (zip) before openpyxl opens it; returns a stream for openpyxl.

    Caps the number of parts and their total uncompressed size (counted while inflating, not
    trusted from the zip directory), and scans every XML part for DTDs, entities and XInclude.
    """
    for info, content in _inflate(data, source, limit, uncompressed_limit, "an .xlsx workbook"):
        if info.filename.endswith((".xml", ".rels", ".vml")):
            refuse_dtd_and_xinclude(content, f"{source}:{info.filename}")
    return io.BytesIO(data)


def decode_text(data: bytes, source: str, *, limit: int = MAX_UPLOAD_BYTES) -> str:
    """Decode a UTF-8 text file (with or without BOM), naming the place of a bad byte."""
    check_size(data, source, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserInputError(
            f"{source}, line {line}: not UTF-8 text (byte {exc.start}).",
            hint="Save the file as UTF-8 (CSV UTF-8 in Excel).",
        ) from None


def _inflate(
    data: bytes, source: str, limit: int, uncompressed_limit: int, what: str
) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Every part of a zip with its content, under the caps (size, parts, uncompressed size)."""
    check_size(data, source, limit)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UserInputError(
            f"{source}: not {what} (it is not a zip file).",
            hint=(
                "Save the workbook as Excel Workbook (.xlsx)."
                if "xlsx" in what
                else "Upload the CSV files themselves, or a zip made of them."
            ),
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ResourceLimitError(f"{source}: {len(infos)} parts; at most {MAX_ZIP_ENTRIES}.")
        declared = sum(info.file_size for info in infos)
        if declared > uncompressed_limit:
            raise ResourceLimitError(
                f"{source}: unpacks to {declared:,} bytes, more than the limit of "
                f"{uncompressed_limit:,} bytes.",
                hint="Refused as a possible zip bomb.",
            )
        total = 0
        for info in infos:
            try:
                with archive.open(info) as part:
                    content = part.read(uncompressed_limit - total + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                raise UserInputError(
                    f"{source}: the archive is damaged ({info.filename}: {exc}).",
                    hint="Save or zip it again.",
                ) from None
            total += len(content)
            if total > uncompressed_limit:
                raise ResourceLimitError(
                    f"{source}: unpacks to more than {uncompressed_limit:,} bytes.",
                    hint="Refused as a possible zip bomb.",
                )
            yield info, content


def unpack_zip(
    data: bytes,
    source: str,
    *,
    limit: int = MAX_UPLOAD_BYTES,
    uncompressed_limit: int = MAX_UNCOMPRESSED_BYTES,
) -> dict[str, bytes]:
    """The files of an uploaded zip (``source:name`` -> bytes), under the same caps as workbooks.

    Folders, macOS resource forks (``__MACOSX/``) and hidden files are skipped; names are kept
    only for messages and role matching, never used as paths.
    """
    files: dict[str, bytes] = {}
    for info, content in _inflate(data, source, limit, uncompressed_limit, "a zip archive"):
        base = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or info.filename.startswith("__MACOSX/") or base.startswith("."):
            continue
        files[f"{source}:{info.filename}"] = content
    if not files:
        raise UserInputError(f"{source}: the zip archive holds no files.")
    return files
