"""``bizarch serve`` as a real process on a free loopback port, over a demo store on disk."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import free_port


class LiveServer:
    """A running ``bizarch serve`` (waitress) answering on ``base``."""

    def __init__(self, store: Path, log: Path, *extra: str) -> None:
        self.store = store
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.base}/sparql"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bizarch",
                "--store",
                str(store),
                "serve",
                "--port",
                str(self.port),
                *extra,
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready(log)

    def _wait_ready(self, log: Path, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bizarch serve exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise RuntimeError("bizarch serve did not start in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def demo_store_on_disk(folder: Path) -> Path:
    """A store folder with the demo enterprise, made by the CLI like a user would."""
    store = folder / "store"
    subprocess.run(
        [sys.executable, "-m", "bizarch", "--store", str(store), "demo"],
        check=True,
        capture_output=True,
    )
    return store
