"""Map a store address to a backend: the one place that knows the address forms.

==============================  ===========================================================
Address                         Backend
==============================  ===========================================================
``PATH`` (any folder path)      embedded pyoxigraph store on disk (created if missing);
                                opened by one process at a time
``memory:``                     embedded pyoxigraph store in memory (gone at exit)
``serve:PATH``                  embedded on-disk store served from an in-memory copy
                                (:class:`~bizarch.store.serving.ServingStore`)
``http(s)://HOST:PORT/query``   remote SPARQL 1.1 query endpoint; the update endpoint and the
                                Graph Store endpoint are derived (``/update``, ``/store``) or
                                given (``--update-endpoint``, ``--gsp-endpoint``)
``http(s)://HOST:PORT/sparql``  the same for a ``.../sparql`` endpoint (updates on the same
                                URL); ``bizarch serve`` answers here, read-only
==============================  ===========================================================

Credentials for a remote store come from options or the environment (``BIZARCH_STORE_USER`` and
``BIZARCH_STORE_PASSWORD`` for basic auth, ``BIZARCH_STORE_TOKEN`` for a bearer token), never
from the address, so they do not end up in shell history or logs.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from bizarch.config import Settings
from bizarch.errors import StoreError
from bizarch.store.base import GraphStore

MEMORY = "memory:"
SERVE_PREFIX = "serve:"


def open_store(
    address: str | Path, settings: Settings | None = None, *, create: bool = True
) -> GraphStore:
    """Open the store at ``address``; ``settings`` supplies remote endpoints and credentials.

    ``create=False`` refuses to create a missing on-disk store, served from memory or not
    (read-only commands and ``bizarch serve`` use it, so a typo in ``--store`` gives "there is no
    store at ..." instead of a new empty store).
    """
    from bizarch.store.oxigraph_store import OxigraphStore

    text = str(address).strip()
    settings = settings or Settings()
    if not text:
        raise StoreError(
            "The store address is empty.", hint="Give --store PATH or set BIZARCH_STORE."
        )
    if text == MEMORY:
        return OxigraphStore(None, bulk_threshold=settings.limits.bulk_threshold_bytes)
    if text.startswith(SERVE_PREFIX) or (settings.serve_from_memory and "://" not in text):
        from bizarch.store.serving import ServingStore

        path = text[len(SERVE_PREFIX) :] if text.startswith(SERVE_PREFIX) else text
        return ServingStore(
            Path(path).expanduser(),
            bulk_threshold=settings.limits.bulk_threshold_bytes,
            create=create,
        )
    scheme = urllib.parse.urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        from bizarch.store.sparql_store import SparqlStore

        if urllib.parse.urlsplit(text).username:
            raise StoreError(
                "Credentials in the store address are not accepted.",
                hint="Use BIZARCH_STORE_USER/BIZARCH_STORE_PASSWORD or BIZARCH_STORE_TOKEN.",
            )
        return SparqlStore(
            text,
            update_endpoint=settings.update_endpoint,
            gsp_endpoint=settings.gsp_endpoint,
            user=settings.user,
            password=settings.password,
            token=settings.token,
            timeout=settings.limits.query_timeout_s,
        )
    if scheme == "file":
        text = urllib.parse.unquote(urllib.parse.urlsplit(text).path)
    elif len(scheme) > 1 and "://" in text:
        raise StoreError(
            f"Unsupported store address '{text}'.",
            hint="Use a folder path, 'memory:', 'serve:PATH' or an http(s):// SPARQL endpoint.",
        )
    return OxigraphStore(
        Path(text).expanduser(), bulk_threshold=settings.limits.bulk_threshold_bytes, create=create
    )


def open_from_settings(settings: Settings, *, create: bool = True) -> GraphStore:
    """Open the store named by ``settings.store``."""
    return open_store(settings.store, settings, create=create)
