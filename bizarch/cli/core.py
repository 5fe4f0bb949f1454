"""Core commands: init, load, export, graphs, sparql, demo, generate (issue: repository core)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Attach this area's commands to the top-level group."""
