"""The remote backend's query form comes from the grammar, not from words in comments or IRIs."""

from __future__ import annotations

import pytest

from bizarch.errors import QueryError
from bizarch.store.query_form import query_form


@pytest.mark.parametrize(
    ("query", "form"),
    [
        (
            "PREFIX ex: <http://e/> # SELECT the rows\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT",
        ),
        ("PREFIX ex: <http://e/> # ASK first\nSELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("#+ summary: SELECT nothing\n#+ tags: [x]\nASK {}", "ASK"),
        ("BASE <http://e/select/> PREFIX ask: <http://e/#> describe ask:x", "DESCRIBE"),
        ("PREFIX construct:<http://e/>SELECT ?s { ?s construct:p 'ASK' }", "SELECT"),
        ("\\u0043ONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ],
)
def test_form_is_the_keyword_after_the_prologue(query: str, form: str) -> None:
    assert query_form(query) == form


@pytest.mark.parametrize(
    "text", ["INSERT DATA { <http://e/a> <http://e/p> 1 }", "SELECTION", "# SELECT\n", ""]
)
def test_what_is_not_a_query_is_one_clear_error(text: str) -> None:
    with pytest.raises(QueryError, match="Not a SPARQL query"):
        query_form(text)
