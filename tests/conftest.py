"""Fixtures shared by every area: real stores, a real SPARQL server process, the CLI runner."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bizarch.store.oxigraph_store import OxigraphStore
from bizarch.store.sparql_store import SparqlStore


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph_executable() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("The 'oxigraph' command is missing: pip install -e '.[test]'")
    return found


class ServerProcess:
    """A server started as a real process on a free loopback port, ready once ``probe`` answers
    200, stopped (terminated, killed if need be) by :meth:`stop`. Its output goes to ``log``."""

    def __init__(self, command: list[str], log: Path, probe: str, timeout: float) -> None:
        self._log_path = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready(probe, timeout)

    def _wait_ready(self, probe: str, timeout: float) -> None:
        name = type(self).__name__
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.flush()
                raise RuntimeError(f"{name} exited: {self._log_path.read_text()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{name} did not start in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


class OxigraphServer(ServerProcess):
    """A running ``oxigraph serve`` process on loopback (in memory)."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_endpoint = f"{self.base}/query"
        command = [_oxigraph_executable(), "serve", "--bind", f"127.0.0.1:{self.port}"]
        super().__init__(command, log, f"{self.query_endpoint}?query=ASK%7B%7D", timeout=30.0)


@pytest.fixture(scope="session", autouse=True)
def compile_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the validation compile cache of a test run out of the user's home."""
    import os

    from bizarch.validation import compile_cache

    folder = tmp_path_factory.mktemp("bizarch-cache")
    previous = os.environ.get(compile_cache.ENV_DIR)
    os.environ[compile_cache.ENV_DIR] = str(folder)
    compile_cache.reset()
    yield folder
    compile_cache.save()
    if previous is None:
        os.environ.pop(compile_cache.ENV_DIR, None)
    else:
        os.environ[compile_cache.ENV_DIR] = previous
    compile_cache.reset()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One real SPARQL server for the whole session; tests get it empty via ``remote_store``."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "server.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def remote_store(oxigraph_server: OxigraphServer) -> Iterator[SparqlStore]:
    """The session's SPARQL server behind :class:`SparqlStore`, emptied before each test."""
    store = SparqlStore(oxigraph_server.query_endpoint)
    store.clear()
    yield store
    store.close()


@pytest.fixture
def memory_store() -> Iterator[OxigraphStore]:
    store = OxigraphStore(None)
    yield store
    store.close()


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    store = OxigraphStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """A click runner whose default store is a fresh folder under ``tmp_path``."""
    monkeypatch.setenv("BIZARCH_STORE", str(tmp_path / "cli-store"))
    for name in ("BIZARCH_STORE_USER", "BIZARCH_STORE_PASSWORD", "BIZARCH_STORE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests must never go through a proxy configured in the environment."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
