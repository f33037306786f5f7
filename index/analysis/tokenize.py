"""Tokenization with offsets into the ORIGINAL text.

A token is one of (``TOKEN_PATTERN``, first alternative that matches wins):

0. the first of two words that Uthmani script writes as one (``JOINED_FIRST_WORDS``): the
   vocative يَـٰ of يَـٰٓأَيُّهَا and يَـٰقَوْمِ, the هَـٰٓ of هَـٰٓأَنتُمْ; the rest of the written word is
   the next token, so يَـٰٓأَيُّهَا is the two tokens يَـٰٓ + أَيُّهَا, each with its own offsets
   and position, as imla'i text writes يَا أَيُّهَا;
1. an Arabic word: Arabic letters with the marks, tatweel and zero-width joiners that sit
   inside it (Whoosh's ``\\w+`` splits a vocalized word at every haraka; this keeps it whole);
2. a number: decimal digits (any script), with internal ``.`` ``,`` ``٫`` ``٬`` separators;
3. a word of any other script (Latin, ...), with its combining marks.

Arabic, Latin and digits never share a token (``2020م`` -> ``2020`` ``م``); everything else
(spaces, Arabic punctuation ، ؛ ؟ « », all Unicode punctuation and symbols) separates tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from .normalize import DAGGER_ALEF, MADDA_ABOVE, MARKS
from .tables import CONJUNCTIONS, TATWEEL

# Arabic letters (base block without marks/digits/punctuation, supplements, presentation forms).
ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdff\ufe70-\ufefc"
)
_ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_INSIDE_WORD = re.escape(MARKS + TATWEEL) + "\u200c\u200d"

_MARK = f"[{re.escape(MARKS)}]*"
# Rule 0, one row per Uthmani joining: (first word as written, what must follow it, why).
JOINED_FIRST_WORDS: tuple[tuple[str, str, str], ...] = (
    (f"(?:[{''.join(CONJUNCTIONS)}]{_MARK})?\u064a{_MARK}{TATWEEL}{DAGGER_ALEF}{MADDA_ABOVE}?",
     f"{_MARK}[{ARABIC_LETTERS}]", "vocative يا joined to its noun: يَـٰٓأَيُّهَا يَـٰقَوْمِ وَيَـٰقَوْمِ"),
    (f"\u0647{_MARK}{TATWEEL}{DAGGER_ALEF}{MADDA_ABOVE}", f"{_MARK}\u0623",
     "ها of attention joined to أنتم: هَـٰٓأَنتُمْ (not هَـٰٓؤُلَآءِ, which is one word)"),
)
_JOINED = "|".join(f"{first}(?={rest})" for first, rest, _why in JOINED_FIRST_WORDS)

_RULE_0 = rf"(?<![{ARABIC_LETTERS}{_INSIDE_WORD}])(?:{_JOINED})"  # 0. first of two joined words
_RULES_1_TO_3 = (
    # The lookbehind keeps a run of marks or tatweel without a letter linear: only the run's
    # first character may start a leading run (every later start fails at once instead of
    # rescanning the run to its end).
    rf"(?:(?<![{_INSIDE_WORD}])[{_INSIDE_WORD}]+)?[{ARABIC_LETTERS}][{ARABIC_LETTERS}{_INSIDE_WORD}]*"  # 1. Arabic word
    r"|\d+(?:[.,\u066b\u066c]\d+)*"  # 2. number
    rf"|(?:[^\W\d_{_ARABIC_BLOCKS}][\u0300-\u036f]*)+"  # 3. other-script word
)
TOKEN_PATTERN = re.compile(f"{_RULE_0}|{_RULES_1_TO_3}")

# Every rule-0 first word is written with tatweel + dagger alef (the rows above; a test checks
# each row), so in a text without a dagger alef rule 0 never matches and rules 1-3 alone find
# the same tokens, about a fifth faster on news text (issue 14: token offsets of long articles
# at search time; bench/tquery15_tokens.py).
JOINED_WORDS_NEED = DAGGER_ALEF
UNJOINED_TOKEN_PATTERN = re.compile(_RULES_1_TO_3)


def token_matches(text: str) -> Iterator[re.Match[str]]:
    """``TOKEN_PATTERN.finditer(text)``, by rules 1-3 alone when rule 0 cannot match."""
    if JOINED_WORDS_NEED in text:
        return TOKEN_PATTERN.finditer(text)
    return UNJOINED_TOKEN_PATTERN.finditer(text)


class Token(NamedTuple):
    """One token: its surface form and where it stands in the original text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; ``text[t.start:t.end] == t.text`` for every token."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]
