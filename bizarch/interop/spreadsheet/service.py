"""Spreadsheet services: template download, import (xlsx or one CSV sheet), export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pyoxigraph as ox

from bizarch.errors import NotFoundError, UserInputError
from bizarch.interop import service as interop
from bizarch.interop.report import ImportReport
from bizarch.interop.safety import MAX_UPLOAD_BYTES
from bizarch.interop.spreadsheet.schema import load_templates
from bizarch.interop.spreadsheet.tables import RowReader, rows_from_graph
from bizarch.interop.spreadsheet.workbook import (
    read_csv_sheet,
    read_workbook,
    write_csv_sheets,
    write_workbook,
)
from bizarch.interop.vocabulary import load_vocabulary
from bizarch.namespaces import scenario_graph
from bizarch.store.base import GraphStore


def template(*, csv: bool = False) -> dict[str, bytes]:
    """The empty template: ``template.xlsx``, or one CSV file per sheet."""
    templates, vocab = load_templates(), load_vocabulary()
    if csv:
        return write_csv_sheets(templates)
    return {"bizarch-template.xlsx": write_workbook(templates, vocab)}


def _known_subjects(store: GraphStore, scenario: str) -> set[str]:
    try:
        quads = interop.scenario_triples(store, scenario)
    except NotFoundError:
        return set()
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}


def import_workbook(
    store: GraphStore,
    data: bytes,
    *,
    source: str = "upload.xlsx",
    scenario: str = interop.DEFAULT_SCENARIO,
    validate: bool = False,
    limit: int = MAX_UPLOAD_BYTES,
    gate: Callable[[GraphStore, str, list[ox.Quad]], None] | None = None,
) -> ImportReport:
    """Import a filled workbook (or one template sheet as CSV) into a scenario, atomically."""
    templates, vocab = load_templates(), load_vocabulary()
    if source.lower().endswith(".csv"):
        sheets, warnings = [read_csv_sheet(data, source, templates, limit=limit)], []
    else:
        sheets, warnings = read_workbook(data, source, templates, limit=limit)
    graph = scenario_graph(scenario)
    reader = RowReader(templates, vocab, graph, _known_subjects(store, scenario))
    quads = reader.read(sheets)
    if not reader.counts:
        raise UserInputError(
            f"{source}: no filled rows on any template sheet; nothing to import.",
            hint="Fill in rows below the header rows of the sheets.",
        )
    report = ImportReport(source, "xlsx" if not source.lower().endswith(".csv") else "csv", graph)
    report.elements = sum(n for name, n in reader.counts.items() if name != "Measurements")
    report.by_class.update({name: n for name, n in reader.counts.items()})
    report.warnings.extend(warnings + reader.warnings)
    report.note_elements(quads)
    if validate:
        (gate or interop.validation_gate)(store, graph, quads)
        report.validated = True
    store.add_quads(quads)
    report.quads = len(quads)
    return report


def export_workbook(
    store: GraphStore, *, scenario: str = interop.DEFAULT_SCENARIO, csv: bool = False
) -> dict[str, bytes]:
    """The scenario's elements on the template sheets (xlsx, or one CSV per sheet)."""
    templates, vocab = load_templates(), load_vocabulary()
    by_subject: dict[str, dict[str, list[ox.Term]]] = defaultdict(lambda: defaultdict(list))
    for quad in interop.scenario_triples(store, scenario):
        if isinstance(quad.subject, ox.NamedNode):
            by_subject[quad.subject.value][quad.predicate.value].append(quad.object)
    rows = {
        sheet.name: rows_from_graph(sheet, by_subject, templates, vocab)
        for sheet in templates.sheets
    }
    if csv:
        return write_csv_sheets(templates, rows)
    return {f"bizarch-{scenario.strip('*') or 'all'}.xlsx": write_workbook(templates, vocab, rows)}
