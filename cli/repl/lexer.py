"""Live highlighting of the line being typed: operators, fields, phrases, wildcards, commands."""

from __future__ import annotations

import re
from collections.abc import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.lexers import Lexer

from bahth.search.query.lexer import FIELD_ALIASES

Fragments = list[tuple[str, str]]

# One row per token kind, tried in order at each position (first match wins).
TOKEN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("class:query.phrase", re.compile(r'"[^"]*"?|«[^»]*»?|“[^”"]*[”"]?')),
    ("class:query.field", re.compile(r"(?:%s):" % "|".join(sorted(FIELD_ALIASES, key=len, reverse=True)))),
    ("class:query.operator", re.compile(r"(?:AND|OR|NOT)(?=\s|$|\()|(?<![^\s(])[+-](?=\S)|~\d*")),
    ("class:query.paren", re.compile(r"[()]")),
    ("", re.compile(r"\s+")),
    ("class:query.wildcard", re.compile(r"[^\s\"«»“”()~]*[*?][^\s\"«»“”()~]*")),
    ("", re.compile(r"[^\s\"«»“”()~*?]+")),
    ("", re.compile(r".")),
)


def lex_query(line: str) -> Fragments:
    """Fragments for one query line; a `:command` line is one command token plus its argument."""
    stripped = line.lstrip()
    if stripped[:1] in (":", "\\"):
        name, _, rest = line.partition(" ")
        return [("class:query.command", name)] + ([("", " " + rest)] if _ else [])
    fragments: Fragments = []
    position = 0
    while position < len(line):
        for style, pattern in TOKEN_RULES:
            match = pattern.match(line, position)
            if match and match.end() > position:
                fragments.append((style, match.group()))
                position = match.end()
                break
    return fragments


class QueryLexer(Lexer):
    def lex_document(self, document: Document) -> Callable[[int], Fragments]:
        lines = document.lines
        return lambda number: lex_query(lines[number]) if number < len(lines) else []
