"""Archi's CSV format: ``elements.csv``, ``relations.csv``, ``properties.csv`` (model <-> CSV).

As Archi's CSV importer and exporter define it. Headers: elements
``ID,Type,Name,Documentation,Specialization``, relations
``ID,Type,Name,Documentation,Source,Target,Specialization``, properties ``ID,Key,Value``. Element
types are Archi class names (``BusinessActor``, ``Junction``), relationship types end in
``Relationship`` (``ServingRelationship``); a row of type ``ArchimateModel`` describes the model;
the properties ``Access_Type``, ``Influence_Strength``, ``Directed`` and ``Junction_Type`` carry the
attributes of those concepts; ``,``, ``;`` or tab separate fields. CSV holds one name and one
documentation per concept, no folders and no views: an export says what it could not carry.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping

from bizarch.errors import UserInputError
from bizarch.interop.archimate.model import (
    ACCESS_TYPES,
    RELATIONSHIP_TYPES,
    Element,
    ExchangeModel,
    LangText,
    Property,
    PropertyDefinition,
    Relationship,
)
from bizarch.interop.archimate.model import (
    ELEMENT_TYPES as EXCHANGE_ELEMENT_TYPES,
)
from bizarch.interop.safety import MAX_UPLOAD_BYTES, decode_text

ELEMENTS_HEADER = ("ID", "Type", "Name", "Documentation", "Specialization")
RELATIONS_HEADER = ("ID", "Type", "Name", "Documentation", "Source", "Target", "Specialization")
PROPERTIES_HEADER = ("ID", "Key", "Value")
MODEL_TYPE = "ArchimateModel"
SPECIALIZATION = "Specialization"
ACCESS_TYPE, INFLUENCE, DIRECTED, JUNCTION_TYPE = (
    "Access_Type",
    "Influence_Strength",
    "Directed",
    "Junction_Type",
)
ELEMENT_TYPES = frozenset((*EXCHANGE_ELEMENT_TYPES, "Junction"))
_ID = re.compile(r"[a-zA-Z0-9._-]+")
ROLES = ("elements", "relations", "properties")


def files_by_role(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Match uploaded file names (``x-elements.csv``...) to their role, as Archi does."""
    found: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for name, data in files.items():
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
        role = next((r for r in ROLES if stem.endswith(r)), None)
        if role is None:
            raise UserInputError(
                f"{name}: not an Archi CSV file name (it must end in elements.csv, relations.csv "
                "or properties.csv)."
            )
        if role in found:
            raise UserInputError(
                f"{name}: a second {role}.csv ({names[role]} came first); upload one set of files."
            )
        found[role], names[role] = data, name
    return found


def _rows(
    data: bytes, name: str, header: tuple[str, ...], limit: int
) -> list[tuple[int, list[str]]]:
    """Rows after the header with their line numbers; tries , ; and tab like Archi."""
    text = decode_text(data, name, limit=limit)
    first = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            head = next(reader)
        except StopIteration:
            raise UserInputError(f"{name}: the file is empty.") from None
        except csv.Error as exc:
            raise UserInputError(f"{name}, line 1: {exc}.") from None
        if [h.strip().lower() for h in head[: len(header) - 1]] != [
            h.lower() for h in header[: len(header) - 1]
        ]:
            continue
        rows = []
        start = reader.line_num + 1
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append((start, row))  # the line the record starts on
                start = reader.line_num + 1
        except csv.Error as exc:
            raise UserInputError(f"{name}, line {reader.line_num}: {exc}.") from None
        return rows
    raise UserInputError(
        f"{name}, line 1: the header must be {','.join(header)}, got '{first.strip()[:120]}'.",
        hint="Export the CSV files again from Archi (File > Export > Model to CSV).",
    )


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _flat(text: str) -> str:
    return re.sub(r"[\r\n\t]+", " ", text)


def _check_id(identifier: str, where: str) -> str:
    if not _ID.fullmatch(identifier):
        raise UserInputError(
            f"{where}: ID '{identifier}' may only contain letters, digits, '.', '_' and '-'."
        )
    return identifier


def _generated_id(*parts: str) -> str:
    return "id-" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:20]


