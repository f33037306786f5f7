"""Snippets: the best fragment(s) of a document's ORIGINAL text around the matches.

Input is the stored text plus character spans of matched tokens (from the body postings'
stored character offsets, see `match_spans`); output is a plain-text snippet cut at word
boundaries and the (start, end) spans of the matches inside it. Nothing here normalizes the
text: diacritics, tatweel and punctuation are shown exactly as stored.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from bahth.index.analysis.tables import TATWEEL

Span = tuple[int, int]

ELLIPSIS = " … "


def is_word_char(char: str) -> bool:
    """Letters, digits, combining marks and tatweel belong to a word (Arabic marks are category M)."""
    return char == TATWEEL or unicodedata.category(char)[0] in "LMN"


MAX_REACH = 64  # characters any boundary search walks: a run of marks or a 200 MB "word" must
               # not make each of thousands of matches walk it (issue 13, item 8)


def expand_to_word(text: str, start: int, end: int) -> Span:
    """Grow a span to whole-word boundaries (at most MAX_REACH characters each way), so
    highlights include every mark and tatweel."""
    start, end = max(0, start), min(len(text), end)
    floor, ceiling = max(0, start - MAX_REACH), min(len(text), end + MAX_REACH)
    while start > floor and is_word_char(text[start - 1]):
        start -= 1
    while end < ceiling and is_word_char(text[end]):
        end += 1
    return start, end


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans (overlapping or touching ones are joined)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


MAX_ANCHORS = 2000  # windows considered (evenly spread over the matches beyond that)


@dataclass(frozen=True)
class SnippetOptions:
    max_chars: int = 240  # total budget over all fragments (the joiner not counted)
    fragments: int = 2  # at most this many fragments
    lead_chars: int = 40  # context kept before the first match of a fragment


def _cut_left(text: str, pos: int) -> int:
    """Move left to a word start (within MAX_REACH characters; a longer "word" is cut)."""
    pos = max(0, pos)
    floor = max(0, pos - MAX_REACH)
    while pos > floor and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _cut_right(text: str, pos: int, floor: int) -> int:
    """Move left from `pos` to a word end, but not before `floor` (the last match to keep)."""
    pos = min(len(text), pos)
    if pos >= len(text):
        return len(text)
    back = pos
    while back > floor and not text[back].isspace():
        back -= 1
    if back > floor:
        return back
    # A single long "word" (no spaces): extend to its end rather than cutting it, within reach.
    ceiling = min(len(text), pos + MAX_REACH)
    while pos < ceiling and not text[pos].isspace():
        pos += 1
    return pos


def _window_for(text: str, spans: list[Span], starts: list[int], anchor: int, width: int,
                lead: int) -> tuple[Span, list[Span]]:
    """A fragment starting a little before spans[anchor] and `width` chars long, cut at word edges.

    `spans` are sorted and disjoint (`merge_spans`), `starts` their start offsets: the spans
    inside a window are found by bisection, so a window costs its own size, not the document's."""
    start = _cut_left(text, spans[anchor][0] - lead)
    end_limit = start + width
    last = anchor
    while last + 1 < len(spans) and spans[last + 1][1] <= end_limit:
        last += 1
    floor = spans[last][1]
    end = _cut_right(text, max(end_limit, floor), floor)
    first = bisect_left(starts, start)
    stop = bisect_right(starts, end)
    return (start, end), [s for s in spans[first:stop] if s[1] <= end]


def _fragment_score(text: str, inside: list[Span]) -> tuple[int, int]:
    """Distinct matched words first (more of the query shown), then the number of matches."""
    distinct = {text[s:e] for s, e in inside}
    return len(distinct), len(inside)


def choose_fragments(text: str, spans: list[Span], options: SnippetOptions) -> list[Span]:
    """Greedy: the best-scoring window, then the best one not overlapping it, and so on."""
    width = max(40, options.max_chars // max(1, options.fragments))
    starts = [s for s, _e in spans]
    step = max(1, len(spans) // MAX_ANCHORS)
    candidates = [_window_for(text, spans, starts, i, width, options.lead_chars) for i in range(0, len(spans), step)]
    chosen: list[Span] = []
    used: set[Span] = set()
    while candidates and len(chosen) < options.fragments:
        best = max(candidates, key=lambda c: (_fragment_score(text, [s for s in c[1] if s not in used]), -c[0][0]))
        fresh = [s for s in best[1] if s not in used]
        if not fresh and chosen:
            break
        chosen.append(best[0])
        used.update(best[1])
        candidates = [c for c in candidates if c[0][1] <= best[0][0] or c[0][0] >= best[0][1]]
    return sorted(chosen)


def make_snippet(text: str, spans: Iterable[Span], options: SnippetOptions | None = None) -> tuple[str, list[Span]]:
    """(snippet, highlight spans inside the snippet) for `text` with matches at `spans`.

    Without matches, the snippet is the beginning of the text cut at a word boundary.
    """
    options = options or SnippetOptions()
    text = text or ""
    word_spans = merge_spans(expand_to_word(text, s, e) for s, e in spans if 0 <= s < e <= len(text))
    if not word_spans:
        end = _cut_right(text, options.max_chars, 0) if len(text) > options.max_chars else len(text)
        return _squash(text[:end]) + ("…" if end < len(text) else ""), []
    pieces: list[str] = []
    highlights: list[Span] = []
    offset = 0
    fragments = choose_fragments(text, word_spans, options)
    starts = [s for s, _e in word_spans]
    for index, (start, end) in enumerate(fragments):
        if index or start > 0:
            pieces.append(ELLIPSIS if index else "…")
            offset += len(pieces[-1])
        piece, mapping = _squash_with_map(text[start:end])
        for s, e in word_spans[bisect_left(starts, start):bisect_right(starts, end)]:
            if e <= end:
                highlights.append((offset + mapping[s - start], offset + mapping[e - start - 1] + 1))
        pieces.append(piece)
        offset += len(piece)
    if fragments[-1][1] < len(text.rstrip()):
        pieces.append("…")
    return "".join(pieces), highlights


def _squash(text: str) -> str:
    return _squash_with_map(text)[0]


# Whitespace that squashing changes: a run of two or more, or one that is not a plain space.
# (\s is str.isspace: both are Py_UNICODE_ISSPACE; tests check every code point.)
_SQUASHED = re.compile(r"\s{2,}|[^\S ]")


def _squash_with_map(text: str) -> tuple[str, list[int]]:
    """Collapse runs of whitespace (newlines in articles) to one space; map old index -> new index.

    Only the runs that change are visited (one regex pass): a loop per character was a tenth
    of a search's time."""
    pieces: list[str] = []
    mapping: list[int] = []
    size = last = 0
    for match in _SQUASHED.finditer(text):
        start, end = match.span()
        pieces.append(text[last:start])
        mapping.extend(range(size, size + start - last))
        size += start - last
        pieces.append(" ")
        mapping.extend([size] * (end - start))
        size += 1
        last = end
    if not last:
        return text, list(range(len(text)))
    pieces.append(text[last:])
    mapping.extend(range(size, size + len(text) - last))
    return "".join(pieces), mapping
