"""The template definitions of ``templates.yaml`` as typed objects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from bizarch.interop.archimate.mapping import expand

KINDS = (
    "id",
    "label",
    "description",
    "text",
    "integer",
    "decimal",
    "date",
    "boolean",
    "enum",
    "ref",
    "refs",
)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    property: str | None = None
    required: bool = False
    inverse: bool = False
    many: bool = False
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Sheet:
    name: str
    cls: str
    about: str
    columns: tuple[Column, ...]

    def column(self, kind: str) -> Column | None:
        return next((c for c in self.columns if c.kind == kind), None)


@dataclass(frozen=True)
class Templates:
    id_base: str
    label_language: str
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet | None:
        wanted = name.strip().lower()
        return next((s for s in self.sheets if s.name.lower() == wanted), None)


@cache
def load_templates() -> Templates:
    raw = yaml.safe_load(resources.files(__package__).joinpath("templates.yaml").read_text("utf-8"))
    sheets = []
    for sheet in raw["sheets"]:
        columns = []
        for c in sheet["columns"]:
            if c["kind"] not in KINDS:
                raise ValueError(f"templates.yaml: unknown column kind {c['kind']}")
            columns.append(
                Column(
                    c["header"],
                    c["kind"],
                    expand(c["property"]) if c.get("property") else None,
                    bool(c.get("required", False)),
                    bool(c.get("inverse", False)),
                    bool(c.get("many", False)),
                    c.get("min"),
                    c.get("max"),
                )
            )
        sheets.append(Sheet(sheet["name"], expand(sheet["class"]), sheet["about"], tuple(columns)))
    return Templates(raw["id_base"], raw["label_language"], tuple(sheets))
