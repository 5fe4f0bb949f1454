"""Browsing services behind the web pages: describe one element, list the ontology's terms,
list scenarios. They run named queries from ``queries/web`` and ``queries/ontology`` and shape the
rows into small dataclasses; they build no SPARQL and render no HTML."""
