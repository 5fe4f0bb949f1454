"""Spreadsheet templates: download, fill in, import, export; errors name sheet, row and column."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pyoxigraph as ox
import pytest
from openpyxl import load_workbook

from bizarch.errors import ResourceLimitError, UserInputError
from bizarch.interop.spreadsheet import service as sheets
from bizarch.store import OxigraphStore, RdfFormat, RdfSource
from tests.interop.conftest import BA, DATA, RDF_TYPE, RDFS_LABEL, objects, quad_set

CURRENT = "urn:bizarch:scenario:current"
XSD = "http://www.w3.org/2001/XMLSchema#"
CONTEXT = b"""@prefix ba: <https://w3id.org/bizarch/ontology#> .
@prefix mm: <https://data.meridian-mutual.example/id/> .
mm:ou-claims a ba:OrganizationUnit . mm:sh-policyholder a ba:CustomerSegment .
mm:obj-faster a ba:Objective ."""


def with_context() -> OxigraphStore:
    store = OxigraphStore()
    store.load([RdfSource("context.ttl", CONTEXT, RdfFormat.TURTLE)], CURRENT)
    return store


def filled_template(rows: dict[str, list[list]]) -> bytes:
    """Fill the downloaded template the way a user would, with openpyxl."""
    (data,) = sheets.template().values()
    book = load_workbook(io.BytesIO(data))
    for name, values in rows.items():
        for row in values:
            book[name].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_has_instructions_headers_and_validation():
    (data,) = sheets.template().values()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Instructions",
        "Capabilities",
        "ValueStreams",
        "Stages",
        "Applications",
        "KPIs",
        "Measurements",
    ]
    caps = book["Capabilities"]
    assert [c.value for c in caps[1]] == [
        "ID",
        "Name",
        "Description",
        "Parent ID",
        "Tier",
        "Current maturity",
        "Target maturity",
        "Strategic importance",
        "Owner ID",
    ]
    validations = {str(v.sqref).split(":")[0]: v for v in caps.data_validations.dataValidation}
    assert (
        validations["H2"].type == "list"
        and validations["H2"].formula1 == '"low,medium,high,critical"'
    )
    assert validations["F2"].type == "whole" and (
        validations["F2"].formula1,
        validations["F2"].formula2,
    ) == ("1", "5")
    apps = book["Applications"]
    lists = [v.formula1 for v in apps.data_validations.dataValidation if v.type == "list"]
    assert '"planned,active,phase-out,retired"' in lists
    text = "\n".join(
        str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value
    )
    assert "Capabilities!F14" in text and "Current maturity" in text and "integer 1..5" not in text


def test_fill_in_and_import():
    data = filled_template(
        {
            "Capabilities": [
                [
                    "cap-claims",
                    "Claims Management",
                    "All about claims",
                    None,
                    1,
                    2,
                    4,
                    "critical",
                    "mm:ou-claims",
                ],
                ["cap-intake", "Claim Intake", None, "cap-claims", 2, 3, None, "High", None],
            ],
            "ValueStreams": [
                [
                    "vs-claim",
                    "Settle claim",
                    None,
                    "mm:sh-policyholder",
                    "Loss reported",
                    40,
                    "mm:obj-faster",
                ]
            ],
            "Stages": [
                [
                    "vs-claim",
                    "st-report",
                    "Report loss",
                    None,
                    1,
                    "Loss known; Policy active",
                    None,
                    2,
                    0.5,
                    "Day",
                    80,
                    "cap-intake",
                ],
            ],
            "Applications": [
                [
                    "app-portal",
                    "Claims Portal",
                    None,
                    "planned",
                    "mm:ou-claims",
                    250000,
                    "EUR",
                    "in-house",
                    "1.0",
                    dt.date(2027, 3, 1),
                    None,
                    "high",
                    "cap-intake",
                ],
            ],
            "KPIs": [
                [
                    "kpi-lead",
                    "Claim lead time",
                    None,
                    "days",
                    "lower is better",
                    12.5,
                    "2026-01-01",
                    5,
                    "2027-12-31",
                    "vs-claim",
                ]
            ],
            "Measurements": [
                [None, "kpi-lead", dt.date(2026, 1, 31), 11.8, "vs-claim", None, None]
            ],
        }
    )
    store = with_context()
    report = sheets.import_workbook(store, data, source="filled.xlsx")
    assert dict(report.by_class) == {
        "Capabilities": 2,
        "ValueStreams": 1,
        "Stages": 1,
        "Applications": 1,
        "KPIs": 1,
        "Measurements": 1,
    }
    base = "urn:bizarch:element:"
    intake = base + "cap-intake"
    assert objects(store, intake, RDF_TYPE) == [ox.NamedNode(BA + "Capability")]
    assert objects(store, intake, RDFS_LABEL) == [ox.Literal("Claim Intake", language="en")]
    assert objects(store, intake, BA + "parentCapability") == [ox.NamedNode(base + "cap-claims")]
    assert objects(store, base + "cap-claims", BA + "strategicImportance") == [
        ox.NamedNode(BA + "Critical")
    ]
    assert objects(store, base + "cap-claims", BA + "ownedBy") == [
        ox.NamedNode("https://data.meridian-mutual.example/id/ou-claims")
    ]
    stage = base + "st-report"
    assert objects(store, base + "vs-claim", BA + "hasStage") == [ox.NamedNode(stage)]
    assert set(objects(store, stage, BA + "entranceCriterion")) == {
        ox.Literal("Loss known"),
        ox.Literal("Policy active"),
    }
    assert objects(store, stage, BA + "processTime") == [
        ox.Literal("0.5", datatype=ox.NamedNode(XSD + "decimal"))
    ]
    assert objects(store, stage, BA + "timeUnit") == [ox.NamedNode(BA + "Day")]
    app = base + "app-portal"
    assert objects(store, app, BA + "goLiveDate") == [
        ox.Literal("2027-03-01", datatype=ox.NamedNode(XSD + "date"))
    ]
    assert objects(store, app, BA + "lifecycleStatus") == [ox.NamedNode(BA + "Planned")]
    assert objects(store, base + "vs-claim", BA + "measuredBy") == [ox.NamedNode(base + "kpi-lead")]
    (measurement,) = [
        q.subject for q in store.engine.quads_for_pattern(None, ox.NamedNode(BA + "ofKPI"), None)
    ]
    assert objects(store, measurement.value, BA + "measuredValue") == [
        ox.Literal("11.8", datatype=ox.NamedNode(XSD + "decimal"))
    ]
    assert objects(store, measurement.value, BA + "inScenario") == [ox.NamedNode(CURRENT)]


@pytest.mark.parametrize(
    ("sheet", "row", "message"),
    [
        (
            "Capabilities",
            ["cap-1", "A", None, None, 1, "high"],
            "Capabilities!F2: Current maturity must be an integer 1-5, got 'high'.",
        ),
        (
            "Capabilities",
            ["cap-1", "A", None, None, 4],
            "Capabilities!E2: Tier must be an integer 1-3, got '4'.",
        ),
        (
            "Capabilities",
            ["cap-1", "A", None, "cap-9"],
            "Capabilities!D2: Parent ID 'cap-9' is not the ID of a row",
        ),
        ("Capabilities", ["cap-1", None], "Capabilities!B2: Name is required."),
        ("Capabilities", ["cap 1", "A"], "Capabilities!A2: ID is not a valid identifier"),
        (
            "Applications",
            ["app-1", "A", None, "obsolete"],
            "Applications!D2: Lifecycle status must be one of planned, active, phase-out, "
            "retired, got 'obsolete'.",
        ),
        (
            "Applications",
            ["app-1", "A", None, None, None, -5],
            "Applications!F2: Annual cost must be a number >= 0, got '-5'.",
        ),
        (
            "Applications",
            ["app-1", "A", *[None] * 7, "next spring"],
            "Applications!J2: Go-live date must be a date written YYYY-MM-DD, got 'next spring'.",
        ),
        (
            "Stages",
            ["vs-x", "st-1", "S"],
            "Stages!A2: Value stream ID 'vs-x' is not the ID of a row",
        ),
        ("Measurements", [None, None, "2026-01-01", 3], "Measurements!B2: KPI ID is required."),
    ],
)
def test_errors_name_sheet_row_and_column(sheet, row, message):
    store = with_context()
    before = quad_set(store)
    with pytest.raises(UserInputError) as err:
        sheets.import_workbook(store, filled_template({sheet: [row]}), source="bad.xlsx")
    assert message in str(err.value)
    assert quad_set(store) == before


def test_all_errors_are_reported_at_once():
    rows = [["cap-1", "A", None, None, 9], ["cap-2", "B", None, None, 1, 7]]
    with pytest.raises(UserInputError) as err:
        sheets.import_workbook(
            with_context(), filled_template({"Capabilities": rows}), source="bad.xlsx"
        )
    assert "Capabilities!E2: Tier" in str(err.value) and "Capabilities!F3: Current maturity" in str(
        err.value
    )


def test_export_import_round_trip_xlsx_and_csv():
    native = OxigraphStore()
    native.load(
        [RdfSource("native.ttl", (DATA / "native.ttl").read_bytes(), RdfFormat.TURTLE)], CURRENT
    )
    (first,) = sheets.export_workbook(native).values()
    book = load_workbook(io.BytesIO(first))
    assert book["Applications"]["A2"].value == "mm:app-core"
    assert book["Stages"].max_row == 3
    one, two = with_context(), with_context()
    sheets.import_workbook(one, first, source="first.xlsx")
    (second,) = sheets.export_workbook(one).values()
    sheets.import_workbook(two, second, source="second.xlsx")
    assert quad_set(two) == quad_set(one)
    three = with_context()
    csv_files = sheets.export_workbook(one, csv=True)
    assert csv_files["Capabilities.csv"].decode().startswith("ID,Name,Description,Parent ID,Tier")
    for name in ("Capabilities", "ValueStreams", "Stages", "Applications", "KPIs", "Measurements"):
        sheets.import_workbook(three, csv_files[f"{name}.csv"], source=f"{name}.csv")
    assert quad_set(three) == quad_set(one)


def test_csv_sheet_errors_and_names():
    store = with_context()
    data = b"ID;Name;Tier\ncap-1;A;x\n"
    with pytest.raises(
        UserInputError, match=r"Capabilities!C2: Tier must be an integer 1-3, got 'x'"
    ):
        sheets.import_workbook(store, data, source="exports/capabilities.csv")
    with pytest.raises(UserInputError, match="the file name must name a template sheet"):
        sheets.import_workbook(store, data, source="stuff.csv")


def test_a_zip_that_is_no_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 100_000)
    with pytest.raises(UserInputError, match=r"bomb\.xlsx: cannot be read as an \.xlsx workbook"):
        sheets.import_workbook(OxigraphStore(), buffer.getvalue(), source="bomb.xlsx")


def test_upload_size_limit():
    (data,) = sheets.template().values()
    with pytest.raises(ResourceLimitError):
        sheets.import_workbook(OxigraphStore(), data, source="t.xlsx", limit=1000)
