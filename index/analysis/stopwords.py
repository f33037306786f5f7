"""The Arabic stopword list, normalized at load time with the same ``normalize()`` the index uses.

Lucene's list is not normalized (its own comment warns about it): a list written with hamza
never matches text normalized to bare alef. Here every entry goes through ``normalize`` once,
so the list follows the normalization rules whatever they become. Question words (ما ماذا من
متى كيف لماذا هل أين كم) are included: people type questions, and the words carry no topic.
Entries with a space (``ما زال``) cannot match a single token and are dropped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .normalize import normalize

STOPWORDS_FILE = "stopwords_ar.txt"


@cache
def stopwords() -> frozenset[str]:
    """The normalized stopword set."""
    # Beside this module (importlib.resources would add ~10 ms of imports to every `bahth search`).
    text = Path(__file__).with_name(STOPWORDS_FILE).read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(normalize(w) for w in words if w and " " not in w)


def is_stopword(normalized_word: str) -> bool:
    return normalized_word in stopwords()
