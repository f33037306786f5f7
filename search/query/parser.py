"""Recursive-descent parser: query text -> `Root` syntax tree.

Grammar (explicit operators bind tighter than juxtaposition, like web search engines:
`a b OR c` is `a (b OR c)`; NOT > AND > OR):

    seq     := item*                      # combined with the default operator
    item    := or
    or      := and ("OR" and)*
    and     := unary ("AND" unary)*
    unary   := "NOT"* atom
    atom    := ("+" | "-") atom | "(" seq ")" | PHRASE | FIELD atom | WORD

The parser is lenient: lone or trailing operators, unbalanced parentheses and quotes,
unknown fields and punctuation-only tokens are skipped or read as words, each with a
notice. It raises `QueryError` only for input it cannot read sensibly: a wildcard pattern
without letters, a malformed date.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bahth.index.analysis.tables import DIGIT_FOLDS
from bahth.index.errors import QueryError

from . import ast
from .dates import parse_date_value
from .lexer import Kind, Tok, clean, lex
from .words import split_words

MAX_LEAVES = 64      # a 10 KB paste must not become a 10,000-clause query
MAX_DEPTH = 32       # parentheses nesting (recursion bound)
MAX_ROOT_LETTERS = 4  # `root:ك ت ب`: letters typed apart are gathered up to this many
WILDCARDS = "*?؟"
MAX_STARS = 4        # each `*` multiplies the regex backtracking over every vocabulary term
# A question or exclamation mark ending a word is punctuation, not a wildcard.
_TRAILING_PUNCT = "?؟!.,،؛;:…"
_FUZZY_RE = re.compile(r"^(.*[^~])~([0-9٠-٩]?)$", re.S)


def parse(text: str, *, syntax: bool = True) -> ast.Root:
    """Parse a query. `syntax=False` reads every token as a plain word (natural-language
    topics): no operators, fields, phrases, wildcards or fuzzy marks."""
    if not isinstance(text, str):
        raise QueryError(repr(text), "a query must be text")
    cleaned = clean(text)
    parser = _Parser(cleaned)
    child = parser.plain() if not syntax else parser.query()
    return ast.Root(child, tuple(parser.notices), cleaned)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.notices: list[str] = []
        self.tokens: list[Tok] = []
        self.i = 0
        self.depth = 0
        self.leaf_count = 0

    # -- entry points -------------------------------------------------------------------
    def plain(self) -> ast.Node | None:
        return _seq(self._leaf(split_words(self.text, 0)))

    def query(self) -> ast.Node | None:
        self.tokens = lex(self.text)
        return self.seq(field=None)

    # -- token helpers ------------------------------------------------------------------
    def peek(self) -> Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def note(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def _leaf(self, nodes: list[ast.Node]) -> list[ast.Node]:
        """Admit leaves while under MAX_LEAVES; drop the rest with one notice."""
        room = max(0, MAX_LEAVES - self.leaf_count)
        if len(nodes) > room:
            self.note(f"the query is long: only its first {MAX_LEAVES} words are searched")
        kept = nodes[:room]
        self.leaf_count += len(kept)
        return kept

    # -- grammar ------------------------------------------------------------------------
    def seq(self, field: str | None, in_group: bool = False) -> ast.Node | None:
        items: list[ast.Node] = []
        while (tok := self.peek()) is not None:
            if tok.kind is Kind.RPAREN:
                if in_group:
                    break
                self.take()
                self.note("an unmatched ')' was ignored")
                continue
            if tok.kind in (Kind.AND, Kind.OR):
                self.take()
                self.note(f"'{tok.text}' needs a word on each side; it was ignored")
                continue
            node = self.or_(field)
            if node is not None:
                items.append(node)
        return _seq(items)

    def or_(self, field: str | None) -> ast.Node | None:
        return self._binary(Kind.OR, self.and_, ast.Or, field)

    def and_(self, field: str | None) -> ast.Node | None:
        return self._binary(Kind.AND, self.unary, ast.And, field)

    def _binary(self, kind: Kind, operand: Callable[[str | None], ast.Node | None],
                node_type: type[ast.And] | type[ast.Or], field: str | None) -> ast.Node | None:
        """`operand (kind operand)*`; an operator without a right operand is dropped."""
        children = [operand(field)]
        while (tok := self.peek()) is not None and tok.kind is kind:
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in (Kind.RPAREN, Kind.AND, Kind.OR):
                self.note(f"'{kind.value}' needs a word on each side; it was ignored")
                break
            children.append(operand(field))
        present = [c for c in children if c is not None]
        if len(present) < len(children) and len(children) > 1:
            self.note(f"'{kind.value}' is missing a searchable word on one side")
        if not present:
            return None
        return present[0] if len(present) == 1 else node_type(tuple(present))

    def unary(self, field: str | None) -> ast.Node | None:
        negations = 0
        while (tok := self.peek()) is not None and tok.kind is Kind.NOT:
            self.take()
            negations += 1
        if negations and (self.peek() is None or self.peek().kind in (Kind.RPAREN, Kind.AND, Kind.OR)):
            self.note("'NOT' needs a word after it; it was ignored")
            return None
        node = self.atom(field)
        if node is None or negations % 2 == 0:
            return node
        return ast.Not(node)

    def atom(self, field: str | None) -> ast.Node | None:
        tok = self.take()
        kind = tok.kind
        if kind in (Kind.MUST, Kind.MUST_NOT):
            return self._modified(tok, field)
        if kind is Kind.LPAREN:
            return self._group(field)
        if kind is Kind.PHRASE:
            return _one(self._phrase(tok, field))
        if kind is Kind.FIELD:
            return self._field(tok)
        if kind is Kind.BAD_FIELD:
            name = tok.text.split(":", 1)[0]
            self.note(f"unknown field '{name}:' was searched as words "
                      "(fields: title, source, category, date)")
            return _seq(self._leaf(split_words(tok.text, tok.start, field)))
        if kind is Kind.UNCLOSED:
            self.note(f"an unbalanced quote {tok.text} was ignored")
            return None
        if kind is Kind.RPAREN:  # only reachable after a modifier or field: `+)`
            self.i -= 1
            return None
        return self._word(tok, field)

    def _modified(self, tok: Tok, field: str | None) -> ast.Node | None:
        if self.peek() is None:
            return None
        child = self.atom(field)
        if child is None:
            return None
        return ast.Must(child) if tok.kind is Kind.MUST else ast.Not(child)

    def _group(self, field: str | None) -> ast.Node | None:
        if self.depth >= MAX_DEPTH:
            self.note(f"parentheses nested deeper than {MAX_DEPTH} levels were flattened")
            return None
        self.depth += 1
        try:
            node = self.seq(field, in_group=True)
        finally:
            self.depth -= 1
        if self.peek() is not None and self.peek().kind is Kind.RPAREN:
            self.take()
        else:
            self.note("a '(' was not closed; it was closed at the end of the query")
        return node

    def _field(self, tok: Tok) -> ast.Node | None:
        # `title:source:x` (or a 10 KB chain of them) must not recurse: the last name wins.
        while (nxt := self.peek()) is not None and nxt.kind is Kind.FIELD and nxt.start == tok.end:
            self.note(f"'{tok.text}:' directly before another field was ignored")
            tok = self.take()
        if nxt is None or nxt.start != tok.end:
            return None
        if tok.text == ast.DATE_FIELD:
            value = self.take()
            return _one(self._leaf([parse_date_value(self.text, value.text, value.start)]))
        return self.atom(tok.text)

    def _phrase(self, tok: Tok, field: str | None) -> list[ast.Node]:
        if field in ast.MORPH_FIELDS:  # root:"ك ت ب"
            return self._leaf([ast.Word(tok.text, field, None, tok.start, tok.end)])
        if field in ast.KEYWORD_FIELDS:
            return self._leaf([ast.Keyword(field, tok.text, tok.start, tok.end)])
        if field == ast.DATE_FIELD:
            return self._leaf([parse_date_value(self.text, tok.text, tok.start)])
        if not split_words(tok.text, 0):
            return []
        return self._leaf([ast.Phrase(tok.text, field, tok.start, tok.end)])

    def _word(self, tok: Tok, field: str | None) -> ast.Node | None:
        if field in ast.MORPH_FIELDS:
            return _one(self._leaf([self._morph_word(tok, field)]))
        if field in ast.KEYWORD_FIELDS:
            return _one(self._leaf([ast.Keyword(field, tok.text, tok.start, tok.end)]))
        text = tok.text.rstrip(_TRAILING_PUNCT)
        end = tok.start + len(text)
        if any(c in WILDCARDS for c in text):
            return _one(self._leaf([self._pattern(text, tok.start, end, field)]))
        fuzzy = _FUZZY_RE.match(text)
        if fuzzy and split_words(fuzzy.group(1), 0):
            word, digit = fuzzy.group(1), fuzzy.group(2)
            distance = int(digit.translate(DIGIT_FOLDS)) if digit else 0
            return _one(self._leaf([ast.Word(word, field, distance, tok.start, tok.start + len(word))]))
        return _seq(self._leaf(split_words(text, tok.start, field)))

    def _morph_word(self, tok: Tok, field: str) -> ast.Word:
        """`root:كتب`, `root:ك-ت-ب`, and `root:ك ت ب`: single letters after it, one space
        apart, are letters of the same root (at most MAX_ROOT_LETTERS in all)."""
        text, end = tok.text.rstrip(_TRAILING_PUNCT), tok.end
        letters = 1
        while (field == "root" and len(tok.text) == 1 and letters < MAX_ROOT_LETTERS
               and (nxt := self.peek()) is not None and nxt.kind is Kind.WORD and len(nxt.text) == 1
               and nxt.text.isalpha() and self.text[end:nxt.start] == " "):
            self.take()
            text, end, letters = self.text[tok.start:nxt.end], nxt.end, letters + 1
        return ast.Word(text, field, None, tok.start, tok.start + len(text))

    def _pattern(self, text: str, start: int, end: int, field: str | None) -> ast.Pattern:
        literal = "".join(c for c in text if c not in WILDCARDS)
        if not any(c.isalnum() for c in literal):
            raise QueryError(self.text, f"the wildcard pattern '{text}' has no letters; "
                                        "write at least one letter next to * or ?", start)
        text = re.sub(r"\*{2,}", "*", text)
        if text.count("*") > MAX_STARS:
            raise QueryError(self.text, f"the wildcard pattern '{text}' has more than {MAX_STARS} '*'; "
                                        "use fewer", start)
        return ast.Pattern(text, field, start, end)



def _one(nodes: list[ast.Node]) -> ast.Node | None:
    return nodes[0] if nodes else None


def _seq(items: list[ast.Node]) -> ast.Node | None:
    # A nested juxtaposition (a word the tokenizer splits, `covid-19`, or a bare group)
    # means the same as its parts side by side.
    items = [part for item in items for part in (item.children if isinstance(item, ast.Seq) else (item,))]
    if not items:
        return None
    return items[0] if len(items) == 1 else ast.Seq(tuple(items))
