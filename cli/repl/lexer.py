"""Live highlighting of the line being typed: operators, fields, phrases, wildcards, commands.

Driven by THE query lexer (`search.query.lexer.lex`), so what is coloured is what the
parser will read: this module only maps token kinds to styles and fills the gaps.
"""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.lexers import Lexer

from bahth.search.query.lexer import INVISIBLE, Kind, lex
from bahth.search.query.parser import _FUZZY_RE as FUZZY  # `word~N`, as the parser reads it
from bahth.search.query.vocab import WILDCARD_CHARS

Fragments = list[tuple[str, str]]

# One row per token kind that gets a colour; other kinds are plain text.
STYLES = {
    Kind.PHRASE: "class:query.phrase",
    Kind.UNCLOSED: "class:query.phrase",  # an opening quote: the rest of the line is the phrase being typed
    Kind.FIELD: "class:query.field",
    Kind.AND: "class:query.operator", Kind.OR: "class:query.operator", Kind.NOT: "class:query.operator",
    Kind.MUST: "class:query.operator", Kind.MUST_NOT: "class:query.operator",
    Kind.LPAREN: "class:query.paren", Kind.RPAREN: "class:query.paren",
}


def lex_query(line: str) -> Fragments:
    """Fragments covering every character of one line; a `:command` line is one command token
    plus its argument."""
    stripped = line.lstrip()
    if stripped[:1] in (":", "\\"):
        name, space, rest = line.partition(" ")
        return [("class:query.command", name)] + ([("", " " + rest)] if space else [])
    # Positions of the lexer refer to the line without invisible marks: map them back.
    kept = [i for i, ch in enumerate(line) if ord(ch) not in INVISIBLE]
    cleaned = "".join(line[i] for i in kept)
    styles = [""] * len(line)
    for tok in lex(cleaned):
        for style, start, end in _token_styles(tok, cleaned):
            for i in range(start, end):
                styles[kept[i]] = style
    return _runs(line, styles)


def _token_styles(tok, cleaned: str) -> list[tuple[str, int, int]]:
    if tok.kind is Kind.UNCLOSED:
        return [(STYLES[tok.kind], tok.start, len(cleaned))]
    if tok.kind in STYLES:
        return [(STYLES[tok.kind], tok.start, tok.end)]
    if tok.kind is Kind.WORD:
        fuzzy = FUZZY.match(tok.text)
        end = tok.start + (fuzzy.end(1) if fuzzy else len(tok.text))
        parts = []
        if any(c in WILDCARD_CHARS for c in tok.text[:end - tok.start]):
            parts.append(("class:query.wildcard", tok.start, end))
        if fuzzy:
            parts.append(("class:query.operator", end, tok.end))
        return parts
    return []


def _runs(line: str, styles: list[str]) -> Fragments:
    fragments: Fragments = []
    for ch, style in zip(line, styles):
        if fragments and fragments[-1][0] == style:
            fragments[-1] = (style, fragments[-1][1] + ch)
        else:
            fragments.append((style, ch))
    return fragments


class QueryLexer(Lexer):
    def lex_document(self, document: Document) -> Callable[[int], Fragments]:
        lines = document.lines
        return lambda number: lex_query(lines[number]) if number < len(lines) else []
