"""The import page: the CLI's imports over HTTP, on the real demo store, with real parsing.

Every refusal is checked for its status, its message and that the store's quads are unchanged.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from bizarch.demo import load_demo
from bizarch.namespaces import ONTOLOGY_GRAPH
from bizarch.store import OxigraphStore
from bizarch.web import close_app
from tests.interop.conftest import DATA, shared_file
from tests.interop.test_safety import LAUGHS, XXE
from tests.interop.test_spreadsheets import filled_template
from tests.web.conftest import make_app

SAME_SITE = {"Origin": "http://localhost"}
ARCHI_CSV = DATA / "archi-csv"
COUNTS = """PREFIX ba: <https://w3id.org/bizarch/ontology#>
SELECT (COUNT(DISTINCT ?e) AS ?elements) (COUNT(DISTINCT ?r) AS ?relationships)
WHERE { { ?e ba:archimateType ?t } UNION { ?r a ba:ArchimateRelationship } }"""


@pytest.fixture(scope="module")
def archisurance() -> bytes:
    return shared_file(
        "fixtures", "archimate", "Archisurance_opengroup_exchange_3.0.xml"
    ).read_bytes()


@pytest.fixture(scope="module")
def sample1() -> bytes:
    return shared_file("fixtures", "archimate", "Sample1_opengroup_exchange.xml").read_bytes()


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    """A fresh demo store per test: these tests write."""
    with OxigraphStore() as store:
        load_demo(store)
        yield store


@pytest.fixture(scope="module")
def unchanged_store() -> Iterator[OxigraphStore]:
    """One demo store for the refusals, which must leave it unchanged (each test checks)."""
    with OxigraphStore() as store:
        load_demo(store)
        yield store


@pytest.fixture(scope="module")
def refusing_client(unchanged_store: OxigraphStore) -> Iterator[FlaskClient]:
    app = make_app(unchanged_store, allow_uploads=True, max_upload_bytes=2_000_000)
    yield app.test_client()
    close_app(app)


@pytest.fixture
def upload_app(store: OxigraphStore) -> Iterator[Flask]:
    app = make_app(store, allow_uploads=True, max_upload_bytes=2_000_000)
    yield app
    close_app(app)


@pytest.fixture
def client(upload_app: Flask) -> FlaskClient:
    return upload_app.test_client()


def post(
    client: FlaskClient,
    files: list[tuple[bytes, str]],
    *,
    kind: str = "archimate",
    scenario: str = "current",
    new_scenario: str = "",
    validate: bool = False,
    headers: dict[str, str] | None = None,
):
    data: dict[str, object] = {
        "kind": kind,
        "scenario": scenario,
        "new_scenario": new_scenario,
        "file": [(io.BytesIO(content), name) for content, name in files],
    }
    if validate:
        data["validate"] = "on"
    return client.post(
        "/import",
        data=data,
        headers=SAME_SITE if headers is None else headers,
        content_type="multipart/form-data",
    )


def page(response) -> str:
    return response.get_data(as_text=True)


def error_of(response) -> str:
    """The error box's text, tags stripped."""
    body = page(response)
    assert 'id="import-error"' in body, body[:2000]
    box = body.split('id="import-error"', 1)[1].split("</article>", 1)[0]
    assert "Traceback" not in body
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", box)).replace("&#39;", "'")


def snapshot(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.quads())


def counts(store: OxigraphStore, scenario: str) -> tuple[int, int]:
    graph = f"urn:bizarch:scenario:{scenario}"
    (row,) = store.query(COUNTS, default_graphs=[graph]).dicts()
    return int(row["elements"].value), int(row["relationships"].value)


def graph_size_on_dashboard(client: FlaskClient, graph: str) -> int | None:
    table = page(client.get("/")).split('id="graphs"', 1)[1].split("</table>", 1)[0]
    for row in table.split("<tr>")[1:]:
        if graph in row:
            return int(re.findall(r'class="num">([\d,]+)<', row)[0].replace(",", ""))
    return None


def test_the_page_offers_kinds_scenarios_validation_and_templates(client: FlaskClient) -> None:
    body = page(client.get("/import"))
    assert 'enctype="multipart/form-data"' in body
    assert re.findall(r'name="kind" value="([^"]+)"', body) == ["archimate", "archi-csv", "xlsx"]
    assert re.findall(r'<option value="([^"]+)"', body) == ["current", "target"]
    assert 'name="new_scenario"' in body and 'name="validate"' in body
    assert "Largest upload: 1.90735 MB" in body
    assert 'href="/import/templates/bizarch-template.xlsx"' in body
    assert 'href="/import/templates/Capabilities.csv"' in body
    assert "Uploads are turned off" not in body


