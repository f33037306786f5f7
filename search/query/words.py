"""Splitting free text into query words with the index's own tokenizer."""

from __future__ import annotations

from bahth.index.analysis import tokenize

from . import ast


def split_words(text: str, offset: int, field: str | None = None) -> list[ast.Word]:
    """The words of `text` as `Word` nodes; spans are shifted by `offset` so they point
    into the whole query. Punctuation and emoji yield no words."""
    return [
        ast.Word(tok.text, field, None, offset + tok.start, offset + tok.end)
        for tok in tokenize(text)
    ]
