"""Checks a SPARQL query text BEFORE the engine sees it.

pyoxigraph has no switch to turn off ``SERVICE`` (it sends an HTTP request to any address: SSRF) and
dies with SIGSEGV on deeply nested or very long queries (measured, see ``docs/sparql-endpoint.md``).
Both hazards are detected on the *tokens* of the query, never on raw substrings: a keyword inside a
string literal, an IRI or a comment is not a keyword, and a keyword hidden from a naive scanner
(``SERVICE:x`` with an empty-prefix name, ``<1)SERVICE?x#>`` that the engine reads as a
less-than followed by code) is still found.

The scanner is exact where SPARQL's lexical grammar is unambiguous (strings, comments, variables,
prefixed names) and conservative where it is not: ``<`` starts an IRI in a triple pattern but is the
less-than operator in an expression, and both readings can be valid at the same place. Rather than
guess, the scanner follows *every* reading: tokenisation is a walk over text positions where ``<``
may branch into "IRI up to the next ``>``" or "operator"; all positions reachable by any branch are
scanned (each once, so the cost stays linear), a forbidden keyword on any branch refuses the query,
and the nesting depth is the maximum over all branches.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from bizarch.endpoint.errors import QueryTooComplexError, ReadOnlyEndpointError, RefusedQueryError

# One token at a position, in SPARQL 1.1 lexical grammar terms (section 19.8). Possessive
# quantifiers mirror the engine's PEG parser, which never backtracks inside a terminal.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s++)
  | (?P<comment>\#[^\r\n]*+)
  | (?P<string>'''(?:(?:''|')?+(?:[^'\\]|\\.))*+'''
             | \"\"\"(?:(?:""|")?+(?:[^"\\]|\\.))*+\"\"\"
             | '(?:[^'\\\r\n]|\\.)*+'
             | "(?:[^"\\\r\n]|\\.)*+")
  | (?P<var>[?$][\w\u00B7]*+)
  | (?P<bnode>_:\w(?:[\w\-\u00B7]|\.(?=[\w\-\u00B7]))*+)
  | (?P<langtag>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<pname>(?P<prefix>[^\W\d_](?:[\w\-\u00B7]|\.(?=[\w\-\u00B7]))*+)?:
               (?:(?:[\w:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])
                  (?:[\w\-:\u00B7]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]
                   |\.(?=[\w\-:\u00B7%\\]))*+)?+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<op>&&|\|\||[/|^+*!=.;,-])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# An IRI reference: a superset of the engine's IRIREF (backslash escapes allowed), so every place
# where the engine could read an IRI is also followed as an IRI here.
_IRIREF = re.compile(r'<[^<>"{}|^`\x00-\x20]*+>')

_FORBIDDEN = {"SERVICE": "SERVICE (federated query)", "LOAD": "LOAD"}
_UPDATE_WORDS = {"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
# Tokens that chain a pattern or expression one level deeper in the engine's algebra; thousands of
# them in a row crash pyoxigraph even without any bracket (measured: 3,500 BINDs, 7,000 UNIONs).
_CHAIN_WORDS = {"UNION", "MINUS", "OPTIONAL", "FILTER", "BIND", "GRAPH", "VALUES"}
_CHAIN_OPS = {"&&", "||", "/", "|", "^", "+", "-", "*", "!", "="}


@dataclass(frozen=True)
class GuardLimits:
    """Bounds on the shape of a query text (all configurable through the web settings)."""

    max_chars: int = 100_000
    max_depth: int = 200
    max_operators: int = 1_000


@dataclass(frozen=True)
class QueryShape:
    """What the scanner measured, for messages and tests."""

    depth: int
    operators: int


def check_query(text: str, limits: GuardLimits = GuardLimits()) -> QueryShape:
    """Refuse a query that would reach the network, write, or crash the engine.

    Raises :class:`RefusedQueryError` (SERVICE, LOAD), :class:`ReadOnlyEndpointError` (an update
    sent as a query) or :class:`QueryTooComplexError` (size, nesting, operator count). Returns the
    measured shape when the query may go to the engine.
    """
    if len(text) > limits.max_chars:
        raise QueryTooComplexError(
            f"The query has {len(text):,} characters; this endpoint accepts at most "
            f"{limits.max_chars:,}."
        )
    n = len(text)
    # best[p]: the deepest bracket nesting with which any reading arrives at position p. Positions
    # only grow along a reading, so taking them in order visits each one once.
    best: dict[int, int] = {0: 0}
    pending = [0]
    max_depth = 0
    operators = 0
    while pending:
        pos = heapq.heappop(pending)
        depth = best.pop(pos)
        if pos >= n:
            continue
        successors: list[tuple[int, int]] = []
        if text[pos] == "<":
            iri = _IRIREF.match(text, pos)
            if iri:
                successors.append((iri.end(), depth))
            end = pos + 2 if text.startswith("<=", pos) else pos + 1
            successors.append((end, depth))
        else:
            match = _TOKEN.match(text, pos)
            assert match is not None  # the last alternative matches any character
            kind = match.lastgroup
            value = match.group()
            if kind == "open":
                depth += 1
                max_depth = max(max_depth, depth)
                if depth > limits.max_depth:
                    raise QueryTooComplexError(
                        f"The query nests brackets more than {limits.max_depth} levels deep.",
                        hint="Flatten the query; deeply nested queries can crash the engine.",
                    )
            elif kind == "close":
                depth -= 1
            elif kind == "word":
                _check_word(value.upper())
                if value.upper() in _CHAIN_WORDS:
                    operators += 1
            elif kind == "pname" and match.group("prefix"):
                _check_word(match.group("prefix").upper(), as_prefix=True)
            elif kind == "op" and value in _CHAIN_OPS:
                operators += 1
            if operators > limits.max_operators:
                raise QueryTooComplexError(
                    f"The query chains more than {limits.max_operators:,} operators "
                    "(UNION, OPTIONAL, FILTER, &&, /, ...).",
                    hint="Split it into smaller queries; very long chains can crash the engine.",
                )
            successors.append((match.end(), depth))
        for nxt, d in successors:
            if nxt not in best:
                heapq.heappush(pending, nxt)
                best[nxt] = d
            elif d > best[nxt]:
                best[nxt] = d
    return QueryShape(depth=max_depth, operators=operators)


def _check_word(upper: str, *, as_prefix: bool = False) -> None:
    """Refuse forbidden keywords; the engine also reads ``SERVICE:x`` as SERVICE + ``:x``."""
    if upper in _FORBIDDEN:
        raise RefusedQueryError(
            f"{_FORBIDDEN[upper]} is not allowed on this endpoint: it would make the server "
            "send requests to other addresses.",
            hint="Query the other endpoint yourself and load its data into bizarch."
            + (
                f" (A prefix named '{upper.lower()}:' is read as the keyword; rename it.)"
                if as_prefix
                else ""
            ),
        )
    if not as_prefix and upper in _UPDATE_WORDS:
        raise ReadOnlyEndpointError(
            "This SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR, ...) are "
            "refused.",
            hint="Change the model with 'bizarch load' or your modelling tool's import.",
        )
