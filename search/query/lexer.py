"""Split query text into tokens: words, quoted phrases, parentheses, operators, fields.

The lexer never fails: characters that cannot start anything meaningful (a lone `+`, a
stray closing quote) are skipped and reported as notices by the parser. Invisible
direction and joiner marks (RLM, LRM, embeddings, isolates, ZWJ/ZWNJ, BOM) are removed
first: people paste them from right-to-left editors and they must not split or glue words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bahth.index.analysis.tables import INVISIBLE

# Opening quote -> accepted closing quotes. Arabic text uses guillemets «...» as often as "...".
QUOTES = {'"': '"”', "«": "»", "“": "”\"", "”": "“\"", "»": "«"}
OPERATORS = {"AND", "OR", "NOT"}
# Field names and the Arabic aliases a reader may type.
FIELD_ALIASES = {
    "title": "title", "عنوان": "title", "العنوان": "title",
    "body": "body", "text": "body", "نص": "body", "النص": "body",
    "source": "source", "مصدر": "source", "المصدر": "source",
    "category": "category", "تصنيف": "category", "التصنيف": "category", "قسم": "category",
    "القسم": "category",
    "date": "date", "تاريخ": "date", "التاريخ": "date",
    # Roots and lemmas (index/morphology.py): `root:كتب`, `جذر:ك-ت-ب`, `lemma:كتاب`.
    "root": "root", "جذر": "root", "الجذر": "root",
    "lemma": "lemma", "لمة": "lemma", "اللمة": "lemma", "مدخل": "lemma", "المدخل": "lemma",
}
_FIELD_RE = re.compile(r"([^\W\d_]+):(?=[^\s)])")
_WORD_END = set("()") | set(QUOTES)


class Kind(Enum):
    WORD = "word"
    PHRASE = "phrase"
    LPAREN = "("
    RPAREN = ")"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    MUST = "+"
    MUST_NOT = "-"
    FIELD = "field"          # text = canonical field name
    BAD_FIELD = "bad field"  # `foo:bar` with an unknown name: text = the whole `foo:bar`
    UNCLOSED = "unclosed"    # an opening quote without its closing quote (skipped)


@dataclass(frozen=True)
class Tok:
    kind: Kind
    text: str
    start: int
    end: int


LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # undecodable bytes (`$'واش\xff'` in a shell) or broken UTF-16


# A field name and a value spelled letter by letter at the end of the text (`جذر:ك ت`, `root:ك-ت`):
# what completion offers roots for while the root is still being typed.
_TRAILING_SPELLED = re.compile(r"([^\W\d_]+):((?:[^\W\d_] )*[^\W\d_-]*(?:-[^\W\d_])*-?)$")


def trailing_spelled_value(text: str) -> tuple[str, str] | None:
    """(field name as typed, value so far) when `text` ends in `name:` and letters, possibly
    one space or dash apart; None otherwise."""
    found = _TRAILING_SPELLED.search(text)
    return (found.group(1), found.group(2)) if found else None


def clean(text: str) -> str:
    """The query without invisible direction/joiner marks (positions refer to this text);
    lone surrogates, which no encoder accepts, become U+FFFD (one for one)."""
    return without_surrogates(text.translate(INVISIBLE))


def without_surrogates(text: str) -> str:
    return LONE_SURROGATE.sub("\ufffd", text)


def lex(text: str) -> list[Tok]:
    """Tokens of an already `clean`ed query text."""
    tokens: list[Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Tok(Kind.LPAREN if ch == "(" else Kind.RPAREN, ch, i, i + 1))
            i += 1
        elif ch in QUOTES:
            tok = _phrase(text, i)
            tokens.append(tok)
            i = tok.end if tok.kind is Kind.PHRASE else i + 1
        elif ch in "+-" and _modifier_applies(text, i):
            tokens.append(Tok(Kind.MUST if ch == "+" else Kind.MUST_NOT, ch, i, i + 1))
            i += 1
        else:
            i = _word_or_field(text, i, tokens)
    return tokens


def _phrase(text: str, i: int) -> Tok:
    closers = QUOTES[text[i]]
    end = min((j for j in (text.find(c, i + 1) for c in closers) if j >= 0), default=-1)
    if end < 0:
        return Tok(Kind.UNCLOSED, text[i], i, i + 1)
    return Tok(Kind.PHRASE, text[i + 1 : end], i, end + 1)


def _modifier_applies(text: str, i: int) -> bool:
    """`+`/`-` is a modifier at the start of a token, directly followed by what it modifies."""
    before_ok = i == 0 or text[i - 1].isspace() or text[i - 1] == "("
    after = text[i + 1] if i + 1 < len(text) else " "
    return before_ok and not after.isspace() and after not in "+-)"


def _word_or_field(text: str, i: int, tokens: list[Tok]) -> int:
    match = _FIELD_RE.match(text, i)
    if match:
        name = match.group(1)
        canonical = FIELD_ALIASES.get(name.lower())
        if canonical:
            tokens.append(Tok(Kind.FIELD, canonical, i, match.end()))
            return match.end()
        end = _word_end(text, i)
        tokens.append(Tok(Kind.BAD_FIELD, text[i:end], i, end))
        return end
    end = _word_end(text, i)
    word = text[i:end]
    kind = Kind[word] if word in OPERATORS else Kind.WORD
    tokens.append(Tok(kind, word, i, end))
    return end


def _word_end(text: str, i: int) -> int:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in _WORD_END:
        j += 1
    return max(j, i + 1)
