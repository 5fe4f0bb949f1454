"""Trace trees as the trace page shows and exports them (the trace itself is ``bizarch.trace``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bizarch.browse.terms import curie
from bizarch.trace import TraceNode, TraceTree


@dataclass(frozen=True)
class TraceRow:
    """One element of a trace, with its place in the tree."""

    depth: int
    layer: str
    element: str
    label: str
    relation: str
    parent: str
    path: str
    """Labels from the start to this element, joined with " > "."""


def rows(tree: TraceTree) -> list[TraceRow]:
    """Depth-first rows (the order of the collapsible table)."""
    out: list[TraceRow] = []

    def visit(node: TraceNode, depth: int, parent: str, path: list[str]) -> None:
        here = [*path, node.label or curie(node.element)]
        out.append(
            TraceRow(
                depth,
                node.layer,
                node.element,
                node.label,
                curie(node.relation) if node.relation else "",
                parent,
                " > ".join(here),
            )
        )
        for child in node.children:
            visit(child, depth + 1, node.element, here)

    visit(tree.root, 0, "", [])
    return out


def to_csv(tree: TraceTree) -> str:
    """The trace as CSV (one row per element), for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["depth", "layer", "element", "label", "relation", "parent", "path"])
    for row in rows(tree):
        writer.writerow(
            [row.depth, row.layer, row.element, row.label, row.relation, row.parent, row.path]
        )
    return buffer.getvalue()
