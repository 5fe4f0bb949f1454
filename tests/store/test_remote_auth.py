"""Remote store authentication, against the real oxigraph server behind a loopback gateway
that demands credentials (oxigraph itself has no authentication)."""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bizarch.config import Settings
from bizarch.errors import StoreError
from bizarch.store.base import RdfFormat, RdfSource
from bizarch.store.factory import open_store
from tests.conftest import OxigraphServer

BASIC = "Basic " + base64.b64encode(b"architect:s3cret").decode()
BEARER = "Bearer token-123"


def make_gateway(upstream: str, accepted: set[str]) -> http.server.ThreadingHTTPServer:
    class Gateway(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            if self.headers.get("Authorization") not in accepted:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="bizarch"')
                self.end_headers()
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            request = urllib.request.Request(upstream + self.path, data=body, method=self.command)
            for name in ("Content-Type", "Accept"):
                if self.headers.get(name):
                    request.add_header(name, self.headers[name])
            try:
                with urllib.request.urlopen(request) as response:
                    status, payload, headers = response.status, response.read(), response.headers
            except urllib.error.HTTPError as exc:
                status, payload, headers = exc.code, exc.read(), exc.headers
            self.send_response(status)
            if headers.get("Content-Type"):
                self.send_header("Content-Type", headers["Content-Type"])
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, *args: object) -> None:
            pass

    return http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)


@pytest.fixture
def gateway(oxigraph_server: OxigraphServer) -> Iterator[str]:
    server = make_gateway(oxigraph_server.base, {BASIC, BEARER})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/query"
    server.shutdown()
    server.server_close()


DOC = RdfSource("a.ttl", b"<http://e/a> <http://e/p> <http://e/b> .", RdfFormat.TURTLE)


@pytest.mark.parametrize(
    "credentials",
    [{"user": "architect", "password": "s3cret"}, {"token": "token-123"}],
    ids=["basic", "bearer"],
)
def test_credentials_reach_every_endpoint(gateway: str, credentials: dict[str, str]) -> None:
    store = open_store(gateway, Settings(**credentials))
    store.clear()
    assert store.load([DOC], "urn:bizarch:scenario:auth") == 1  # Graph Store Protocol
    store.update(
        "INSERT DATA { GRAPH <urn:bizarch:scenario:auth> { <http://e/c> <http://e/p> 1 } }"
    )
    assert store.count("urn:bizarch:scenario:auth") == 2  # query endpoint
    assert [g.name for g in store.graphs()] == ["urn:bizarch:scenario:auth"]
    store.clear()


def test_wrong_credentials_are_a_clear_store_error(gateway: str) -> None:
    store = open_store(gateway, Settings(user="architect", password="wrong"))
    with pytest.raises(StoreError, match="refused the credentials"):
        store.graphs()
    with pytest.raises(StoreError, match="refused the credentials"):
        store.load([DOC], "urn:bizarch:scenario:auth")


def test_credentials_come_from_the_environment() -> None:
    env = {"BIZARCH_STORE": "http://h/query", "BIZARCH_STORE_TOKEN": "abc"}
    settings = Settings.from_env(env)
    assert settings.store == "http://h/query"
    assert settings.token == "abc"
    assert "abc" not in repr(settings)