def definition_id(key: str) -> str:
    """A property definition's identifier, derived from its key so re-imports agree."""
    return "propid-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def read_archi_csv(
    files: Mapping[str, bytes], source: str = "archi-csv", *, limit: int = MAX_UPLOAD_BYTES
) -> ExchangeModel:
    """Read Archi CSV files (keys ``elements``, ``relations``, ``properties``) into a model."""
    if "elements" not in files:
        raise UserInputError(f"{source}: elements.csv is missing; Archi CSV needs at least it.")
    model = ExchangeModel("id-archi-csv-model", [LangText("Archi CSV import")])
    concepts: dict[str, Element | Relationship] = {}
    definitions: dict[str, PropertyDefinition] = {}

    def add_property(owner_props: list[Property], key: str, value: str) -> None:
        if key not in definitions:
            definitions[key] = PropertyDefinition(definition_id(key), [LangText(key)])
        owner_props.append(Property(definitions[key].identifier, [LangText(value)]))

    name = "elements.csv"
    for line, row in _rows(files["elements"], name, ELEMENTS_HEADER, limit):
        where = f"{name}, line {line}"
        kind = _cell(row, 1).strip()
        if kind == MODEL_TYPE:
            if _cell(row, 0).strip():
                model.identifier = _check_id(_cell(row, 0).strip(), where)
            model.names = [LangText(_flat(_cell(row, 2)))]
            model.documentation = [LangText(_cell(row, 3))] if _cell(row, 3) else []
            continue
        if kind not in ELEMENT_TYPES:
            raise UserInputError(
                f"{where}, column B (Type): '{kind}' is not an ArchiMate element type.",
                hint="Use Archi's class names, e.g. BusinessActor, ApplicationComponent.",
            )
        identifier = _cell(row, 0).strip() or _generated_id(kind, _cell(row, 2), str(line))
        _check_id(identifier, where)
        if identifier in concepts:
            raise UserInputError(f"{where}: ID '{identifier}' is used twice.")
        element = Element(
            identifier,
            "AndJunction" if kind == "Junction" else kind,
            [LangText(_flat(_cell(row, 2)))],
            [LangText(_cell(row, 3))] if _cell(row, 3) else [],
        )
        if _cell(row, 4).strip():
            add_property(element.properties, SPECIALIZATION, _cell(row, 4).strip())
        concepts[identifier] = element
        model.elements.append(element)

    name = "relations.csv"
    pending: list[tuple[str, Relationship]] = []
    for line, row in _rows(
        files.get("relations", b'"ID","Type","Name","Documentation","Source","Target"\r\n'),
        name,
        RELATIONS_HEADER,
        limit,
    ):
        where = f"{name}, line {line}"
        kind = _cell(row, 1).strip()
        base = kind.removesuffix("Relationship")
        if not kind.endswith("Relationship") or base not in RELATIONSHIP_TYPES:
            raise UserInputError(
                f"{where}, column B (Type): '{kind}' is not an ArchiMate relationship type.",
                hint="Use Archi's names, e.g. ServingRelationship, AssignmentRelationship.",
            )
        identifier = _cell(row, 0).strip() or _generated_id(
            kind, _cell(row, 4), _cell(row, 5), str(line)
        )
        _check_id(identifier, where)
        if identifier in concepts:
            raise UserInputError(f"{where}: ID '{identifier}' is used twice.")
        rel = Relationship(
            identifier,
            base,
            [LangText(_flat(_cell(row, 2)))] if _cell(row, 2) else [],
            [LangText(_cell(row, 3))] if _cell(row, 3) else [],
            source=_cell(row, 4).strip(),
            target=_cell(row, 5).strip(),
        )
        if _cell(row, 6).strip():
            add_property(rel.properties, SPECIALIZATION, _cell(row, 6).strip())
        concepts[identifier] = rel
        pending.append((where, rel))
        model.relationships.append(rel)
    for where, rel in pending:
        for column, end in (("E (Source)", rel.source), ("F (Target)", rel.target)):
            if end not in concepts:
                raise UserInputError(
                    f"{where}, column {column}: '{end}' is not the ID of an element or "
                    "relationship."
                )

    name = "properties.csv"
    if "properties" in files:
        for line, row in _rows(files["properties"], name, PROPERTIES_HEADER, limit):
            where = f"{name}, line {line}"
            owner_id, key, value = _cell(row, 0).strip(), _flat(_cell(row, 1)), _flat(_cell(row, 2))
            if owner_id == model.identifier:
                add_property(model.properties, key, value)
                continue
            owner = concepts.get(owner_id)
            if owner is None:
                raise UserInputError(
                    f"{where}, column A (ID): '{owner_id}' is not the ID of the model, an element "
                    "or a relationship."
                )
            if isinstance(owner, Relationship) and _special(owner, key, value, where):
                continue
            if (
                isinstance(owner, Element)
                and key == JUNCTION_TYPE
                and owner.type.endswith("Junction")
            ):
                owner.type = "OrJunction" if value.strip().lower() == "or" else "AndJunction"
                continue
            add_property(owner.properties, key, value)
    model.property_definitions = list(definitions.values())
    return model


