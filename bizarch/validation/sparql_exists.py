"""Make ``FILTER [NOT] EXISTS`` in constraint queries cheap for Oxigraph, with the same answers.

Measured on Oxigraph 0.5: an EXISTS group is planned without knowing which variables the outer
solution binds. A group such as ``{ $this ?p ?x . ?x a ?t }`` is then answered with a hash join
that reads every ``?x a ?t`` of the store *for each focus node*: quadratic (14 s at 20k triples,
hours at a million). One triple pattern (``{ $this ba:ownedBy ?x }``) is fine: an index lookup.

So, for the FILTERs directly in the query's outer WHERE group (the group the focus nodes are joined
into), each EXISTS whose group is more than one plain triple pattern is rewritten:

- ``FILTER NOT EXISTS { G }`` becomes ``MINUS { G }`` when ``G`` walks a property path between
  two nodes the outer solution binds (per solution Oxigraph walks such a path from the far end:
  a domain check did not finish in 15 minutes at 100k triples, as MINUS it took 0.9 s) and the
  two forms are provably equal: every variable ``G`` shares with the rest of the query is bound by
  ``G`` itself on every solution, and at least one of them is bound by the outer group on every
  solution (SPARQL 1.1, 8.3.3). MINUS evaluates ``G`` once and anti-joins.
- otherwise the EXISTS becomes a witness computed by ``LATERAL { OPTIONAL { SELECT <shared vars>
  (true AS ?w) WHERE { G } LIMIT 1 } }`` at the end of the outer group (where it sees every binding,
  like the FILTER did) and the EXISTS in the FILTER becomes ``BOUND(?w)``: evaluated once per outer
  solution with its bindings, at most one row, so row counts (and aggregates) do not change.

A witness projects only the variables its group shares with the rest of the outer group (and
``$this``): a variable that two EXISTS groups share, and nothing else, is a different variable in
each (SPARQL 1.1, 17.4.1.5), so one group's witness must not bind it for the other.

A FILTER that is one ``[NOT] EXISTS`` and nothing else is chained: the outer group is nested,
each such witness follows it with its FILTER, so a solution one filter rejects is not looked at by
the next (most elements have an incoming link, and then their outgoing links are not read: with
its row-multiplying type pattern removed too, HYG-002 at 1M triples 1.12 s -> 0.50 s,
``bench/validate_checks.py``). The nesting opens before the focus pattern:
:func:`optimise_exists` returns those braces apart from the rewritten query text.

Anything the analysis cannot read (rdflib's parser is used to find which variables a pattern
certainly binds) keeps the always-correct LATERAL form.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.paths import Path
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Variable

from bizarch.validation import compile_cache
from bizarch.validation.sparql_tokens import Token, matching, tokenize


@dataclass
class _Exists:
    """One ``[NOT] EXISTS { G }`` inside a FILTER of the outer group."""

    start: int  # text span of "[NOT] EXISTS { G }"
    end: int
    negated: bool
    group_start: int  # text span of G (inside the braces)
    group_end: int


@dataclass
class _Filter:
    start: int  # text span of "FILTER ..."
    end: int
    exists: list[_Exists]
    standalone: bool  # the whole expression is one [NOT] EXISTS


def optimise_exists(prologue: str, head: str, tail: str) -> tuple[str, str]:
    """Rewrite the outer group's EXISTS filters of ``head + tail`` (split by ``split_select``).

    Returns the braces that open before the focus pattern (the nesting of chained filters, often
    none) and the rewritten tail. The result depends on the texts only; it is kept in the compile
    cache (rdflib's parser, which the analysis uses, needs ~30 ms per group).
    """
    key = compile_cache.text_key(prologue, head, tail)
    opens, rewritten = compile_cache.memo(
        "optimise_exists", key, lambda: list(_optimise(prologue, tail))
    )
    return str(opens), str(rewritten)


def _optimise(prologue: str, tail: str) -> tuple[str, str]:
    tail = _lateral_optionals(prologue, tail)
    tokens = tokenize(tail)
    end_index = _outer_end(tokens)
    if end_index is None:
        return "", tail
    filters = _filters(tokens, end_index)
    if not any(f.exists for f in filters):
        return "", tail
    group_end = tokens[end_index].start
    rewritten = [f for f in filters if f.exists]
    outer_text = _without(tail[:group_end], [(f.start, f.end) for f in rewritten])
    outer_bound = _certainly_bound(prologue, outer_text) | {"this"}
    # What a group may share: the outer group without any EXISTS group, and the focus node.
    groups = [(ex.group_start, ex.group_end) for f in rewritten for ex in f.exists]
    outside = _variables(_without(tail, groups)) | {"this"}

    replacements: list[tuple[int, int, str]] = []
    appended: list[str] = []
    chained: list[str] = []
    for flt in rewritten:
        first = flt.exists[0]
        if flt.standalone and first.negated:
            shape = _analyse(prologue, tail[first.group_start : first.group_end])
            if shape is not None and shape.single_pattern:
                continue  # an index lookup already
            shared = _variables(tail[first.group_start : first.group_end]) & outside
            # Per solution (LATERAL, LIMIT 1) is usually cheaper, except for a property path
            # between two bound nodes, which Oxigraph walks from the far end once per solution.
            prefer_minus = shape is not None and any(
                all(not isinstance(end, Variable) or str(end) in shared for end in ends)
                for ends in shape.path_ends
            )
            if prefer_minus and shared <= shape.bound and shared & outer_bound:
                replacements.append((flt.start, flt.end, ""))
                appended.append(f"MINUS {{ {tail[first.group_start : first.group_end]} }}")
                continue
        expression = tail[flt.start : flt.end]
        edits: list[tuple[int, int, str]] = []
        laterals: list[str] = []
        for ex in flt.exists:
            group = tail[ex.group_start : ex.group_end]
            shape = _analyse(prologue, group)
            if shape is not None and shape.single_pattern:
                continue
            witness = f"?bz_exists{len(appended) + len(chained) + len(laterals)}"
            shared = _variables(group) & outside
            projection = " ".join(f"?{v}" for v in sorted(shared))
            laterals.append(
                f"LATERAL {{ OPTIONAL {{ SELECT {projection} (true AS {witness}) "
                f"WHERE {{ {group} }} LIMIT 1 }} }}"
            )
            test = f"!BOUND({witness})" if ex.negated else f"BOUND({witness})"
            edits.append((ex.start - flt.start, ex.end - flt.start, test))
        if not edits:
            continue
        if flt.standalone:  # the filter follows its witness, one nesting level out
            replacements.append((flt.start, flt.end, ""))
            chained.append(f"}}\n{laterals[0]}\nFILTER({edits[0][2]})")
            continue
        appended.extend(laterals)
        for start, end, text in sorted(edits, reverse=True):
            expression = expression[:start] + text + expression[end:]
        replacements.append((flt.start, flt.end, expression))
    if not appended and not chained:
        return "", tail
    inner = tail[:group_end] + "\n" + "\n".join(appended) + "\n"
    out = inner + "\n".join(chained) + "\n" + tail[group_end:]
    for start, end, text in sorted(replacements, reverse=True):
        out = out[:start] + text + out[end:]
    return "{ " * len(chained), out


def _lateral_optionals(prologue: str, tail: str) -> str:
    """``OPTIONAL { A . B }`` whose patterns share no variable: evaluate it per outer solution.

    Bottom-up, such an OPTIONAL is the cross product of ``A`` and ``B`` over the whole store
    (``{ $this ba:position ?p . ?next ba:position ?q }``: 56 s at 100k triples); as
    ``LATERAL { OPTIONAL { A . B } }`` in the same place it is two index lookups per solution
    (12 ms). For a group of triple patterns and filters the two forms have the same solutions.
    """
    tokens = tokenize(tail)
    end_index = _outer_end(tokens)
    if end_index is None:
        return tail
    edits: list[tuple[int, int]] = []
    depth = 0
    i = 0
    while i < end_index:
        token = tokens[i]
        if token.kind == "open" and token.text == "{":
            depth += 1
        elif token.kind == "close" and token.text == "}":
            depth -= 1
        elif depth == 0 and token.is_word("OPTIONAL") and tokens[i + 1].text == "{":
            close = matching(tokens, i + 1)
            group = tail[tokens[i + 1].end : tokens[close].start]
            if _is_cross_product(prologue, group):
                edits.append((token.start, tokens[close].end))
            i = close + 1
            continue
        i += 1
    for start, end in reversed(edits):
        tail = f"{tail[:start]}LATERAL {{ {tail[start:end]} }}{tail[end:]}"
    return tail


def _is_cross_product(prologue: str, group: str) -> bool:
    algebra = _algebra(prologue, group)
    if algebra is None:
        return False
    pattern = algebra.p if algebra.name == "Project" else algebra
    while pattern.name == "Filter":
        pattern = pattern.p
    if pattern.name != "BGP" or len(pattern.triples) < 2:
        return False
    groups: list[set[str]] = []
    for triple in pattern.triples:
        names = {str(t) for t in triple if isinstance(t, Variable)}
        touching = [g for g in groups if g & names]
        merged = names.union(*touching)
        groups = [g for g in groups if not g & names] + [merged]
    return len(groups) > 1


# -- finding filters ----------------------------------------------------------------------------


def _outer_end(tokens: list[Token]) -> int | None:
    """Index of the ``}`` closing the outer group (the tail starts just inside it)."""
    depth = 0
    for i, token in enumerate(tokens):
        if token.kind == "open" and token.text == "{":
            depth += 1
        elif token.kind == "close" and token.text == "}":
            if depth == 0:
                return i
            depth -= 1
    return None


def _filters(tokens: list[Token], end_index: int) -> list[_Filter]:
    found = []
    depth = 0
    i = 0
    while i < end_index:
        token = tokens[i]
        if token.kind == "open" and token.text == "{":
            depth += 1
        elif token.kind == "close" and token.text == "}":
            depth -= 1
        elif depth == 0 and token.is_word("FILTER"):
            last = _expression_end(tokens, i + 1)
            if last is None:
                i += 1
                continue
            exists = _exists_in(tokens, i + 1, last)
            standalone = _is_standalone(tokens, i + 1, last, exists)
            found.append(_Filter(token.start, tokens[last].end, exists, standalone))
            i = last + 1
            continue
        i += 1
    return found


def _expression_end(tokens: list[Token], at: int) -> int | None:
    """Last token index of the FILTER constraint starting at ``at``."""
    if at >= len(tokens):
        return None
    first = tokens[at]
    if first.kind == "open" and first.text == "(":
        return matching(tokens, at)
    i = at
    if tokens[i].is_word("NOT"):
        i += 1
    if i < len(tokens) and tokens[i].is_word("EXISTS"):
        if i + 1 < len(tokens) and tokens[i + 1].text == "{":
            return matching(tokens, i + 1)
        return None
    if i + 1 < len(tokens) and tokens[i + 1].text == "(":  # a function call
        return matching(tokens, i + 1)
    return None


def _exists_in(tokens: list[Token], first: int, last: int) -> list[_Exists]:
    found = []
    i = first
    while i <= last:
        token = tokens[i]
        if token.is_word("EXISTS") and i + 1 <= last and tokens[i + 1].text == "{":
            negated = i > first and tokens[i - 1].is_word("NOT")
            close = matching(tokens, i + 1)
            start = tokens[i - 1].start if negated else token.start
            found.append(
                _Exists(start, tokens[close].end, negated, tokens[i + 1].end, tokens[close].start)
            )
            i = close + 1
            continue
        i += 1
    return found


def _is_standalone(tokens: list[Token], first: int, last: int, exists: list[_Exists]) -> bool:
    if len(exists) != 1:
        return False
    inner = [
        t for t in tokens[first : last + 1] if not (t.text in "()" and t.kind in ("open", "close"))
    ]
    if not inner:
        return False
    return inner[0].start == exists[0].start and inner[-1].end == exists[0].end


# -- analysis -----------------------------------------------------------------------------------


@dataclass
class _GroupShape:
    bound: set[str]
    single_pattern: bool
    path_ends: list[tuple[object, object]]


def _analyse(prologue: str, group: str) -> _GroupShape | None:
    algebra = _algebra(prologue, group)
    if algebra is None:
        return None
    pattern = algebra.p if algebra.name == "Project" else algebra
    single = (
        pattern.name == "BGP"
        and len(pattern.triples) == 1
        and not isinstance(pattern.triples[0][1], Path)
    )
    return _GroupShape(_bound(pattern), single, _path_ends(pattern))


def _certainly_bound(prologue: str, group: str) -> set[str]:
    algebra = _algebra(prologue, group)
    return _bound(algebra.p if algebra is not None and algebra.name == "Project" else algebra)


def _algebra(prologue: str, group: str):
    try:
        return prepareQuery(f"{prologue}\nSELECT * WHERE {{ {group} }}").algebra.p
    except Exception:
        return None


def _bound(node) -> set[str]:
    """Variables bound on every solution of an algebra node (conservative)."""
    if node is None or not hasattr(node, "name"):
        return set()
    name = node.name
    if name == "BGP":
        found = set()
        for s, p, o in node.triples:
            for term in (s, p, o):
                if isinstance(term, Variable):
                    found.add(str(term))
        return found
    if name == "Join":
        return _bound(node.p1) | _bound(node.p2)
    if name in ("LeftJoin", "Minus"):
        return _bound(node.p1)
    if name == "Union":
        return _bound(node.p1) & _bound(node.p2)
    if name in ("Filter", "Extend", "Distinct", "Reduced", "Slice", "OrderBy", "Graph"):
        return _bound(node.p)
    if name == "Project":
        return _bound(node.p) & {str(v) for v in node.PV}
    return set()


def _path_ends(node) -> list[tuple[object, object]]:
    """Subject and object of every property-path pattern under ``node``."""
    found: list[tuple[object, object]] = []
    if node is None or not hasattr(node, "name"):
        return found
    if node.name == "BGP":
        return [(s, o) for s, p, o in node.triples if isinstance(p, Path)]
    for key in ("p", "p1", "p2"):
        child = node.get(key) if hasattr(node, "get") else None
        if child is not None:
            found.extend(_path_ends(child))
    return found


def _variables(text: str) -> set[str]:
    return {t.text[1:] for t in tokenize(text) if t.kind == "var"}


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text
