"""Fixtures of the interop tests: the shared fixture folder, an empty store, the exchange XSDs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bizarch.store import OxigraphStore

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
XSD_DIR_HERE = Path(__file__).resolve().parent / "xsd"
BA = "https://w3id.org/bizarch/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def shared_dir() -> Path | None:
    """``../shared`` beside the repository (CI), or beside the folder of worktrees."""
    candidates = [
        os.environ.get("BIZARCH_SHARED_DIR"),
        REPO.parent / "shared",
        REPO.parent.parent / "shared",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "fixtures").is_dir():
            return Path(candidate)
    return None


def shared_file(*parts: str) -> Path:
    base = shared_dir()
    if base is None:
        pytest.skip("../shared (fixtures and reference XSDs) is not beside the repository")
    return base.joinpath(*parts)


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    with OxigraphStore() as s:
        yield s


@pytest.fixture(scope="session")
def archisurance() -> bytes:
    return shared_file(
        "fixtures", "archimate", "Archisurance_opengroup_exchange_3.0.xml"
    ).read_bytes()


@pytest.fixture(scope="session")
def sample1() -> bytes:
    return shared_file("fixtures", "archimate", "Sample1_opengroup_exchange.xml").read_bytes()


class ExchangeSchema:
    """The Open Group exchange XSDs (Diagram includes View and Model) with Dublin Core, via lxml.

    The XSDs import the XML namespace schema by URL; a resolver serves a local copy, and the parser
    never touches the network.
    """

    def __init__(self, diagram_xsd: Path) -> None:
        from lxml import etree

        self.etree = etree
        here = XSD_DIR_HERE

        class Local(etree.Resolver):
            def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
                if url == "http://www.w3.org/2001/xml.xsd":
                    return self.resolve_filename(str(here / "xml.xsd"), context)
                return None

        driver = (
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            f'<xs:import namespace="http://www.opengroup.org/xsd/archimate/3.0/" '
            f'schemaLocation="{diagram_xsd.as_uri()}"/>'
            f'<xs:import namespace="http://purl.org/dc/elements/1.1/" '
            f'schemaLocation="{(here / "dc.xsd").as_uri()}"/>'
            "</xs:schema>"
        )
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        parser.resolvers.add(Local())
        self.schema = etree.XMLSchema(etree.fromstring(driver.encode(), parser))

    def errors(self, xml: bytes) -> list[str]:
        """Validation errors of a document (empty when it is valid)."""
        parser = self.etree.XMLParser(no_network=True, resolve_entities=False)
        document = self.etree.fromstring(xml, parser)
        if self.schema.validate(document):
            return []
        return [f"line {e.line}: {e.message}" for e in self.schema.error_log]


@pytest.fixture(scope="session")
def exchange_schema() -> ExchangeSchema:
    pytest.importorskip("lxml")
    return ExchangeSchema(
        shared_file("reference", "archimate-exchange-xsd", "archimate3_Diagram.xsd")
    )


def objects(store: OxigraphStore, subject: str | None, predicate: str) -> list[ox.Term]:
    node = ox.NamedNode(subject) if subject else None
    return [q.object for q in store.engine.quads_for_pattern(node, ox.NamedNode(predicate), None)]


def subjects(store: OxigraphStore, predicate: str, obj: ox.Term) -> list[str]:
    return sorted(
        q.subject.value for q in store.engine.quads_for_pattern(None, ox.NamedNode(predicate), obj)
    )


def label(store: OxigraphStore, iri: str) -> str:
    return objects(store, iri, RDFS_LABEL)[0].value


def quad_set(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.engine.quads_for_pattern(None, None, None, None))
