"""Batch topics: the words of a test-collection question that frame it rather than say what
it is about.

The analysis stopword list already drops ما/من/هل/كيف/لماذا...; `QUESTION_FRAMING` adds the
imperatives of exam-style questions and honorifics. Applied to batch topics only
(`RankingParams.question_framing`), never to interactive queries, where a user who types
a word means it. Whether it is on by default is decided by bench/eval_protocol.py
(docs/EVALUATION.md, "Ranking").
"""

from __future__ import annotations

from bahth.index.analysis import normalize, tokenize

QUESTION_FRAMING = frozenset(normalize(w) for w in (
    "اذكر", "اشرح", "وضح", "عدد", "ذكر", "ورد", "وردت",
    "سيدنا", "عليه", "السلام", "رضي", "عنه", "صلى", "وسلم",
))


def without_framing(text: str) -> str:
    """The topic's words minus `QUESTION_FRAMING` (kept whole when that would leave nothing)."""
    words = [t.text for t in tokenize(text)]
    kept = [w for w in words if normalize(w) not in QUESTION_FRAMING]
    return " ".join(kept) if kept else text
