"""Hostile input is refused before any parser sees it, and the store is left as it was."""

from __future__ import annotations

import io
import zipfile

import pyoxigraph as ox
import pytest

from bizarch.errors import ResourceLimitError, UnsafeInputError, UserInputError
from bizarch.interop import safety, service
from tests.interop.conftest import quad_set

HEAD = b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m">'

XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE model [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + HEAD
    + b"<name>&xxe;</name></model>"
)
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
    + HEAD
    + b"<name>&lol9;</name></model>"
)
EXTERNAL_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE model SYSTEM "http://127.0.0.1:9/evil.dtd">'
    + HEAD
    + b"</model>"
)
XINCLUDE = (
    HEAD[:-1]
    + b' xmlns:xi="http://www.w3.org/2001/XInclude">'
    + b'<xi:include href="file:///etc/passwd" parse="text"/></model>'
)
UTF16 = (
    XXE.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
    .decode()
    .encode("utf-16")
)
LOWERCASE = XXE.replace(b"<!DOCTYPE", b"<!doctype")

PAYLOADS = {
    "xxe": XXE,
    "billion-laughs": LAUGHS,
    "external-dtd": EXTERNAL_DTD,
    "xinclude": XINCLUDE,
    "utf16-doctype": UTF16,
    "lowercase-doctype": LOWERCASE,
}


@pytest.fixture
def no_parser(monkeypatch):
    """Fail the test if a payload reaches the XML parser (the guard must act before it)."""

    def reached(*args, **kwargs):
        raise AssertionError("the payload reached the XML parser")

    monkeypatch.setattr(safety.SafeET, "fromstring", reached)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_refused_before_parsing(store, no_parser, name):
    store.add_quads(
        [
            ox.Quad(
                ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"), ox.NamedNode("urn:g")
            )
        ]
    )
    before = quad_set(store)
    with pytest.raises(UnsafeInputError) as err:
        service.import_archimate(store, PAYLOADS[name], source=f"{name}.xml")
    assert str(err.value).startswith(f"{name}.xml: ")
    assert quad_set(store) == before


def test_laughs_payload_is_small(store):
    """The billion-laughs file is under a kilobyte: size caps alone would not stop it."""
    assert len(LAUGHS) < 1024


def test_size_limit(store, sample1):
    with pytest.raises(ResourceLimitError, match="more than the limit of 100 bytes"):
        service.import_archimate(store, sample1, source="big.xml", limit=100)
    with pytest.raises(ResourceLimitError):
        service.import_upload(store, "archimate", {"big.xml": sample1}, limit=100)
    assert store.count() == 0


def test_defusedxml_is_the_second_line(monkeypatch):
    """Were the scan to miss a declaration, defusedxml would still refuse the DTD."""
    monkeypatch.setattr(safety, "refuse_dtd_and_xinclude", lambda data, source: None)
    with pytest.raises(UnsafeInputError, match="refused unsafe XML"):
        safety.parse_xml(LAUGHS, "laughs.xml")


def test_stored_view_xml_is_parsed_safely(store, sample1):
    """A view literal edited in the store to carry a DTD cannot blow up the export."""
    service.import_archimate(store, sample1)
    view = ox.NamedNode("urn:bizarch:archimate:id-11f5304f/id-v1")
    ba = "https://w3id.org/bizarch/ontology#"
    graph = ox.NamedNode("urn:bizarch:scenario:current")
    store.add_quads(
        [
            ox.Quad(
                view,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(ba + "ArchimateView"),
                graph,
            ),
            ox.Quad(view, ox.NamedNode(ba + "archimateId"), ox.Literal("id-v1"), graph),
            ox.Quad(view, ox.NamedNode(ba + "viewDefinition"), ox.Literal(LAUGHS.decode()), graph),
        ]
    )
    with pytest.raises(UnsafeInputError, match="stored view id-v1"):
        service.export_archimate(store)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_xlsx_zip_bomb_capped():
    bomb = _zip({"xl/worksheets/sheet1.xml": b"\0" * 3_000_000})
    assert len(bomb) < 20_000
    with pytest.raises(ResourceLimitError, match="unpacks to 3,000,000 bytes"):
        safety.open_xlsx(bomb, "bomb.xlsx", uncompressed_limit=1_000_000)


def test_xlsx_lying_sizes_are_counted_while_inflating(monkeypatch):
    bomb = _zip({"a.xml": b"<a/>", "b.bin": b"\0" * 2_000_000})
    real_infolist = zipfile.ZipFile.infolist

    def lying(self):
        infos = real_infolist(self)
        for info in infos:
            info.file_size = 10  # a forged directory
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying)
    with pytest.raises((ResourceLimitError, UserInputError), match=r"liar\.xlsx"):
        safety.open_xlsx(bomb, "liar.xlsx", uncompressed_limit=1_000_000)


def test_xlsx_part_with_dtd_refused():
    evil = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": XXE})
    with pytest.raises(UnsafeInputError, match=r"evil\.xlsx:xl/workbook\.xml"):
        safety.open_xlsx(evil, "evil.xlsx")


def test_not_a_zip():
    with pytest.raises(UserInputError, match=r"not an \.xlsx workbook"):
        safety.open_xlsx(b"hello", "x.xlsx")
