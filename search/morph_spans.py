"""Highlights of `root:` / `lemma:` matches on the original text.

The root and lemma fields index positions only (no character offsets, which would double
their size); a position is the index of the token in the body, so the stored body,
tokenized again (``TOKEN_PATTERN``, the indexer's own), gives each position's characters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bahth.index.morphology import token_positions

from .query import CompiledQuery
from .ranking import doc_positions
from .snippets import Span


def add_morph_spans(spans: dict[int, list[Span]], searcher: Any, docnums: Sequence[int],
                    compiled: CompiledQuery, body_of: Callable[[int], str]) -> None:
    """Extend ``spans`` (docnum -> spans in the body) with the words matched by root/lemma terms."""
    if not compiled.morph_terms:
        return
    ordered = sorted(set(docnums))
    positions: dict[int, set[int]] = {}
    for field_name, term in compiled.morph_terms:
        for docnum, found in doc_positions(searcher, field_name, term, ordered, "positions").items():
            positions.setdefault(docnum, set()).update(found)
    for docnum, wanted in positions.items():
        tokens = token_positions(body_of(docnum))
        spans.setdefault(docnum, []).extend(tokens[p] for p in sorted(wanted) if p < len(tokens))
