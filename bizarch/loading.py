"""Collect RDF documents from files, folders and stdin into :class:`RdfSource` objects.

Why a separate step: the whole set is known (and sized) before anything is parsed, so a load is
one atomic operation over all of it and a progress bar can show the real total.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from bizarch.errors import NotFoundError, ResourceLimitError, UserInputError
from bizarch.store.base import RdfFormat, RdfSource

STDIN = "-"
KNOWN_EXTENSIONS = tuple(ext for fmt in RdfFormat for ext in fmt.extensions)


def collect_sources(
    paths: Sequence[str | Path],
    fmt: RdfFormat | None = None,
    *,
    stdin: IO[bytes] | None = None,
    max_bytes: int | None = None,
) -> list[RdfSource]:
    """Sources for ``paths``: files, folders (recursive, by extension) or ``-`` for stdin.

    ``fmt`` forces the syntax of every document (needed for stdin and for files with unusual
    extensions). Files are read lazily (streamed by the parser); stdin is read once.
    """
    if not paths:
        raise UserInputError("Nothing to load.", hint="Give files, folders, or '-' for stdin.")
    sources: list[RdfSource] = []
    for item in paths:
        if str(item) == STDIN:
            if fmt is None:
                raise UserInputError(
                    "The format of standard input is unknown.", hint="Add --format (e.g. turtle)."
                )
            stream = stdin if stdin is not None else sys.stdin.buffer
            sources.append(RdfSource("<stdin>", stream.read(), fmt))
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and (fmt is not None or p.suffix.lower() in KNOWN_EXTENSIONS)
            )
            if not found:
                raise UserInputError(
                    f"No RDF files in the folder {path}.",
                    hint="Files are recognised by extension: " + " ".join(KNOWN_EXTENSIONS),
                )
            sources.extend(_file_source(p, fmt) for p in found)
        elif path.is_file():
            sources.append(_file_source(path, fmt))
        else:
            raise NotFoundError(f"No such file or folder: {path}")
    if max_bytes is not None:
        for source in sources:
            if source.size > max_bytes:
                raise ResourceLimitError(
                    f"{source.name} is larger than the limit of {max_bytes} bytes.",
                    hint="Split the file, or raise the limit.",
                )
    return sources


def _file_source(path: Path, fmt: RdfFormat | None) -> RdfSource:
    chosen = fmt or RdfFormat.for_path(path)
    if chosen is None:
        raise UserInputError(
            f"Cannot tell the RDF syntax of {path} from its extension.",
            hint="Add --format (turtle, trig, ntriples, nquads, jsonld, rdfxml).",
        )
    return RdfSource.from_path(path, chosen)