def test_archisurance_lands_in_a_new_scenario_and_the_dashboard_shows_it(
    client: FlaskClient, store: OxigraphStore, archisurance: bytes
) -> None:
    graph = "urn:bizarch:scenario:archisurance"
    assert graph_size_on_dashboard(client, graph) is None  # and the dashboard is now cached
    response = post(client, [(archisurance, "Archisurance.xml")], new_scenario="archisurance")
    assert response.status_code == 200
    body = page(response)
    result = body.split('id="import-result"', 1)[1].split("</article>", 1)[0]
    assert 'id="count-elements">120<' in result
    assert 'id="count-relationships">178<' in result
    assert "scenario <code>archisurance</code>" in result
    assert counts(store, "archisurance") == (120, 178)
    assert counts(store, "current") == (0, 0)
    written = store.count(graph)
    assert f'id="count-triples">{written:,}<' in result
    # links: the imported elements (first 50 of 120) in their scenario, and the validation report
    links = re.findall(r'<a href="/element\?iri=([^"&]+)&amp;scenario=archisurance">', result)
    assert len(links) == 50 and all(link.startswith("urn:bizarch:archimate:") for link in links)
    assert ">Customer</a>" in result and "and 70 more" in result
    assert 'href="/validation?scenario=archisurance"' in result
    element = client.get(f"/element?iri={links[0]}&scenario=archisurance")
    assert element.status_code == 200 and "BusinessInterface" in page(element)  # mail
    # the web caches were cleared: the dashboard's graph list has the new scenario at once
    assert graph_size_on_dashboard(client, graph) == written


def test_dashboard_model_size_changes_after_an_import(
    client: FlaskClient, archisurance: bytes
) -> None:
    def applications_now() -> str:
        table = page(client.get("/")).split('id="model-size"', 1)[1].split("</table>", 1)[0]
        row = table.split(">application</a>", 1)[1].split("</tr>", 1)[0]
        return re.findall(r'<td class="num">([\d,]+)</td>', row)[0]

    before = int(applications_now())  # computed and cached
    response = post(client, [(archisurance, "Archisurance.xml")], scenario="current")
    assert response.status_code == 200
    assert int(applications_now()) == before + 10  # Archisurance has 10 application components


def test_archi_csv_as_files_or_as_a_zip_of_them(client: FlaskClient, store: OxigraphStore) -> None:
    files = [((ARCHI_CSV / name).read_bytes(), f"x-{name}") for name in sorted(_csv_names())]
    response = post(client, files, kind="archi-csv", new_scenario="from-csv")
    assert response.status_code == 200, error_of(response)
    from_files = counts(store, "from-csv")
    assert from_files[0] > 0 and from_files[1] > 0
    assert f'id="count-elements">{from_files[0]}<' in page(response)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for content, name in files:
            zipped.writestr(f"export/{name}", content)
        zipped.writestr("__MACOSX/export/._x-elements.csv", b"\x00\x05")
    response = post(
        client,
        [(archive.getvalue(), "archi.zip")],
        kind="archi-csv",
        new_scenario="from-zip",
        headers={"Referer": "http://localhost/import"},  # no Origin: the Referer is checked
    )
    assert response.status_code == 200, error_of(response)
    assert counts(store, "from-zip") == from_files


def _csv_names() -> list[str]:
    return [p.name for p in Path(ARCHI_CSV).glob("*.csv")]


def test_a_spreadsheet_row_lands_and_is_linked(client: FlaskClient, store: OxigraphStore) -> None:
    workbook = filled_template(
        {"Capabilities": [["cap-upload", "Uploaded capability", None, None, 1, 3]]}
    )
    response = post(client, [(workbook, "caps.xlsx")], kind="xlsx", new_scenario="sheet")
    assert response.status_code == 200, error_of(response)
    body = page(response)
    assert "Rows on Capabilities" in body and ">Uploaded capability</a>" in body
    assert store.count("urn:bizarch:scenario:sheet") > 0


@pytest.mark.parametrize(
    ("files", "kind", "fields", "status", "expected"),
    [
        (
            [(b'<?xml version="1.0"?>\n<model>\n  <elements>\n</model>\n', "broken.xml")],
            "archimate",
            {},
            400,
            "broken.xml, line 4, column 3: not well-formed XML (mismatched tag",
        ),
        ([(XXE, "xxe.xml")], "archimate", {}, 400, "xxe.xml: the XML declares a DTD or entities"),
        ([(LAUGHS, "lol.xml")], "archimate", {}, 400, "lol.xml: the XML declares a DTD"),
        ([(b"<model/>", "m.xml")], "visio", {}, 400, "Unknown import kind 'visio'"),
        (
            [(b"<model/>", "m.xml")],
            "archimate",
            {"new_scenario": "two words"},
            400,
            "'two words' is not a scenario name",
        ),
        (
            [(b"<model/>", "m.xml")],
            "archimate",
            {"new_scenario": ONTOLOGY_GRAPH},
            400,
            "names the ontology graph, not a scenario",
        ),
        (
            [(b"a,b\n", "a.xml"), (b"c\n", "b.xml")],
            "archimate",
            {},
            400,
            "Upload exactly one ArchiMate exchange file",
        ),
        (
            [
                (
                    filled_template({"Capabilities": [["cap-1", "A", None, None, 1, "high"]]}),
                    "c.xlsx",
                )
            ],
            "xlsx",
            {},
            400,
            "Capabilities!F2: Current maturity must be an integer 1-5, got 'high'.",
        ),
        (
            [(b"ID,Type,Name\n", "notes.csv")],
            "archi-csv",
            {},
            400,
            "notes.csv: not an Archi CSV file name",
        ),
        ([(b"not a zip", "archi.zip")], "archi-csv", {}, 400, "archi.zip: not a zip archive"),
        ([], "archimate", {}, 400, "Choose a file to upload."),
    ],
    ids=[
        "bad-xml",
        "xxe",
        "billion-laughs",
        "unknown-kind",
        "bad-scenario-name",
        "ontology-graph",
        "two-xml-files",
        "xlsx-bad-cell",
        "csv-name",
        "bad-zip",
        "no-file",
    ],
)
def test_bad_uploads_are_one_clear_message_and_write_nothing(
    refusing_client: FlaskClient,
    unchanged_store: OxigraphStore,
    files: list[tuple[bytes, str]],
    kind: str,
    fields: dict[str, str],
    status: int,
    expected: str,
) -> None:
    before = snapshot(unchanged_store)
    response = post(refusing_client, files, kind=kind, **fields)
    assert response.status_code == status
    message = error_of(response)
    assert expected in message and "Nothing was imported" in message
    assert snapshot(unchanged_store) == before


