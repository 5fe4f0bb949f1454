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
guess, the scanner follows *every* reading the engine could take: tokenisation is a walk over
states (position, open brackets, whether the last token ended an operand) where ``<`` branches
into "IRI up to the next ``>``" and, directly inside parentheses after an operand (the only place
a comparison can be), "operator". Every reachable state is scanned once; a forbidden keyword on any
branch refuses the query, and the nesting depth is the maximum over all branches.
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
  | (?P<number>\d++(?:\.\d++)?+(?:[eE][+-]?+\d++)?+|\.\d++(?:[eE][+-]?+\d++)?+)
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
# Tokens after which "<" can be the less-than operator (they end an operand of an expression).
_OPERAND_ENDS = {"var", "string", "langtag", "number", "pname", "bnode"}
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
    # A reading's state: position, open brackets (interned as an id), and whether the previous
    # token could end an operand. States only move forward, so a heap visits each one once.
    stacks: dict[tuple[int, str], int] = {}
    parents: list[tuple[int, str]] = [(-1, "")]  # id -> (parent id, bracket); id 0 is empty
    depths = [0]
    start: tuple[int, int, bool] = (0, 0, False)
    pending = [start]
    seen = {start}
    max_depth = 0
    operators = 0
    budget = 4 * len(text) + 64
    while pending:
        pos, stack, prev_operand = heapq.heappop(pending)
        if pos >= len(text):
            continue
        budget -= 1
        if budget < 0:
            raise QueryTooComplexError(
                "The query is too ambiguous to check (too many '<' that could be IRIs or "
                "comparisons).",
                hint="Put spaces around comparison operators.",
            )
        successors: list[tuple[int, int, bool]] = []
        if text[pos] == "<":
            iri = _IRIREF.match(text, pos)
            if iri:
                successors.append((iri.end(), stack, True))
            # "<" compares only inside an expression, i.e. directly inside "(" after an operand.
            if not iri or (prev_operand and parents[stack][1] == "("):
                end = pos + 2 if text.startswith("<=", pos) else pos + 1
                successors.append((end, stack, False))
        else:
            match = _TOKEN.match(text, pos)
            assert match is not None  # the last alternative matches any character
            kind = match.lastgroup
            value = match.group()
            operand = prev_operand if kind in ("ws", "comment") else kind in _OPERAND_ENDS
            if kind == "open":
                key = (stack, value)
                if key not in stacks:
                    stacks[key] = len(parents)
                    parents.append(key)
                    depths.append(depths[stack] + 1)
                stack = stacks[key]
                max_depth = max(max_depth, depths[stack])
                if depths[stack] > limits.max_depth:
                    raise QueryTooComplexError(
                        f"The query nests brackets more than {limits.max_depth} levels deep.",
                        hint="Flatten the query; deeply nested queries can crash the engine.",
                    )
            elif kind == "close":
                operand = value in ")]"
                stack = max(parents[stack][0], 0)
            elif kind == "word":
                upper = value.upper()
                _check_word(upper)
                operand = upper in ("TRUE", "FALSE")
                if upper in _CHAIN_WORDS:
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
            successors.append((match.end(), stack, operand))
        for state in successors:
            if state not in seen:
                seen.add(state)
                heapq.heappush(pending, state)
    return QueryShape(depth=max_depth, operators=operators)


def _check_word(upper: str, *, as_prefix: bool = False) -> None:
    """Refuse forbidden keywords.

    The engine matches keywords without a word boundary after them: ``SERVICE:x`` is SERVICE plus
    the name ``:x``, and ``SERVICEe:a`` is SERVICE plus ``e:a`` (found by the differential test in
    ``tests/endpoint/test_guard_fuzz.py``). So any word or prefix that *starts* with a forbidden
    keyword is refused.
    """
    for keyword, what in _FORBIDDEN.items():
        if upper.startswith(keyword):
            raise RefusedQueryError(
                f"{what} is not allowed on this endpoint: it would make the server "
                "send requests to other addresses.",
                hint="Query the other endpoint yourself and load its data into bizarch."
                + (
                    f" (A prefix named '{upper.lower()}:' is read as the keyword {keyword}; "
                    "rename it.)"
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
