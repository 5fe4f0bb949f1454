"""Import and export services: bytes in, report or bytes out. The CLI and the web call these.

Each import parses and maps everything in memory first and writes with ONE atomic ``add_quads``;
when asked, the validation gate runs on the result before anything is written. Each export reads
one scenario graph (or all of them) as N-Triples from the store interface, so every backend works.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from bizarch.errors import NotFoundError, UserInputError
from bizarch.interop.archimate import csv_format, xml_format
from bizarch.interop.archimate.from_rdf import graph_to_model
from bizarch.interop.archimate.model import ExchangeModel
from bizarch.interop.archimate.to_rdf import model_to_quads
from bizarch.interop.report import ImportReport
from bizarch.interop.safety import MAX_UPLOAD_BYTES, check_size, unpack_zip
from bizarch.namespaces import ONTOLOGY_GRAPH, scenario_graph
from bizarch.store.base import GraphStore, RdfFormat

DEFAULT_SCENARIO = "current"
ALL_SCENARIOS = "*"


def validation_gate(store: GraphStore, graph: str, quads: list[ox.Quad]) -> None:
    """Refuse the import if the resulting scenario would have a violation it did not have.

    Raises :class:`bizarch.validation.gate.LoadRefusedError` (nothing is written) naming the new
    violations; see :func:`bizarch.validation.gate.check_addition`.
    """
    from bizarch.validation.gate import check_addition

    check_addition(store, quads)


def _write(
    store: GraphStore,
    quads: list[ox.Quad],
    report: ImportReport,
    *,
    validate: bool,
    gate: Callable[[GraphStore, str, list[ox.Quad]], None] | None,
) -> ImportReport:
    report.note_elements(quads)
    if validate:
        (gate or validation_gate)(store, report.graph, quads)
        report.validated = True
    store.add_quads(quads)
    report.quads = len(quads)
    return report


def import_model(
    store: GraphStore,
    model: ExchangeModel,
    *,
    source: str,
    format: str,
    scenario: str = DEFAULT_SCENARIO,
    validate: bool = False,
    gate: Callable[[GraphStore, str, list[ox.Quad]], None] | None = None,
) -> ImportReport:
    """Map an already-read model into a scenario graph, atomically."""
    graph = scenario_graph(scenario)
    report = ImportReport(source, format, graph)
    quads = model_to_quads(model, graph, source, report)
    return _write(store, quads, report, validate=validate, gate=gate)


def import_archimate(
    store: GraphStore,
    data: bytes,
    *,
    source: str = "upload.xml",
    scenario: str = DEFAULT_SCENARIO,
    validate: bool = False,
    limit: int = MAX_UPLOAD_BYTES,
    gate: Callable[[GraphStore, str, list[ox.Quad]], None] | None = None,
) -> ImportReport:
    """Import an Open Group exchange file (bytes) into a scenario."""
    model = xml_format.read_exchange(data, source, limit=limit)
    return import_model(
        store,
        model,
        source=source,
        format="archimate",
        scenario=scenario,
        validate=validate,
        gate=gate,
    )


def import_archi_csv(
    store: GraphStore,
    files: Mapping[str, bytes],
    *,
    source: str = "archi-csv",
    scenario: str = DEFAULT_SCENARIO,
    validate: bool = False,
    limit: int = MAX_UPLOAD_BYTES,
    gate: Callable[[GraphStore, str, list[ox.Quad]], None] | None = None,
) -> ImportReport:
    """Import Archi CSV files, keyed ``elements``, ``relations`` and (optional) ``properties``."""
    model = csv_format.read_archi_csv(files, source, limit=limit)
    return import_model(
        store,
        model,
        source=source,
        format="archi-csv",
        scenario=scenario,
        validate=validate,
        gate=gate,
    )


def scenario_triples(store: GraphStore, scenario: str = DEFAULT_SCENARIO) -> list[ox.Quad]:
    """All quads of one scenario graph, or of every graph but the ontology for ``*``."""
    buffer = io.BytesIO()
    if scenario == ALL_SCENARIOS:
        store.export(buffer, RdfFormat.NQUADS)
        quads = [
            q
            for q in ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS)
            if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == ONTOLOGY_GRAPH)
        ]
    else:
        graph = scenario_graph(scenario)
        if not any(info.name == graph for info in store.graphs()):
            raise NotFoundError(
                f"Scenario '{scenario}' does not exist (no graph {graph}).",
                hint="List the scenarios with 'bizarch graphs'.",
            )
        store.export(buffer, RdfFormat.NTRIPLES, graph)
        quads = list(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_TRIPLES))
    return quads


@dataclass
class Export:
    """Exported files (name -> bytes) and what could not be carried."""

    files: dict[str, bytes]
    warnings: list[str]
    model: ExchangeModel


def _model(store: GraphStore, scenario: str) -> tuple[ExchangeModel, list[str]]:
    quads = scenario_triples(store, scenario)
    if not quads:
        raise NotFoundError(f"Scenario '{scenario}' holds no triples; nothing to export.")
    return graph_to_model(quads, scenario.strip("*") or "all")


def export_archimate(store: GraphStore, *, scenario: str = DEFAULT_SCENARIO) -> Export:
    """A scenario as an Open Group exchange file (``model.xml``)."""
    model, warnings = _model(store, scenario)
    return Export({"model.xml": xml_format.write_exchange(model)}, warnings, model)


def export_archi_csv(store: GraphStore, *, scenario: str = DEFAULT_SCENARIO) -> Export:
    """A scenario as Archi's three CSV files."""
    model, warnings = _model(store, scenario)
    files, lost = csv_format.write_archi_csv(model)
    return Export(files, warnings + lost, model)