def test_the_validation_gate_refuses_and_lists_the_findings_by_rule(
    client: FlaskClient, store: OxigraphStore, sample1: bytes
) -> None:
    reversed_assignment = sample1.replace(
        b'source="id-37d5bc4b" target="id-89c22226"', b'source="id-89c22226" target="id-37d5bc4b"'
    )
    before = snapshot(store)
    response = post(
        client, [(reversed_assignment, "sample.xml")], new_scenario="gated", validate=True
    )
    assert response.status_code == 422
    message = error_of(response)
    assert "refused by the validation gate" in message and "nothing was written" in message
    body = page(response)
    findings = body.split('id="refused-findings"', 1)[1].split("</section>", 1)[0]
    assert 'id="refused-AM-001"' in findings
    elements = re.findall(r"<li title=\"[^\"]+\">([^<]+)", findings)
    assert elements and all(e.strip() for e in elements)
    assert snapshot(store) == before
    # the same file unchanged passes the gate and is written
    response = post(client, [(sample1, "sample.xml")], new_scenario="gated", validate=True)
    assert response.status_code == 200 and "validated: no new violations" in page(response)


def test_too_large_an_upload_is_413_naming_the_limit_and_how_to_raise_it(
    unchanged_store: OxigraphStore, archisurance: bytes
) -> None:
    store = unchanged_store
    app = make_app(store, allow_uploads=True, max_upload_bytes=10_000)
    try:
        before = snapshot(store)
        response = post(app.test_client(), [(archisurance, "Archisurance.xml")])
        assert response.status_code == 413
        message = error_of(response)
        assert "larger than the limit of 0.00953674 MB" in message
        assert "--max-upload-mb" in message and "bizarch import" in message
        assert snapshot(store) == before
    finally:
        close_app(app)


def test_the_write_path_is_closed_unless_uploads_are_allowed(
    demo_store: OxigraphStore, archisurance: bytes
) -> None:
    app = make_app(demo_store)  # allow_uploads defaults to off
    try:
        client = app.test_client()
        assert "Uploads are turned off" in page(client.get("/import"))
        before = snapshot(demo_store)
        response = post(client, [(archisurance, "Archisurance.xml")])
        assert response.status_code == 403
        assert "Uploads are turned off on this server" in error_of(response)
        assert snapshot(demo_store) == before
    finally:
        close_app(app)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Origin": "http://evil.example"}, "comes from another site (evil.example)"),
        ({"Origin": "null"}, "neither an Origin nor a Referer"),
        ({"Referer": "http://evil.example/page"}, "comes from another site"),
        ({}, "neither an Origin nor a Referer"),
        (
            {"Host": "evil.example", "Origin": "http://evil.example"},
            "host names 127.0.0.1, localhost only, not 'evil.example'",
        ),
    ],
    ids=["cross-origin", "null-origin", "cross-referer", "no-headers", "dns-rebinding"],
)
def test_posts_from_other_sites_are_refused(
    unchanged_store: OxigraphStore, archisurance: bytes, headers: dict[str, str], expected: str
) -> None:
    app = make_app(unchanged_store, allow_uploads=True, upload_hosts=("127.0.0.1", "localhost"))
    try:
        before = snapshot(unchanged_store)
        response = post(app.test_client(), [(archisurance, "A.xml")], headers=headers)
        assert response.status_code == 403
        assert expected in error_of(response)
        assert snapshot(unchanged_store) == before
    finally:
        close_app(app)


def test_templates_download_as_the_cli_writes_them(client: FlaskClient) -> None:
    response = client.get("/import/templates/bizarch-template.xlsx")
    assert response.status_code == 200
    assert 'filename="bizarch-template.xlsx"' in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:2] == ["Instructions", "Capabilities"]
    csv = client.get("/import/templates/Capabilities.csv")
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).lstrip("\ufeff").startswith(
        "ID,Name,Description"
    )
    missing = client.get("/import/templates/secrets.txt")
    assert missing.status_code == 404 and "There is no template" in page(missing)
