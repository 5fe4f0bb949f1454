"""Wheel build hook: ship the top-level data folders as package data under ``bizarch/_data``.

Why a hook instead of a static ``force-include`` table: folders appear as the project grows
(shapes/, queries/, web/ land from different branches), and a static entry for a missing folder
fails the build. Editable installs get nothing here: ``bizarch.resources`` then finds the folders in
the checkout itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FOLDERS = {
    "ontology": "bizarch/_data/ontology",
    "shapes": "bizarch/_data/shapes",
    "queries": "bizarch/_data/queries",
    "web": "bizarch/_data/web",
    "data/demo": "bizarch/_data/data/demo",
}


class DataFoldersHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        for source, target in FOLDERS.items():
            if (root / source).is_dir():
                build_data["force_include"][str(root / source)] = target
