"""A small SPARQL tokenizer: enough to find groups, FILTERs and variables in constraint queries.

It skips what could hide braces or keywords (strings, IRIs, comments), so the constraint query
itself is never re-written by guesswork; anything it cannot place is left to the engine to parse.
"""

from __future__ import annotations

import re
from typing import NamedTuple

TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<open>[{(])
  | (?P<close>[})])
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` without comments."""
    found = (
        Token(m.lastgroup or "other", m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)
    )
    return [t for t in found if t.kind != "comment"]


def matching(tokens: list[Token], at: int) -> int:
    """Index of the bracket closing the one at ``tokens[at]``; ``len(tokens)`` if none."""
    pairs = {"{": "}", "(": ")"}
    opening = tokens[at].text
    closing = pairs[opening]
    depth = 0
    for i in range(at, len(tokens)):
        if tokens[i].text == opening and tokens[i].kind == "open":
            depth += 1
        elif tokens[i].text == closing and tokens[i].kind == "close":
            depth -= 1
            if depth == 0:
                return i
    return len(tokens)
