"""The catalogue of named queries: ``queries/**/*.rq`` found, checked, parsed once, run by name.

Why a catalogue and not SPARQL strings in code: queries are data that architects read, reuse in any
SPARQL console and review in diffs. Each file carries a grlc-style header of ``#+`` YAML lines
(``summary``, ``description``, ``params``, ``tags``, ``columns``, ``reads``); the catalogue
checks that every declared parameter is a variable of the query and that the query parses, when it
loads, so a broken file fails at start-up and in CI rather than in front of a user.

Parameters reach a query only as RDF terms (see :mod:`bizarch.queries.binding`): an IRI-typed
parameter accepts a full IRI, a CURIE with a project prefix, or an exact ``rdfs:label`` that is
resolved by the ``lookup/by-label`` query (several elements with that label raise
:class:`~bizarch.errors.AmbiguousReferenceError` listing them). Pagination slices the solutions
in Python, so no number is ever written into query text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from bizarch import resources
from bizarch.errors import AmbiguousReferenceError, NotFoundError, QueryError, UserInputError
from bizarch.namespaces import PREFIXES
from bizarch.queries.binding import QueryShape, bind, query_shape, refuses_remote_access
from bizarch.repository import Repository
from bizarch.store.base import GraphStore, QueryResult, SelectResult, Term

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")
LABEL_LOOKUP = "lookup/by-label"
XSD = "http://www.w3.org/2001/XMLSchema#"

_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
    r"|[?$]([A-Za-z_][A-Za-z0-9_]*)"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)?:([^\s<>\"{}|^`\\]*)\Z")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


READS_DEFAULT = ("scenario", "ontology")


@dataclass(frozen=True)
class QueryParam:
    """A typed parameter of a named query; ``cls`` is the expected class IRI (if any)."""

    name: str
    type: str = "iri"
    cls: str | None = None
    required: bool = True
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its header, its text and where its ``WHERE`` group opens."""

    name: str
    summary: str
    description: str
    params: list[QueryParam]
    tags: list[str]
    columns: list[str]
    text: str
    path: Path | None = None
    shape: QueryShape | None = field(default=None, repr=False, compare=False)
    reads: tuple[str, ...] = READS_DEFAULT
    """The graphs of its dataset: the scenario, and the ontology unless the header says
    ``reads: [scenario]`` (a query that reads only the model, e.g. a trace: half the lookups)."""

    @property
    def reads_ontology(self) -> bool:
        return "ontology" in self.reads

    def param(self, name: str) -> QueryParam:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise UserInputError(
            f"Query '{self.name}' has no parameter '{name}'.", hint=f"Its parameters: {known}."
        )


def variables_used(text: str) -> set[str]:
    """Variable names in a query, ignoring strings, IRIs and comments."""
    return {m.group(1) for m in _TOKENS.finditer(text) if m.group(1)}


def expand_curie(value: str) -> str | None:
    """The IRI of ``prefix:local`` for a project prefix, else ``None``."""
    match = _CURIE.match(value.strip())
    if not match:
        return None
    prefix = match.group(1) or ""
    if prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + match.group(2)


def _header(path: Path, text: str) -> dict[str, Any]:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        data = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: the '#+' header is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise QueryError(f"{path}: the '#+' header must be a mapping (summary:, params:, ...).")
    return data


def _param(path: Path, raw: Any) -> QueryParam:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise QueryError(f"{path}: each parameter needs at least a 'name'.")
    unknown = set(raw) - {"name", "type", "class", "required", "default", "description"}
    if unknown:
        raise QueryError(f"{path}: parameter '{raw['name']}' has unknown keys {sorted(unknown)}.")
    kind = raw.get("type", "iri")
    if kind not in PARAM_TYPES:
        raise QueryError(
            f"{path}: parameter '{raw['name']}' has type '{kind}'; use one of "
            f"{', '.join(PARAM_TYPES)}."
        )
    cls = raw.get("class")
    if cls is not None:
        expanded = expand_curie(str(cls))
        if expanded is None:
            raise QueryError(f"{path}: class '{cls}' of '{raw['name']}' is not a known CURIE.")
        cls = expanded
    default = raw.get("default")
    return QueryParam(
        name=raw["name"],
        type=kind,
        cls=cls,
        required=bool(raw.get("required", default is None)),
        default=None if default is None else str(default),
        description=str(raw.get("description", "")).strip(),
    )


