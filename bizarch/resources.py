"""The one module that knows where the project's data folders live.

In a checkout (editable install) they are the top-level folders of the repository. In a wheel they
are package data under ``bizarch/_data`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_FOLDERS = ("ontology", "shapes", "queries", "web", "data")


@cache
def root() -> Path:
    """Folder holding ``ontology/``, ``shapes/``, ``queries/``, ``web/`` and ``data/``."""
    packaged = _PACKAGE_DIR / "_data"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent
    if (checkout / "ontology").is_dir():
        return checkout
    raise RuntimeError(  # a broken installation, not a user error
        f"bizarch data folders not found next to {_PACKAGE_DIR}; reinstall the package."
    )


def ontology_dir() -> Path:
    return root() / "ontology"


def ontology_file() -> Path:
    """The hand-edited OWL source of the bizarch vocabulary."""
    return ontology_dir() / "bizarch.ttl"


def shapes_dir() -> Path:
    return root() / "shapes"


def queries_dir() -> Path:
    return root() / "queries"


@cache
def query_text(name: str) -> str:
    """The text of the named query ``queries/<name>.rq``, read on its own.

    For code that runs one known query on a hot path (the store counting a graph, a report
    naming its elements): the catalogue reads and checks every file (0.1 s). A named query's
    ``#+`` header lines are SPARQL comments, so the text runs as it is; the catalogue's tests
    check every file, these included.
    """
    return (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")


def web_dir() -> Path:
    return root() / "web"


def data_dir() -> Path:
    return root() / "data"


def demo_dir() -> Path:
    """The demo enterprise (one file per scenario plus shared files)."""
    return data_dir() / "demo"
