"""The query syntax tree produced by `parse` and consumed by `compile_query`.

Nodes are frozen dataclasses so that trees compare by value (handy in tests) and can be
cached. Leaves keep the user's original text (diacritics included) and its span in the
query, so that did-you-mean can rewrite a single word in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Fields a query may name. Text fields are analyzed like the index; keyword fields are one
# normalized token and act as filters; `date` takes a range.
TEXT_FIELDS = ("title", "body")
KEYWORD_FIELDS = ("source", "category")
DATE_FIELD = "date"
# `root:` and `lemma:` take a root or lemma as typed (a Word whose text is that), not a word to analyze.
MORPH_FIELDS = ("root", "lemma")


class Node:
    """Base class of every query node."""


@dataclass(frozen=True)
class Word(Node):
    """A plain word. `field` None means the default fields (title and body).

    `fuzzy` is None for an exact (stemmed) match, 0 for `word~` (distance chosen by length),
    or the explicit distance of `word~N`.
    """

    text: str
    field: str | None = None
    fuzzy: int | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Pattern(Node):
    """A word with `*` / `?` wildcards (the raw pattern, not yet normalized)."""

    text: str
    field: str | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Phrase(Node):
    """A quoted phrase: `text` is the raw text between the quotes."""

    text: str
    field: str | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Keyword(Node):
    """`source:X` or `category:X`: the raw value, matched as one normalized token."""

    field: str
    value: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class DateSpan(Node):
    """`date:A..B`: start inclusive, end exclusive; either may be open (None)."""

    start: datetime | None
    end: datetime | None
    text: str = ""


@dataclass(frozen=True)
class Must(Node):
    """`+x`: the document must match x."""

    child: Node


@dataclass(frozen=True)
class Not(Node):
    """`-x` or `NOT x`: the document must not match x."""

    child: Node


@dataclass(frozen=True)
class And(Node):
    """Explicit `a AND b`."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    """Explicit `a OR b`."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Seq(Node):
    """Clauses written side by side: combined with the compile-time default operator."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Root(Node):
    """What `parse` returns: the tree (None when nothing searchable was written), the
    notices collected while parsing, and the query text."""

    child: Node | None
    notices: tuple[str, ...] = field(default=())
    text: str = ""


def leaves(node: Node | None) -> list[Node]:
    """The leaves of a tree in query order (Word, Pattern, Phrase, Keyword, DateSpan)."""
    if node is None:
        return []
    if isinstance(node, Root):
        return leaves(node.child)
    if isinstance(node, (Must, Not)):
        return leaves(node.child)
    if isinstance(node, (And, Or, Seq)):
        return [leaf for child in node.children for leaf in leaves(child)]
    return [node]