def parse_query_file(path: Path, name: str) -> NamedQuery:
    """Read, check and parse one ``.rq`` file (raises :class:`QueryError` naming the file)."""
    text = path.read_text(encoding="utf-8")
    head = _header(path, text)
    if not head.get("summary"):
        raise QueryError(f"{path}: the header needs a '#+ summary:' line.")
    unknown = set(head) - {"summary", "description", "params", "tags", "columns", "reads"}
    if unknown:
        raise QueryError(f"{path}: unknown header keys {sorted(unknown)}.")
    params = [_param(path, p) for p in head.get("params") or []]
    used = variables_used(text)
    for p in params:
        if p.name not in used:
            raise QueryError(f"{path}: parameter '{p.name}' is declared but never used.")
    columns = [str(c) for c in head.get("columns") or []]
    reads = _reads(path, head.get("reads", list(READS_DEFAULT)))
    try:
        shape = query_shape(text)
        ox.Store().query(text)  # syntax check, once, on an empty store
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{path}: {exc}") from None
    except QueryError as exc:
        raise QueryError(f"{path}: {exc.message}") from None
    remote = refuses_remote_access(shape)
    if remote:
        raise QueryError(f"{path}: {remote} is not allowed in named queries.")
    return NamedQuery(
        name=name,
        summary=str(head["summary"]).strip(),
        description=str(head.get("description") or "").strip(),
        params=params,
        tags=[str(t) for t in head.get("tags") or []],
        columns=columns,
        text=text,
        path=path,
        shape=shape,
        reads=reads,
    )


