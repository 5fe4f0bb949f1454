"""Browser tests: Playwright driving Debian's Chromium against ``bizarch serve`` on loopback.

Skipped with a clear reason when /usr/bin/chromium or the playwright package is absent (CI installs
both). Never downloads a browser. Every page is checked for console errors, Content-Security-Policy
violations and requests that leave 127.0.0.1; screenshots go to ``artifacts/screenshots``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import live_server  # noqa: F401 - the session fixture, shared

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install -e .[test])"
)
if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium", allow_module_level=True)


@dataclass
class PageWatch:
    """What a page did that it should not: console errors, CSP violations, outside requests."""

    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.outside, f"requests left loopback: {self.outside}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[tuple[object, PageWatch]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    watch = PageWatch()

    def on_console(message) -> None:
        if message.type == "error":
            watch.errors.append(message.text)

    def on_request(request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost"):
            watch.outside.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.on("request", on_request)
    page.on(
        "response",
        lambda r: watch.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    yield page, watch
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
