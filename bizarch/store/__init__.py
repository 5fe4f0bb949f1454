"""Stores: one interface (:class:`GraphStore`), several backends, one address factory."""

from bizarch.store.base import GraphInfo, GraphStore, RdfFormat, RdfSource, SelectResult, Term
from bizarch.store.factory import open_store
from bizarch.store.oxigraph_store import OxigraphStore

__all__ = [
    "GraphInfo",
    "GraphStore",
    "OxigraphStore",
    "RdfFormat",
    "RdfSource",
    "SelectResult",
    "Term",
    "open_store",
]
