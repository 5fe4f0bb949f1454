"""``bizarch serve`` as a real process on a free loopback port, over a demo store on disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ServerProcess, free_port


class LiveServer(ServerProcess):
    """A running ``bizarch serve`` (waitress) answering on ``base``."""

    def __init__(self, store: Path, log: Path, *extra: str) -> None:
        self.store = store
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.base}/sparql"
        command = [sys.executable, "-m", "bizarch", "--store", str(store), "serve"]
        command += ["--port", str(self.port), *extra]
        super().__init__(command, log, self.base + "/", timeout=60.0)


def demo_store_on_disk(folder: Path) -> Path:
    """A store folder with the demo enterprise, made by the CLI like a user would."""
    store = folder / "store"
    subprocess.run(
        [sys.executable, "-m", "bizarch", "--store", str(store), "demo"],
        check=True,
        capture_output=True,
    )
    return store
