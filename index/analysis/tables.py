"""Character tables shared across bahth, each defined exactly once.

Analysis (normalize, tokenize, diacritics, stemmers), the file-format readers (dates) and the
query layer (lexer, parser, dates, snippets, suggestions) import these instead of writing
their own copy: a digit, an invisible character or a clitic added here reaches every place.
Pure data; no imports.
"""

from __future__ import annotations

# --- digits ------------------------------------------------------------------------------
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660-U+0669, Arabic text in the Arab east
EXTENDED_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0-U+06F9, Persian/Urdu forms
ASCII_DIGITS = "0123456789"
# str.translate table: both Arabic digit sets -> ASCII digits.
DIGIT_FOLDS = str.maketrans(ARABIC_INDIC_DIGITS + EXTENDED_DIGITS, ASCII_DIGITS * 2)

# --- tatweel -----------------------------------------------------------------------------
TATWEEL = "\u0640"  # kashida: stretches a joined letter, carries no meaning

# --- invisible characters ------------------------------------------------------------------
# Pasted from right-to-left editors; they must neither split nor glue words.
# Bidi embeddings, overrides and isolates: they reorder what follows them (the terminal
# must never receive them from data: cli/safe_text.py).
BIDI_CONTROLS = (
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
BIDI_AND_ZERO_WIDTH = (
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
    + BIDI_CONTROLS
    + "\ufeff\u00ad"  # BOM / zero-width no-break space, soft hyphen
)
INVISIBLE = dict.fromkeys(map(ord, BIDI_AND_ZERO_WIDTH))  # str.translate table: remove them

# --- clitics (normalized spelling) ---------------------------------------------------------
# A word may start with: a conjunction, then a preposition, then the article, each optional
# (و + ب + ال = وبال). ل before the article drops the article's alef (ل + ال = لل).
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ك", "ل")
ARTICLE = "ال"


def _clitic_chains() -> frozenset[str]:
    chains = set()
    for conj in ("", *CONJUNCTIONS):
        for prep in ("", *PREPOSITIONS):
            for article in ("", ARTICLE):
                chain = conj + prep + article
                chains.add(chain.replace("لال", "لل"))
    chains.discard("")
    return frozenset(chains)


# Every leading clitic chain (و ف ب ك ل ال وال بال لل وبال ولل ...): stemmer prefixes,
# phrase comparison and diacritic matching all draw from it.
CLITIC_CHAINS: frozenset[str] = _clitic_chains()