def _special(rel: Relationship, key: str, value: str, where: str) -> bool:
    """Apply Archi's attribute properties; True when the property was one of them."""
    if key == ACCESS_TYPE and rel.type == "Access":
        if value not in ACCESS_TYPES:
            raise UserInputError(
                f"{where}, column C (Value): Access_Type must be one of {', '.join(ACCESS_TYPES)}, "
                f"got '{value}'."
            )
        rel.access_type = value
        return True
    if key == INFLUENCE and rel.type == "Influence":
        rel.influence_strength = value
        return True
    if key == DIRECTED and rel.type == "Association":
        rel.is_directed = value.strip().lower() == "true"
        return True
    return False


class _Table:
    """One CSV file as Archi writes it: every field quoted, CRLF line ends, UTF-8."""

    def __init__(self, header: tuple[str, ...]) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        self.writer.writerow(header)

    def row(self, *values: str) -> None:
        self.writer.writerow(values)

    def data(self) -> bytes:
        return self.buffer.getvalue().encode("utf-8")


def write_archi_csv(model: ExchangeModel) -> tuple[dict[str, bytes], list[str]]:
    """The three CSV files of a model, and what CSV could not carry."""
    lost: list[str] = []
    names = model.definition_names()

    def first(texts: list[LangText], what: str, flat: bool = True) -> str:
        if len(texts) > 1:
            lost.append(what)
        text = texts[0].text if texts else ""
        return _flat(text) if flat else text

    def split(props: list[Property]) -> tuple[str, list[Property]]:
        special = [p for p in props if names.get(p.definition) == SPECIALIZATION and p.values]
        rest = [p for p in props if p not in special]
        return (special[0].values[0].text if special else ""), rest

    elements, relations = _Table(ELEMENTS_HEADER), _Table(RELATIONS_HEADER)
    properties = _Table(PROPERTIES_HEADER)

    def write_properties(owner: str, props: list[Property]) -> None:
        for prop in props:
            properties.row(owner, names.get(prop.definition, ""), first(prop.values, "languages"))

    elements.row(
        model.identifier,
        MODEL_TYPE,
        first(model.names, "model names"),
        first(model.documentation, "model documentation", flat=False),
        "",
    )
    write_properties(model.identifier, model.properties)
    for element in model.elements:
        spec, props = split(element.properties)
        junction = element.type.endswith("Junction")
        elements.row(
            element.identifier,
            "Junction" if junction else element.type,
            first(element.names, "names"),
            first(element.documentation, "documentation", flat=False),
            spec,
        )
        if junction:
            kind = "Or" if element.type == "OrJunction" else "And"
            properties.row(element.identifier, JUNCTION_TYPE, kind)
        write_properties(element.identifier, props)
    for rel in model.relationships:
        spec, props = split(rel.properties)
        relations.row(
            rel.identifier,
            rel.type + "Relationship",
            first(rel.names, "names"),
            first(rel.documentation, "documentation", flat=False),
            rel.source,
            rel.target,
            spec,
        )
        if rel.access_type is not None:
            properties.row(rel.identifier, ACCESS_TYPE, rel.access_type)
        if rel.influence_strength is not None:
            properties.row(rel.identifier, INFLUENCE, rel.influence_strength)
        if rel.is_directed is not None:
            properties.row(rel.identifier, DIRECTED, "true" if rel.is_directed else "false")
        write_properties(rel.identifier, props)
    warnings = []
    if lost:
        warnings.append(
            f"CSV keeps one text per concept: {len(lost)} further names, documentations or "
            "property languages were left out."
        )
    if model.organization is not None and model.organization.items:
        warnings.append("CSV has no folders: the organisation tree was left out.")
    if model.views:
        warnings.append(f"CSV has no views: {len(model.views)} views were left out.")
    files = {
        "elements.csv": elements.data(),
        "relations.csv": relations.data(),
        "properties.csv": properties.data(),
    }
    return files, warnings
