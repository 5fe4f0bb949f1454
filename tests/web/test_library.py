"""Query library: catalogue listing, generated forms, results, downloads."""

from __future__ import annotations

import csv
import io
import json
import re

from flask.testing import FlaskClient

from bizarch.queries.catalogue import default_catalogue


def test_library_lists_every_catalogued_query(client: FlaskClient) -> None:
    page = client.get("/queries").get_data(as_text=True)
    listed = re.findall(r'href="/queries/([^"?]+)"', page)
    assert sorted(listed) == default_catalogue().names()
    assert 'id="folder-impact"' in page and 'id="folder-trace"' in page


def test_form_is_generated_from_the_parameter_declarations(client: FlaskClient) -> None:
    form = client.get("/queries/lookup/elements").get_data(as_text=True)
    form = form.split('id="query-form"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<input name="class"\s+type="text"[^>]*required', form)
    assert "IRI, CURIE or exact name" in form
    assert '<option value="target">' in form and '<option value="*">all graphs' in form
    assert 'id="results"' not in client.get("/queries/lookup/elements").get_data(as_text=True)


def test_running_shows_the_rows_with_downloads(client: FlaskClient) -> None:
    args = {"run": "1", "class": "ba:Strategy", "scenario": "current"}
    page = client.get("/queries/lookup/elements", query_string=args).get_data(as_text=True)
    table = page.split('id="result-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 1 + 4  # header + the demo's four strategies
    assert ">Digital-first claims<" in table
    assert "/element?iri=https://data.meridian-mutual.example/id/strat-digital-claims" in table
    assert "4 rows" in page
    csv_link = re.search(r'href="([^"]+\.csv[^"]*)" id="download-csv"', page).group(1)
    csv_link = csv_link.replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).get_data(as_text=True))))
    assert sorted(r["label"] for r in rows) == [
        "Broker partnership growth",
        "Customers for life",
        "Digital-first claims",
        "Lean and modern operations",
    ]
    data = json.loads(
        client.get("/queries/lookup/elements.json", query_string=args).get_data(as_text=True)
    )
    assert data["head"]["vars"] == ["class", "element", "label"]
    assert len(data["results"]["bindings"]) == 4


def test_bad_parameters_give_one_clear_message(client: FlaskClient) -> None:
    missing = client.get("/queries/trace/up", query_string={"run": "1"})
    assert missing.status_code == 400
    assert "needs the parameter" in missing.get_data(as_text=True)
    unknown = client.get("/queries/no/such-query")
    assert unknown.status_code == 404
