"""Tokenization with offsets into the ORIGINAL text.

A token is one of (``TOKEN_PATTERN``, first alternative that matches wins):

1. an Arabic word: Arabic letters with the marks, tatweel and zero-width joiners that sit
   inside it (Whoosh's ``\\w+`` splits a vocalized word at every haraka; this keeps it whole);
2. a number: decimal digits (any script), with internal ``.`` ``,`` ``٫`` ``٬`` separators;
3. a word of any other script (Latin, ...), with its combining marks.

Arabic, Latin and digits never share a token (``2020م`` -> ``2020`` ``م``); everything else
(spaces, Arabic punctuation ، ؛ ؟ « », all Unicode punctuation and symbols) separates tokens.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .normalize import MARKS
from .tables import TATWEEL

# Arabic letters (base block without marks/digits/punctuation, supplements, presentation forms).
ARABIC_LETTERS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdff\ufe70-\ufefc"
)
_ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_INSIDE_WORD = re.escape(MARKS + TATWEEL) + "\u200c\u200d"

TOKEN_PATTERN = re.compile(
    rf"[{_INSIDE_WORD}]*[{ARABIC_LETTERS}][{ARABIC_LETTERS}{_INSIDE_WORD}]*"  # 1. Arabic word
    r"|\d+(?:[.,\u066b\u066c]\d+)*"  # 2. number
    rf"|(?:[^\W\d_{_ARABIC_BLOCKS}][\u0300-\u036f]*)+"  # 3. other-script word
)


class Token(NamedTuple):
    """One token: its surface form and where it stands in the original text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text``; ``text[t.start:t.end] == t.text`` for every token."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]
