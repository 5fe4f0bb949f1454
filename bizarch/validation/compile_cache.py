"""A persistent cache of pure, expensive shape-compilation steps, so a new process starts fast.

Why: compiling the rule library asks rdflib's pyparsing-based SPARQL parser about every constraint
query (which variables a group binds, which triple patterns a check reads). That is seconds per
process, for results that depend only on the query text and on this code. Each step stores its
results here as JSON (strings, lists, dicts: never pickle), keyed by its input text.

One file per code version: its name is a sha256 of the package and rdflib versions and the source
of the modules whose output is cached, so a change to the compiler never reads stale results.
The folder is ``$BIZARCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/bizarch``, else ``~/.cache/bizarch``.
A missing, unreadable or corrupt file is an empty cache; a folder that cannot be written is
silently not written (results are then computed per process, as before). Deleting the folder
is always safe; files of other code versions untouched for :data:`STALE_DAYS` days are deleted
when a file is written (one file per upgrade would otherwise pile up).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import rdflib

import bizarch

ENV_DIR = "BIZARCH_CACHE_DIR"

#: Modules whose behaviour the cached results depend on (their source is part of the key).
_SOURCES = ("sparql_exists.py", "dependencies.py", "sparql_tokens.py", "compile_cache.py")

_entries: dict[str, dict[str, Any]] | None = None
_loaded_from: Path | None = None
STALE_DAYS = 30
"""Age (days since last written) after which another version's cache file is deleted."""

_dirty = False
_hooked = False
_lock = threading.Lock()  # a web server compiles in request threads


def cache_dir() -> Path:
    """The folder holding the cache files (see the module docstring)."""
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "bizarch"


@cache
def code_key() -> str:
    """sha256 of the versions and the cached steps' source (part of the file name).

    rdflib's version is part of it: its SPARQL parser gives the algebra the steps read.
    """
    digest = hashlib.sha256(f"{bizarch.__version__} {rdflib.__version__}".encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - an installed package always has its sources
            digest.update(name.encode("utf-8"))
    return digest.hexdigest()[:32]


def cache_file() -> Path:
    return cache_dir() / f"compile-{code_key()}.json"


def _load() -> dict[str, dict[str, Any]]:
    global _entries, _loaded_from
    path = cache_file()
    if _entries is not None and _loaded_from == path:
        return _entries
    entries: dict[str, dict[str, Any]] = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and all(isinstance(v, dict) for v in data.values()):
            entries = data
    except (OSError, ValueError, UnicodeDecodeError):
        entries = {}  # missing, unreadable or corrupt: start empty, rewritten on save
    _entries, _loaded_from = entries, path
    return entries


def lookup(step: str, key: str) -> Any | None:
    """The stored result of ``step`` for ``key`` (None when there is none)."""
    return _load().get(step, {}).get(key)


def store(step: str, key: str, value: Any) -> None:
    """Remember a JSON-serialisable result; written to disk by :func:`save` (and at exit)."""
    global _dirty, _hooked
    with _lock:
        _load().setdefault(step, {})[key] = value
        _dirty = True
    if not _hooked:
        atexit.register(save)
        _hooked = True


def memo(step: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s result for ``key``, from the cache when present."""
    found = lookup(step, key)
    if found is not None:
        return found
    value = compute()
    store(step, key, value)
    return value


def save() -> bool:
    """Write new results to the cache file (atomically); False when it cannot be written."""
    with _lock:
        return _save()


def _save() -> bool:
    global _dirty
    if not _dirty or _entries is None or _loaded_from is None:
        return False
    try:
        _loaded_from.parent.mkdir(parents=True, exist_ok=True)
        merged: dict[str, dict[str, Any]] = {}
        try:  # keep what another process wrote meanwhile
            on_disk = json.loads(_loaded_from.read_text(encoding="utf-8"))
            if isinstance(on_disk, dict):
                merged = {k: v for k, v in on_disk.items() if isinstance(v, dict)}
        except (OSError, ValueError, UnicodeDecodeError):
            pass
        for step, values in _entries.items():
            merged.setdefault(step, {}).update(values)
        handle, temp = tempfile.mkstemp(dir=_loaded_from.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(merged, out, separators=(",", ":"), sort_keys=True)
            os.replace(temp, _loaded_from)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        return False  # a read-only or missing home: compile per process, as before
    _dirty = False
    _prune(_loaded_from)
    return True


def _prune(current: Path) -> None:
    """Delete other versions' cache files not written for :data:`STALE_DAYS` days (best effort:
    another bizarch installation sharing the folder rewrites its own file when it runs)."""
    limit = time.time() - STALE_DAYS * 86_400
    for other in current.parent.glob("compile-*.json"):
        try:
            if other != current and other.stat().st_mtime < limit:
                other.unlink()
        except OSError:
            continue


def reset() -> None:
    """Forget what was loaded (the next lookup reads the file again); for tests."""
    global _entries, _loaded_from, _dirty
    _entries, _loaded_from, _dirty = None, None, False


def text_key(*parts: str) -> str:
    """A short key for a tuple of texts (sha256; the texts themselves can be long)."""
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()
