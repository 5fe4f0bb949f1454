"""The import page in a real browser: a file chosen in the form lands in the store on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bizarch.store import OxigraphStore
from tests.browser.conftest import screenshot
from tests.interop.conftest import shared_file
from tests.web.live import LiveServer, demo_store_on_disk

pytestmark = pytest.mark.browser
GRAPH = "urn:bizarch:scenario:archisurance"


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    """A server of its own (the shared one stays as the demo made it), on loopback: uploads on."""
    folder = tmp_path_factory.mktemp("upload")
    store = demo_store_on_disk(folder)
    server = LiveServer(store, folder / "serve.log")
    try:
        yield server, store
    finally:
        server.stop()


def test_uploading_archisurance_through_the_form(page, writable_server) -> None:
    page, watch = page
    server, folder = writable_server
    fixture = shared_file("fixtures", "archimate", "Archisurance_opengroup_exchange_3.0.xml")
    page.goto(server.base + "/import")
    page.check('input[name="kind"][value="archimate"]')
    page.set_input_files("#file", str(fixture))
    page.fill("#new-scenario", "archisurance")
    with page.expect_navigation():
        page.click("#import-button")
    assert page.inner_text("#count-elements") == "120"
    assert page.inner_text("#count-relationships") == "178"
    triples = int(page.inner_text("#count-triples").replace(",", ""))
    assert page.locator("#imported-elements a").count() == 50
    screenshot(page, "import-result")
    # read back from the served (in-memory) copy: the element page of an imported element
    with page.expect_navigation():
        page.locator("#imported-elements a", has_text="Customer").first.click()
    assert "scenario=archisurance" in page.url and "Customer" in page.inner_text("h1")
    watch.assert_clean()
    # and the disk record holds the same triples once the server lets go of the store
    server.stop()
    with OxigraphStore(folder) as disk:
        assert disk.count(GRAPH) == triples
