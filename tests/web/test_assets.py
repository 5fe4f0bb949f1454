"""Front-end assets: every script and stylesheet is a local, vendored file; nothing from a CDN."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient

from bizarch import resources

WEB = resources.web_dir()
TEMPLATES = sorted((WEB / "templates").rglob("*.html"))
STATIC_REF = re.compile(r"url_for\('static', filename='([^']+)'\)")
TAG_REF = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=\"([^\"]+)\"")


def test_templates_exist() -> None:
    assert len(TEMPLATES) >= 6


def test_every_static_reference_in_the_templates_is_a_local_file() -> None:
    found = []
    for template in TEMPLATES:
        for name in STATIC_REF.findall(template.read_text(encoding="utf-8")):
            assert (WEB / "static" / name).is_file(), f"{template.name}: {name} is missing"
            found.append(name)
    assert "vendor/zazuko-yasgui/yasgui.min.js" in found
    assert "vendor/picocss-pico/pico.min.css" in found


def test_no_template_or_page_script_references_the_network() -> None:
    for path in [*TEMPLATES, *(WEB / "static" / "js").glob("*.js")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), f"{path.name} references http(s)://"


def test_script_and_style_tags_only_load_from_this_app(client: FlaskClient) -> None:
    for page in ("/", "/ontology", "/console", "/element?iri=mm:app-claimsone"):
        html = client.get(page).get_data(as_text=True)
        refs = TAG_REF.findall(html)
        scripts = [r for r in refs if r.endswith((".js", ".css"))]
        assert scripts, page
        for ref in scripts:
            assert ref.startswith("/static/"), f"{page}: {ref}"
            assert client.get(ref).status_code == 200, ref
        assert "<script>" not in html  # no inline script: the CSP forbids it anyway


def test_every_vendored_package_has_its_licence_and_version() -> None:
    vendor = WEB / "static" / "vendor"
    package = json.loads((WEB / "package.json").read_text())
    lock = json.loads((WEB / "package-lock.json").read_text())
    for name in package["dependencies"]:
        folder = vendor / name.lstrip("@").replace("/", "-")
        assert (folder / "LICENSE").stat().st_size > 200, name
        version = (folder / "VERSION").read_text().split()[1]
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    assert "=== codemirror" in (vendor / "zazuko-yasgui" / "LICENSE").read_text()
