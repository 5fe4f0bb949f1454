"""Trace trees as the trace page shows and exports them (the trace itself is ``bizarch.trace``)."""

from __future__ import annotations

import csv
import io
from collections import deque
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


def prune(root: TraceNode, limit: int) -> tuple[TraceNode, int]:
    """A copy of the tree holding its first ``limit`` nodes in breadth-first order (the layers
    nearest the start), and how many nodes the whole tree has. At a million triples a strategy
    reaches thousands of elements: a page cannot draw them all, the CSV download has them."""
    total = sum(1 for _ in root.walk())
    copy = TraceNode(root.element, root.label, root.cls, root.relation)
    queue = deque([(root, copy)])
    kept = 1
    while queue:
        original, clone = queue.popleft()
        for child in original.children:
            if kept >= limit:
                return copy, total
            twin = TraceNode(child.element, child.label, child.cls, child.relation)
            clone.children.append(twin)
            kept += 1
            queue.append((child, twin))
    return copy, total
