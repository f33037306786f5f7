"""The bahth query language: `parse(text) -> Root` and `compile_query(...) -> CompiledQuery`.

Syntax (documented with examples in README.md, section "query language"): plain words,
"phrases" (also «...»), +must, -must_not, AND / OR / NOT (uppercase) and parentheses,
fields title: source: category: date:2021-07..2021-08, wildcards * and ? inside a word,
fuzzy word~ / word~2, diacritic-sensitive words (عَلم). `syntax=False` reads plain words only.
"""

from bahth.index.errors import QueryError

from . import ast
from .ast import Root
from .compile import CompiledQuery, compile_query
from .parser import MAX_LEAVES, parse

Node = ast.Node

__all__ = ["parse", "compile_query", "CompiledQuery", "QueryError", "Node", "Root", "ast", "MAX_LEAVES"]