def _reads(path: Path, raw: Any) -> tuple[str, ...]:
    """``reads``: ``[scenario]`` or ``[scenario, ontology]`` (the default)."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items or "scenario" not in items:
        raise QueryError(f"{path}: 'reads' must list 'scenario' (and 'ontology' if it reads it).")
    unknown = set(items) - set(READS_DEFAULT)
    if unknown:
        raise QueryError(
            f"{path}: 'reads' can name 'scenario' and 'ontology', not {sorted(map(str, unknown))}."
        )
    return tuple(r for r in READS_DEFAULT if r in items)


class Catalogue:
    """Named queries by name (``trace/down``), each checked and parsed once."""

    def __init__(self, queries: Mapping[str, NamedQuery]) -> None:
        self._queries = dict(sorted(queries.items()))

    @classmethod
    def from_directory(cls, path: Path | str | None = None) -> Catalogue:
        """Every ``*.rq`` under ``path`` (default: the packaged ``queries/`` folder)."""
        root = Path(path) if path is not None else resources.queries_dir()
        if not root.is_dir():
            raise NotFoundError(f"No query folder at {root}.")
        found = {}
        for file in sorted(root.rglob("*.rq")):
            name = file.relative_to(root).with_suffix("").as_posix()
            found[name] = parse_query_file(file, name)
        return cls(found)

    def names(self) -> list[str]:
        return list(self._queries)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._queries.values())

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            close = [n for n in self._queries if name.split("/")[-1] in n][:5]
            hint = f"Did you mean: {', '.join(close)}?" if close else "List them: bizarch queries."
            raise NotFoundError(f"No query named '{name}'.", hint=hint) from None

    # -- running ---------------------------------------------------------------------------------

    def run(
        self,
        store: GraphStore | Repository,
        name: str,
        params: Mapping[str, str | Term] | None = None,
        *,
        scenario: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> QueryResult:
        """Run a named query with typed parameters against one scenario (``"*"`` = all graphs)."""
        repo = store if isinstance(store, Repository) else Repository(store)
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise UserInputError(f"Limit must be a whole number >= 0, not {limit!r}.")
        if not isinstance(offset, int) or offset < 0:
            raise UserInputError(f"Offset must be a whole number >= 0, not {offset!r}.")
        text = self.prepare(repo, name, params, scenario=scenario)
        ontology = self.get(name).reads_ontology
        result = repo.query(text, scenario=scenario, ontology=ontology)
        if isinstance(result, SelectResult):
            end = None if limit is None else offset + limit
            return SelectResult(result.variables, result.rows[offset:end])
        if isinstance(result, list):
            end = None if limit is None else offset + limit
            return result[offset:end]
        return result

    def prepare(
        self,
        store: GraphStore | Repository,
        name: str,
        params: Mapping[str, str | Term] | None = None,
        *,
        scenario: str | None = None,
    ) -> str:
        """The exact query text :meth:`run` sends: header comments off, parameters bound.

        Separate so that benchmarks can give other engines the same text, with the same values.
        """
        repo = store if isinstance(store, Repository) else Repository(store)
        query = self.get(name)
        given = dict(params or {})
        for key in given:
            query.param(key)  # unknown names are an error
        bound: dict[str, ox.NamedNode | ox.Literal] = {}
        for p in query.params:
            value = given.get(p.name, p.default)
            if value is None or value == "":
                if p.required:
                    raise UserInputError(
                        f"Query '{name}' needs the parameter '{p.name}'.",
                        hint=f"Give it with -p {p.name}=VALUE ({p.type}).",
                    )
                continue
            bound[p.name] = self.term(repo, p, value, scenario=scenario)
        assert query.shape is not None
        # The header comments are not sent: SPARQLWrapper guesses the query form from the text
        # and takes a word like "describe" in a comment for the form (then asks for RDF).
        body_at = _body_start(query.text)
        shape = replace(query.shape, where_open=query.shape.where_open - body_at)
        return bind(query.text[body_at:], shape, bound)

    def term(
        self, repo: Repository, param: QueryParam, value: str | Term, *, scenario: str | None
    ) -> ox.NamedNode | ox.Literal:
        """The RDF term for a parameter value (IRIs, CURIEs and labels for ``iri`` types)."""
        if isinstance(value, ox.NamedNode | ox.Literal):
            return value
        if not isinstance(value, str):
            raise UserInputError(f"Parameter '{param.name}' cannot take {type(value).__name__}.")
        text = value.strip()
        if param.type == "iri":
            return self.resolve(repo, text, cls=param.cls, scenario=scenario)
        if param.type == "string":
            return ox.Literal(value)
        try:
            if param.type == "integer":
                return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
            if param.type == "decimal":
                number = Decimal(text)
                if not number.is_finite():
                    raise ValueError(text)
                return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "decimal"))
            if param.type == "date":
                day = dt.date.fromisoformat(text)
                return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
            if text.lower() in _TRUE | _FALSE:
                return ox.Literal(text.lower() in _TRUE)
        except (ValueError, InvalidOperation):
            pass
        raise UserInputError(
            f"Parameter '{param.name}' must be {'an' if param.type == 'integer' else 'a'} "
            f"{param.type}, not {value!r}."
        )

    def resolve(
        self, repo: Repository, reference: str, *, cls: str | None = None, scenario: str | None
    ) -> ox.NamedNode:
        """An element from an IRI (``<...>`` or bare), a project CURIE or an exact label."""
        text = reference.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        expanded = expand_curie(text)
        if expanded is not None:
            return _named_node(expanded, reference)
        if _SCHEME.match(text) and not any(c.isspace() for c in text):
            return _named_node(text, reference)
        result = self.run(repo, LABEL_LOOKUP, {"label": ox.Literal(text)}, scenario=scenario)
        assert isinstance(result, SelectResult)
        matches: dict[str, set[str]] = {}
        for row in result.dicts():
            element, kind = row.get("element"), row.get("class")
            if isinstance(element, ox.NamedNode):
                matches.setdefault(element.value, set())
                if isinstance(kind, ox.NamedNode):
                    matches[element.value].add(kind.value)
        if cls is not None:
            matches = {e: kinds for e, kinds in matches.items() if cls in kinds}
        if not matches:
            wanted = f" of class {_short(cls)}" if cls else ""
            raise NotFoundError(
                f"No element{wanted} is labelled {reference!r}.",
                hint="Give an IRI, a CURIE (e.g. mm:app-claimsone) or an exact label; "
                "search with: bizarch query lookup/search -p text=WORD.",
            )
        if len(matches) > 1:
            raise AmbiguousReferenceError(reference, sorted(_short(e) for e in matches))
        return ox.NamedNode(next(iter(matches)))


def _body_start(text: str) -> int:
    """Index of the first line that is not a comment or blank (where PREFIX/SELECT start)."""
    position = 0
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        position += len(line)
    return position


def _named_node(iri: str, reference: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise UserInputError(f"{reference!r} is not a valid IRI: {exc}") from None


def _short(iri: str | None) -> str:
    from bizarch.results import compact

    return compact(iri) if iri else ""


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once per process."""
    return Catalogue.from_directory()