UPLOAD_KINDS = ("archimate", "archi-csv", "xlsx")


def _unzipped(files: Mapping[str, bytes], limit: int) -> dict[str, bytes]:
    """Archi's CSV files as uploaded: any ``.zip`` among them is replaced by its files."""
    out: dict[str, bytes] = {}
    for name, data in files.items():
        if name.lower().endswith(".zip"):
            out.update(unpack_zip(data, name, limit=limit))
        else:
            out[name] = data
    return out


def import_upload(
    store: GraphStore,
    kind: str,
    files: Mapping[str, bytes],
    *,
    scenario: str = DEFAULT_SCENARIO,
    validate: bool = False,
    limit: int = MAX_UPLOAD_BYTES,
) -> ImportReport:
    """The web upload entry point: one kind, files by name, a size limit on each and all.

    ``archimate`` takes one exchange file; ``archi-csv`` takes Archi's CSV files (elements.csv,
    relations.csv, properties.csv, with or without a common prefix) and/or a zip of them;
    ``xlsx`` takes one template workbook or one template sheet saved as CSV.
    """
    check_size(b"".join(files.values()), "upload", limit)
    if kind == "archimate":
        if len(files) != 1:
            raise UserInputError("Upload exactly one ArchiMate exchange file (.xml).")
        ((name, data),) = files.items()
        return import_archimate(
            store, data, source=name, scenario=scenario, validate=validate, limit=limit
        )
    if kind == "archi-csv":
        return import_archi_csv(
            store,
            csv_format.files_by_role(_unzipped(files, limit)),
            scenario=scenario,
            validate=validate,
            limit=limit,
        )
    if kind == "xlsx":
        from bizarch.interop.spreadsheet import service as sheets

        if len(files) != 1:
            raise UserInputError("Upload exactly one workbook (.xlsx) or template CSV file.")
        ((name, data),) = files.items()
        return sheets.import_workbook(
            store, data, source=name, scenario=scenario, validate=validate, limit=limit
        )
    raise UserInputError(f"Unknown import kind '{kind}'; one of {', '.join(UPLOAD_KINDS)}.")
