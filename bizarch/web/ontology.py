"""Ontology page: the vocabulary's classes and properties, generated from the ontology graph."""

from __future__ import annotations

from flask import Blueprint, render_template

from bizarch.browse import ontology as ontology_service
from bizarch.namespaces import ONTOLOGY_IRI
from bizarch.web.context import get_repository

bp = Blueprint("ontology", __name__)


@bp.get("/ontology")
def index() -> str:
    store = get_repository()
    return render_template(
        "ontology/index.html",
        classes=ontology_service.classes(store),
        properties=ontology_service.properties(store),
        ontology_iri=ONTOLOGY_IRI,
    )
