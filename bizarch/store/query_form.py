"""The form of a SPARQL query (SELECT, CONSTRUCT, DESCRIBE or ASK), parsed rather than guessed.

Why: the remote backend must ask for the right kind of result (a results table or RDF) and read
the answer accordingly. SPARQLWrapper guesses the form with regular expressions and is misled by
a comment that names another form after a prologue line (``PREFIX ex: <...> # SELECT ...`` before
a ``CONSTRUCT``): it then asks for the wrong media type and the server answers 406.

The SPARQL grammar makes the form the first keyword after the prologue (``[2] Query ::= Prologue
( SelectQuery | ConstructQuery | DescribeQuery | AskQuery ) ValuesClause``). This module parses
exactly that with rdflib's own grammar (its ``Prologue`` of ``BASE``/``PREFIX`` declarations,
comments skipped as rdflib's parser skips them, keywords in any case), so words inside comments,
IRIs, strings or prefixed names never count. The rest of the query is left to the server: a full
``rdflib.plugins.sparql.parser.parseQuery`` gives the same form but costs 30-110 ms per query on
the catalogue's queries, where the prologue takes well under a millisecond.
"""

from __future__ import annotations

from functools import lru_cache

from pyparsing import CaselessKeyword, MatchFirst, ParseBaseException, rest_of_line
from rdflib.plugins.sparql.parser import Prologue, expandUnicodeEscapes

from bizarch.errors import QueryError

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")

_FORM = MatchFirst([CaselessKeyword(form) for form in FORMS])
_FORM.ignore("#" + rest_of_line)  # our own element: rdflib's grammar objects are not changed
_HEAD = Prologue + _FORM("form")


@lru_cache(maxsize=1024)
def query_form(sparql: str) -> str:
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``; :class:`QueryError` if none follows
    the prologue (not a query: an update, or a syntax error)."""
    try:
        parsed = _HEAD.parse_string(expandUnicodeEscapes(sparql), parse_all=False)
    except ParseBaseException:
        raise QueryError(
            "Not a SPARQL query: SELECT, CONSTRUCT, DESCRIBE or ASK must follow the "
            "BASE/PREFIX declarations."
        ) from None
    return str(parsed["form"]).upper()
