"""xlsx and CSV files of the templates: write (template or filled), read (behind the guards)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bizarch.errors import UserInputError
from bizarch.interop.safety import MAX_UPLOAD_BYTES, decode_text, open_xlsx
from bizarch.interop.spreadsheet.schema import Column, Templates
from bizarch.interop.spreadsheet.tables import SheetData, Value
from bizarch.interop.vocabulary import Vocabulary

MAX_ROWS = 100_000
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _help(column: Column, vocab: Vocabulary) -> str:
    parts = {
        "id": "Identifier: a plain id (cap-claims), a CURIE (mm:cap-claims) or an IRI.",
        "label": "Name of the element.",
        "description": "Free text describing the element.",
        "ref": "ID of another element (on this workbook or already in the scenario).",
        "refs": "IDs of other elements, separated by ';'.",
        "date": "A date, YYYY-MM-DD.",
    }
    text = parts.get(column.kind, "")
    if column.property and column.property in vocab.definitions:
        text = (text + " " if text else "") + vocab.definitions[column.property]
    if column.kind == "enum":
        attribute = vocab.attributes[column.property or ""]
        text += " One of: " + ", ".join(vocab.members[attribute.code_list or ""].values()) + "."
    if column.kind in ("integer", "decimal") and (column.min is not None or column.max is not None):
        low = "" if column.min is None else column.min
        high = "" if column.max is None else column.max
        text += f" Range: {low}..{high}."
    if column.many:
        text += " Several values separated by ';'."
    return text.strip()


def _validation(column: Column, vocab: Vocabulary) -> DataValidation | None:
    if column.kind == "enum":
        attribute = vocab.attributes[column.property or ""]
        names = ",".join(vocab.members[attribute.code_list or ""].values())
        return DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)
    if column.kind in ("integer", "decimal"):
        kind = "whole" if column.kind == "integer" else "decimal"
        low = column.min if column.min is not None else -1e15
        high = column.max if column.max is not None else 1e15
        return DataValidation(
            type=kind, operator="between", formula1=str(low), formula2=str(high), allow_blank=True
        )
    if column.kind == "date":
        return DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    return None


def _instructions(book: Workbook, templates: Templates, vocab: Vocabulary) -> None:
    sheet = book.active
    sheet.title = "Instructions"
    lines: list[list[str]] = [
        ["bizarch spreadsheet template"],
        ["Fill in the sheets (one element per row), keep the header rows, then import:"],
        ["    bizarch import xlsx WORKBOOK.xlsx --scenario current"],
        ["Rows may refer to each other by ID in any order. An import writes all rows or none:"],
        ["every error names the sheet, row and column (e.g. Capabilities!F14)."],
        ["Required columns are marked with *. Columns with a fixed list offer it as a drop-down."],
        [],
    ]
    for data_sheet in templates.sheets:
        lines.append([data_sheet.name, data_sheet.about])
        for column in data_sheet.columns:
            mark = " *" if column.required else ""
            lines.append(["", column.header + mark, _help(column, vocab)])
        lines.append([])
    for line in lines:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    for width, letter in ((16, "A"), (32, "B"), (110, "C")):
        sheet.column_dimensions[letter].width = width


def write_workbook(
    templates: Templates, vocab: Vocabulary, rows: dict[str, list[list[Value]]] | None = None
) -> bytes:
    """The template workbook, filled with ``rows`` (sheet name -> rows) when given."""
    book = Workbook()
    _instructions(book, templates, vocab)
    for template in templates.sheets:
        sheet = book.create_sheet(template.name)
        sheet.append([c.header for c in template.columns])
        for index, column in enumerate(template.columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
            validation = _validation(column, vocab)
            if validation is not None:
                validation.error = f"{column.header}: {_help(column, vocab)}"
                validation.add(f"{letter}2:{letter}{MAX_ROWS}")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
        for row in (rows or {}).get(template.name, []):
            sheet.append(row)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_workbook(
    data: bytes, source: str, templates: Templates, *, limit: int = MAX_UPLOAD_BYTES
) -> tuple[list[SheetData], list[str]]:
    """Sheets of a workbook that follow a template, and warnings about the others."""
    stream = open_xlsx(data, source, limit=limit)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise UserInputError(f"{source}: cannot be read as an .xlsx workbook ({exc}).") from None
    found, warnings = [], []
    try:
        for worksheet in book.worksheets:
            template = templates.sheet(worksheet.title)
            if template is None:
                if worksheet.title != "Instructions":
                    warnings.append(
                        f"{source}: sheet '{worksheet.title}' is not a template sheet; ignored."
                    )
                continue
            rows = worksheet.iter_rows(values_only=True)
            header = next(rows, ())
            sheet = SheetData(template, [str(h) if h is not None else "" for h in header])
            for number, values in enumerate(rows, start=2):
                if number > MAX_ROWS:
                    raise UserInputError(
                        f"{source}: sheet {template.name} has more than {MAX_ROWS} rows."
                    )
                sheet.rows.append((number, list(values)))
            found.append(sheet)
    finally:
        book.close()
    return found, warnings


def read_csv_sheet(
    data: bytes, source: str, templates: Templates, *, limit: int = MAX_UPLOAD_BYTES
) -> SheetData:
    """A CSV file holding one template sheet; its file name names the sheet (Capabilities.csv)."""
    stem = source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    template = templates.sheet(stem)
    if template is None:
        names = ", ".join(f"{s.name}.csv" for s in templates.sheets)
        raise UserInputError(f"{source}: the file name must name a template sheet: {names}.")
    text = decode_text(data, source, limit=limit)
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, [])
    sheet = SheetData(template, header)
    start = reader.line_num + 1
    try:
        for values in reader:
            sheet.rows.append((start, list(values)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UserInputError(f"{template.name}!{start}: {exc}.") from None
    return sheet


def write_csv_sheets(
    templates: Templates, rows: dict[str, list[list[Value]]] | None = None
) -> dict[str, bytes]:
    """One CSV file per template sheet (header, then rows)."""
    files = {}
    for template in templates.sheets:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([c.header for c in template.columns])
        for row in (rows or {}).get(template.name, []):
            writer.writerow(
                ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row]
            )
        files[f"{template.name}.csv"] = buffer.getvalue().encode("utf-8")
    return files
