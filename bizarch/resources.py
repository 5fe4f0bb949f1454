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


def web_dir() -> Path:
    return root() / "web"


def data_dir() -> Path:
    return root() / "data"


def demo_dir() -> Path:
    """The demo enterprise (one file per scenario plus shared files)."""
    return data_dir() / "demo"
