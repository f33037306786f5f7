"""Batch topics: the words of a test-collection question that frame it rather than say what
it is about.

The analysis stopword list already drops ما/من/هل/كيف/لماذا...; a framing list adds words
such as the imperatives of exam-style questions and honorifics. Applied to batch topics only
(`RankingParams.question_framing`, a set of normalized words; empty = off, the default),
never to interactive queries, where a user who types a word means it. Which list, if any,
is decided by bench/eval_protocol.py among `FRAMING_LISTS` (docs/EVALUATION.md, "Ranking").
"""

from __future__ import annotations

from collections.abc import Iterable

from bahth.index.analysis import normalize, tokenize


def framing_words(words: Iterable[str]) -> frozenset[str]:
    """A framing list as `without_framing` compares it: normalized words."""
    return frozenset(normalize(w) for w in words)


IMPERATIVES = framing_words(("اذكر", "اشرح", "وضح", "عدد", "ذكر", "ورد", "وردت"))
HONORIFICS = framing_words(("سيدنا", "عليه", "السلام", "رضي", "عنه", "صلى", "وسلم"))
QUESTION_FRAMING = IMPERATIVES | HONORIFICS  # round 1's list
# Words about the Qur'an QA task rather than in its passages (round 1 tried them in a scratch run).
TASK_WORDS = framing_words(("القرآن", "الكريم", "سورة", "السورة", "الآيات", "آية", "الآية"))
FRAMING_LISTS = {
    "imperatives": IMPERATIVES,
    "honorifics": HONORIFICS,
    "round 1": QUESTION_FRAMING,
    "round 1 + task words": QUESTION_FRAMING | TASK_WORDS,
}


def without_framing(text: str, words: frozenset[str] = QUESTION_FRAMING) -> str:
    """The topic's words minus the framing `words` (kept whole when that would leave nothing)."""
    tokens = [t.text for t in tokenize(text)]
    kept = [w for w in tokens if normalize(w) not in words]
    return " ".join(kept) if kept else text
