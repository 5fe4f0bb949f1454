"""Template rows <-> bizarch RDF. Every error names sheet, row and column (``Capabilities!F14``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from openpyxl.utils import get_column_letter

from bizarch.errors import UserInputError
from bizarch.interop.spreadsheet.schema import Column, Sheet, Templates
from bizarch.interop.vocabulary import (
    DCTERMS_DESCRIPTION,
    RDF_TYPE,
    RDFS_LABEL,
    XSD,
    Vocabulary,
)
from bizarch.namespaces import BA, PREFIXES

Value = str | int | float | Decimal | bool | dt.date | dt.datetime | None
MAX_ERRORS = 20


@dataclass
class SheetData:
    """One sheet as read: the template it follows, its header row and its rows (1-based numbers)."""

    sheet: Sheet
    headers: list[str]
    rows: list[tuple[int, list[Value]]] = field(default_factory=list)


def display_id(iri: str, templates: Templates) -> str:
    """How an IRI is written in a sheet: plain id, CURIE, or the IRI itself."""
    if iri.startswith(templates.id_base):
        return iri[len(templates.id_base) :]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix not in ("rdf", "rdfs", "owl", "xsd", "sh"):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def resolve_id(text: str, templates: Templates) -> str:
    """An id cell as an IRI (ValueError if it cannot be one)."""
    text = text.strip()
    if not text:
        raise ValueError("is empty")
    prefix, _, local = text.partition(":")
    if local and prefix in PREFIXES and not local.startswith("//"):
        iri = PREFIXES[prefix] + local
    elif local:
        iri = text
    else:
        iri = templates.id_base + text
    try:
        return ox.NamedNode(iri).value
    except ValueError:
        raise ValueError(
            "is not a valid identifier (no spaces, quotes or angle brackets)"
        ) from None


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _range(column: Column) -> str:
    low, high = column.min, column.max
    fmt = lambda x: str(int(x)) if float(x).is_integer() else str(x)  # noqa: E731
    if low is not None and high is not None:
        return f" {fmt(low)}-{fmt(high)}"
    if low is not None:
        return f" >= {fmt(low)}"
    if high is not None:
        return f" <= {fmt(high)}"
    return ""


def _number(column: Column, value: Value, integer: bool) -> Decimal:
    text = _text(value)
    try:
        number = Decimal(text.replace(",", "")) if not isinstance(value, bool) else Decimal("nan")
    except InvalidOperation:
        number = Decimal("nan")
    if not number.is_finite() or (integer and number != number.to_integral_value()):
        kind = "an integer" if integer else "a number"
        raise ValueError(f"must be {kind}{_range(column)}, got '{text}'")
    if (column.min is not None and number < Decimal(str(column.min))) or (
        column.max is not None and number > Decimal(str(column.max))
    ):
        kind = "an integer" if integer else "a number"
        raise ValueError(f"must be {kind}{_range(column)}, got '{text}'")
    return number


class RowReader:
    """Turns sheets into quads, collecting errors so the user sees them all at once."""

    def __init__(
        self, templates: Templates, vocab: Vocabulary, graph: str, known: set[str]
    ) -> None:
        self.templates = templates
        self.vocab = vocab
        self.graph = ox.NamedNode(graph)
        self.known = set(known)
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.quads: list[ox.Quad] = []
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, self.graph))

    def read(self, sheets: Iterable[SheetData]) -> list[ox.Quad]:
        sheets = list(sheets)
        layouts = [(data, self.layout(data)) for data in sheets]
        for data, layout in layouts:  # every row's id first: rows may refer to later rows
            id_column = data.sheet.column("id")
            if layout is None or id_column is None or id_column.header not in layout:
                continue
            index = layout[id_column.header]
            for _number, values in data.rows:
                raw = _text(values[index]) if index < len(values) else ""
                if raw:
                    with contextlib.suppress(ValueError):  # reported when the row is read
                        self.known.add(resolve_id(raw, self.templates))
        for data, layout in layouts:
            if layout is not None:
                for number, values in data.rows:
                    self.row(data.sheet, layout, number, values)
        if self.errors:
            shown = self.errors[:MAX_ERRORS]
            more = len(self.errors) - len(shown)
            raise UserInputError(
                "\n".join(shown) + (f"\n... and {more} more." if more else ""),
                hint="Nothing was imported; correct the cells and import again.",
            )
        return self.quads

    def layout(self, data: SheetData) -> dict[str, int] | None:
        """Template header -> column index in the file; None (with an error) if one is missing."""
        found = {h.strip().lower(): i for i, h in enumerate(data.headers) if h and h.strip()}
        layout = {}
        for column in data.sheet.columns:
            if column.header.lower() in found:
                layout[column.header] = found[column.header.lower()]
            elif column.required:
                self.errors.append(f"{data.sheet.name}!1: the column '{column.header}' is missing.")
        known = {c.header.lower() for c in data.sheet.columns}
        extra = [h for h in data.headers if h and h.strip() and h.strip().lower() not in known]
        if extra:
            self.warnings.append(f"{data.sheet.name}: columns ignored: {', '.join(extra)}.")
        return (
            None
            if any(c.required and c.header not in layout for c in data.sheet.columns)
            else layout
        )

    def row(self, sheet: Sheet, layout: dict[str, int], number: int, values: list[Value]) -> None:
        cells = {h: (values[i] if i < len(values) else None, i) for h, i in layout.items()}
        if all(_text(v) == "" for v, _ in cells.values()):
            return
        subject = None
        id_column = sheet.column("id")
        errors_before = len(self.errors)
        if id_column is not None and id_column.header in cells:
            raw, index = cells[id_column.header]
            if _text(raw):
                try:
                    subject = resolve_id(_text(raw), self.templates)
                except ValueError as exc:
                    self.error(sheet, index, number, id_column, str(exc), raw)
        if subject is None and len(self.errors) == errors_before:
            if id_column is not None and id_column.required:
                where = f"{get_column_letter(cells[id_column.header][1] + 1)}{number}"
                self.errors.append(f"{sheet.name}!{where}: {id_column.header} is required.")
                return
            basis = "|".join(_text(v) for v, _ in cells.values())
            subject = "urn:bizarch:measurement:" + hashlib.sha1(basis.encode()).hexdigest()[:20]
        if subject is None:
            return
        triples: list[tuple[str, str, ox.NamedNode | ox.Literal]] = [
            (subject, RDF_TYPE, ox.NamedNode(sheet.cls))
        ]
        for column in sheet.columns:
            if column.kind == "id" or column.header not in cells:
                continue
            raw, index = cells[column.header]
            if _text(raw) == "":
                if column.required:
                    where = f"{get_column_letter(index + 1)}{number}"
                    self.errors.append(f"{sheet.name}!{where}: {column.header} is required.")
                continue
            try:
                for obj in self.convert(column, raw):
                    if column.inverse:
                        assert isinstance(obj, ox.NamedNode)
                        triples.append((obj.value, column.property or "", ox.NamedNode(subject)))
                    else:
                        triples.append((subject, self.predicate(column), obj))
            except ValueError as exc:
                self.error(sheet, index, number, column, str(exc), raw)
        if len(self.errors) == errors_before:
            for s, p, o in triples:
                self.add(s, p, o)
            if sheet.cls == BA + "Measurement":
                self.add(subject, BA + "inScenario", self.graph)
            self.counts[sheet.name] += 1

    def error(
        self, sheet: Sheet, index: int, number: int, column: Column, message: str, raw: Value
    ) -> None:
        where = f"{get_column_letter(index + 1)}{number}"
        self.errors.append(f"{sheet.name}!{where}: {column.header} {message}.")

    @staticmethod
    def predicate(column: Column) -> str:
        if column.kind == "label":
            return RDFS_LABEL
        if column.kind == "description":
            return DCTERMS_DESCRIPTION
        return column.property or ""

    def convert(self, column: Column, value: Value) -> list[ox.NamedNode | ox.Literal]:
        text = _text(value)
        kind = column.kind
        if kind in ("label", "description"):
            return [ox.Literal(text, language=self.templates.label_language)]
        if kind == "text":
            parts = [p.strip() for p in text.split(";")] if column.many else [text]
            return [ox.Literal(p) for p in parts if p]
        if kind == "integer":
            number = _number(column, value, integer=True)
            return [ox.Literal(str(int(number)), datatype=ox.NamedNode(XSD + "integer"))]
        if kind == "decimal":
            number = _number(column, value, integer=False)
            return [ox.Literal(_decimal_text(number), datatype=ox.NamedNode(XSD + "decimal"))]
        if kind == "date":
            if isinstance(value, dt.datetime):
                return [ox.Literal(value.date().isoformat(), datatype=ox.NamedNode(XSD + "date"))]
            if isinstance(value, dt.date):
                return [ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))]
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"must be a date written YYYY-MM-DD, got '{text}'") from None
            return [ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))]
        if kind == "boolean":
            lowered = text.lower()
            if lowered not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(f"must be true or false, got '{text}'")
            flag = lowered in ("true", "yes", "1")
            return [ox.Literal("true" if flag else "false", datatype=ox.NamedNode(XSD + "boolean"))]
        if kind == "enum":
            attribute = self.vocab.attributes[column.property or ""]
            member = self.vocab.member_for(attribute.code_list or "", text)
            if member is None:
                allowed = ", ".join(self.vocab.members[attribute.code_list or ""].values())
                raise ValueError(f"must be one of {allowed}, got '{text}'")
            return [ox.NamedNode(member)]
        # ref / refs
        parts = [p.strip() for p in text.split(";")] if kind == "refs" else [text]
        found = []
        for part in (p for p in parts if p):
            try:
                iri = resolve_id(part, self.templates)
            except ValueError as exc:
                raise ValueError(f"'{part}' {exc}") from None
            if iri not in self.known:
                raise ValueError(
                    f"'{part}' is not the ID of a row in this workbook or of an element of "
                    "the scenario"
                )
            found.append(ox.NamedNode(iri))
        return found


def _decimal_text(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


# --------------------------------------------------------------------------------------- export


def rows_from_graph(
    sheet: Sheet,
    by_subject: dict[str, dict[str, list[ox.Term]]],
    templates: Templates,
    vocab: Vocabulary,
) -> list[list[Value]]:
    """The sheet's rows for the elements of its class in a scenario's triples."""
    inverse: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    wanted = {c.property for c in sheet.columns if c.inverse}
    for s, props in by_subject.items():
        for p in wanted & props.keys():
            for o in props[p]:
                if isinstance(o, ox.NamedNode):
                    inverse[o.value][p or ""].append(s)
    rows = []
    subjects = sorted(
        s
        for s, props in by_subject.items()
        if any(t.value == sheet.cls for t in props.get(RDF_TYPE, []))
    )
    for subject in subjects:
        props = by_subject[subject]
        row: list[Value] = []
        for column in sheet.columns:
            if column.kind == "id":
                row.append(display_id(subject, templates))
                continue
            if column.inverse:
                refs = sorted(
                    display_id(s, templates) for s in inverse[subject][column.property or ""]
                )
                row.append("; ".join(refs) if refs else None)
                continue
            values = props.get(RowReader.predicate(column), [])
            if column.kind in ("label", "description"):
                values = sorted(
                    values,
                    key=lambda v: (
                        getattr(v, "language", None) != templates.label_language,
                        v.value,
                    ),
                )
                row.append(values[0].value if values else None)
            elif column.kind in ("ref", "refs"):
                refs = sorted(
                    display_id(v.value, templates) for v in values if isinstance(v, ox.NamedNode)
                )
                row.append("; ".join(refs) if refs else None)
            elif column.kind == "enum":
                row.append(vocab.labels.get(values[0].value) if values else None)
            elif not values:
                row.append(None)
            elif column.kind == "integer":
                row.append(int(Decimal(values[0].value)))
            elif column.kind == "decimal":
                number = Decimal(values[0].value)
                row.append(int(number) if number == number.to_integral_value() else float(number))
            elif column.kind == "date":
                row.append(dt.date.fromisoformat(values[0].value[:10]))
            else:
                row.append("; ".join(sorted(v.value for v in values)))
        rows.append(row)
    return rows
