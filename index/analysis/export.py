"""The analysis chain for OpenSearch, generated from the rule tables (read only, no second copy).

Two products, both plain JSON:

- ``index_settings()``: the ``analysis`` section of an OpenSearch index. Whatever OpenSearch's
  built-in analysis can express is written with it, from the tables: each plain row of
  ``normalize.CONTEXT_RULES`` and ``SEAT_SEQUENCES``, the deletions and letter folds of
  ``normalize.DELETED`` / ``LETTER_FOLDS``, each whole-word spelling (``_QURANIC_WORDS``,
  ``_JOINED_WORDS``) and normalize's second round are ``pattern_replace`` filters; the
  stopwords of a query a ``stop`` filter; ``stemmers.IRREGULAR`` a ``stemmer_override`` filter.
  What no built-in filter can express is a component of the bahth OpenSearch plugin
  (opensearch/plugin/): the tokenizer (its joined-word alternative as a Java regex, the rest
  as character classes), Unicode normalization (NFKC/NFC), the two Uthmani rules that decide
  by code (``_seat_hamza``, ``_dagger_alef``), TermMaker's steps (no article after أل/إل/آل,
  several words at consecutive positions, common words as marked terms) and light10.
- ``plugin_tables()``: the tables those plugin filters read, bundled into the plugin at build
  time (``make opensearch-plugin``). Their SHA-256 is written into the index settings, and the
  plugin refuses an index whose settings name other tables than the ones it was built with.

Python and Java regular expressions differ (``\\w``, ``\\d``, ``\\s`` and ``.`` mean other sets of
characters; Java has no ``(?P<name>``). ``java_regex`` therefore replaces every character class
by the explicit code points Python's ``re`` matches for it, computed with ``re`` itself, so both
engines agree character by character whatever Unicode version each one knows.

A rule that changes a table flows through with no Java edit; a rule that needs new code (a
replacement function instead of a template) makes ``index_settings`` raise ``ExportError``
naming the rule, so it cannot be silently dropped. Run:
``python -m bahth.index.analysis.export --plugin-tables FILE --index-settings FILE``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .chain import ANALYSIS_VERSION
from .stopwords import stopwords

# The package exports functions named like these modules: import the modules themselves.
nz = importlib.import_module(".normalize", __package__)
stemmers = importlib.import_module(".stemmers", __package__)
tokenize = importlib.import_module(".tokenize", __package__)
terms = importlib.import_module(".terms", __package__)

ANALYZER = "bahth_arabic"
VOCALIZED_ANALYZER = "bahth_arabic_vocalized"
# What a query is analyzed with: stopwords dropped (TermMaker.terms); ANALYZER is what the
# index holds (TermMaker.sequence_terms: stopwords as marked terms, every word at its position).
SEARCH_ANALYZER = "bahth_arabic_search"
TOKENIZER = "bahth_tokenizer"
# A long article is more than OpenSearch's default 10,000 tokens in one _analyze call.
ANALYZE_MAX_TOKENS = 1_000_000


class ExportError(ValueError):
    """A rule that the OpenSearch chain cannot express without new code."""


# --- Python regex -> Java regex ---------------------------------------------------------------

_SURROGATES = range(0xD800, 0xE000)


@cache
def _code_points() -> tuple[str, str]:
    """Every code point as text, in two runs (below and above the surrogates)."""
    return ("".join(map(chr, range(0, _SURROGATES.start))),
            "".join(map(chr, range(_SURROGATES.stop, 0x110000))))


@cache
def python_class_ranges(atom: str) -> tuple[tuple[int, int], ...]:
    """The code point ranges that the Python regex atom (``[...]``, ``\\w``, ``.``) matches."""
    runs = re.compile(f"(?:{atom})+")
    ranges: list[tuple[int, int]] = []
    for text, base in zip(_code_points(), (0, _SURROGATES.stop)):
        ranges.extend((base + m.start(), base + m.end() - 1) for m in runs.finditer(text))
    return tuple(ranges)


def _java_char(cp: int) -> str:
    return f"\\x{{{cp:X}}}"


def _java_ranges(ranges: Sequence[tuple[int, int]]) -> str:
    return "".join(_java_char(a) if a == b else f"{_java_char(a)}-{_java_char(b)}" for a, b in ranges)


def java_class(atom: str) -> str:
    """A Java character class matching exactly the code points the Python atom matches.

    Java tests a class of n ranges as a chain of n predicates, every one of them evaluated
    for a character outside the class (a \\w class has about 700 ranges: the filters using it
    were 4x slower than the others). Large classes are therefore written as a tree of
    intersections, ``[[lo-hi&&[left]][lo-hi&&[right]]]``, so a test prunes by the bounds of each
    half and costs a few dozen comparisons.
    """
    ranges = python_class_ranges(atom)
    if not ranges:
        raise ExportError(f"the class {atom!r} matches no character")
    return _class_tree(ranges)


_FLAT_RANGES = 8


def _class_tree(ranges: Sequence[tuple[int, int]]) -> str:
    if len(ranges) <= _FLAT_RANGES:
        return f"[{_java_ranges(ranges)}]"
    half = len(ranges) // 2
    return "[" + "".join(f"[{_java_char(part[0][0])}-{_java_char(part[-1][1])}&&{_class_tree(part)}]"
                         for part in (ranges[:half], ranges[half:])) + "]"


def _class_end(pattern: str, start: int) -> int:
    """Index of the ``]`` closing the class that opens at ``start``."""
    i = start + 1
    if pattern[i:i + 1] == "^":
        i += 1
    if pattern[i:i + 1] == "]":
        i += 1  # a ']' first in the class is a literal
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "[":
            raise ExportError(f"nested or set-operation class in {pattern!r}")
        if pattern[i] == "]":
            return i
        i += 1
    raise ExportError(f"unclosed class in {pattern!r}")


_CLASS_ESCAPES = "wWdDsS"
_UNSUPPORTED_ESCAPES = "bBAZ"


def java_regex(pattern: str | re.Pattern[str]) -> str:
    """The Java regex that matches what the Python regex matches (see the module docstring)."""
    if isinstance(pattern, re.Pattern):
        if pattern.flags & ~re.UNICODE:
            raise ExportError(f"regex flags other than the default in {pattern.pattern!r}")
        pattern = pattern.pattern
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "[":
            end = _class_end(pattern, i)
            out.append(java_class(pattern[i:end + 1]))
            i = end + 1
        elif ch == ".":
            out.append(java_class("."))
            i += 1
        elif ch == "\\":
            nxt = pattern[i + 1]
            if nxt in _CLASS_ESCAPES:
                out.append(java_class("\\" + nxt))
                i += 2
            elif nxt in _UNSUPPORTED_ESCAPES:
                raise ExportError(f"\\{nxt} has another meaning in Java regex: {pattern!r}")
            elif nxt in "uUx":
                width = {"u": 4, "U": 8, "x": 2}[nxt]
                out.append(_java_char(int(pattern[i + 2:i + 2 + width], 16)))
                i += 2 + width
            elif nxt.isdigit():
                out.append("\\" + nxt)  # a back reference
                i += 2
            elif nxt in "ntrf":
                out.append("\\" + nxt)
                i += 2
            elif nxt == "v":
                out.append(_java_char(0x0B))
                i += 2
            elif nxt.isalpha():
                raise ExportError(f"unknown escape \\{nxt} in {pattern!r}")
            else:
                out.append(_java_char(ord(nxt)) if not nxt.isascii() else "\\" + nxt)
                i += 2
        elif pattern.startswith("(?P<", i):
            out.append("(?<")
            i += 4
        elif pattern.startswith("(?P=", i):
            end = pattern.index(")", i)
            out.append(f"\\k<{pattern[i + 4:end]}>")
            i = end + 1
        elif pattern.startswith("(?#", i) or (pattern.startswith("(?", i) and pattern[i + 2:i + 3].isalpha()):
            raise ExportError(f"inline flags or comments in {pattern!r}")
        else:
            out.append(ch if ch.isascii() else _java_char(ord(ch)))
            i += 1
    return "".join(out)


_TEMPLATE_PART = re.compile(r"\\g<(\w+)>|\\(\d{1,2})|\\(.)|(\$)|([^\\$]+)", re.S)


def java_replacement(template: str) -> str:
    """A Python ``re.sub`` template (``\\1``, ``\\g<name>``) as a Java replacement (``$1``)."""
    out: list[str] = []
    for match in _TEMPLATE_PART.finditer(template):
        name, number, escaped, dollar, literal = match.groups()
        if name is not None:
            out.append(f"${name}" if name.isdigit() else f"${{{name}}}")
        elif number is not None:
            out.append(f"${number}")
        elif escaped is not None:
            table = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "\\": "\\\\"}
            if escaped not in table:
                raise ExportError(f"escape \\{escaped} in the replacement {template!r}")
            out.append(table[escaped])
        elif dollar is not None:
            out.append("\\$")
        else:
            out.append(literal)
    if "".join(m.group() for m in _TEMPLATE_PART.finditer(template)) != template:
        raise ExportError(f"cannot read the replacement {template!r}")
    return "".join(out)


def class_atoms(pattern: str) -> tuple[str, list[str]]:
    """The pattern's shape (each character class written ``C``) and its class atoms, in order."""
    shape: list[str] = []
    atoms: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "[":
            end = _class_end(pattern, i) + 1
        elif pattern[i] == "\\" and pattern[i + 1] in _CLASS_ESCAPES:
            end = i + 2
        elif pattern[i] == "\\":
            raise ExportError(f"an escape other than a class in {pattern!r}")
        else:
            shape.append(pattern[i])
            i += 1
            continue
        atoms.append(pattern[i:end])
        shape.append("C")
        i = end
    return "".join(shape), atoms


# The plugin's tokenizer (BahthTokenizer.java) scans for exactly this shape of
# tokenize.TOKEN_PATTERN, C being any character class, after the joined-word alternative (0):
# (1) an Arabic word whose leading marks may not follow a mark, (2) a number, (3) a word of
# another script. A scan with no regex engine: Java's regex recurses once per repeated group,
# and one long word (5,000 letters) overflowed the node's stack and killed the node.
TOKEN_SHAPE = "(?:(?<!C)C+)?CC*|C+(?:CC+)*|(?:CC*)+"


def _joined_alternative() -> str:
    """Alternative 0 of ``TOKEN_PATTERN`` (the first of two joined Uthmani words), as Python wrote it."""
    return rf"(?<![{tokenize.ARABIC_LETTERS}{tokenize._INSIDE_WORD}])(?:{tokenize._JOINED})"


def tokenizer_tables() -> dict[str, Any]:
    """The character classes of ``tokenize.TOKEN_PATTERN`` as code point ranges, and its rule 0 as a Java regex.

    Rule 0 (``JOINED_FIRST_WORDS``: bounded, short) is run by java.util.regex at the start of a
    word only; rules 1-3 are the plugin's scan over the classes.
    """
    pattern = tokenize.TOKEN_PATTERN.pattern
    joined = _joined_alternative()
    if not pattern.startswith(joined + "|"):
        raise ExportError("tokenize.TOKEN_PATTERN changed its structure (it no longer starts with the joined-word "
                          "alternative): mirror the change in opensearch/plugin's BahthTokenizer.java, then here")
    shape, atoms = class_atoms(pattern[len(joined) + 1:])
    if shape != TOKEN_SHAPE or tokenize.TOKEN_PATTERN.flags & ~re.UNICODE:
        raise ExportError(f"tokenize.TOKEN_PATTERN changed its structure ({shape!r}, not {TOKEN_SHAPE!r}): "
                          "mirror the change in opensearch/plugin's BahthTokenizer.java, then here")
    not_after, inside, letter, letter_or_inside, digit, separator, digit_again, start, mark = (
        set(_members(python_class_ranges(atom))) for atom in atoms)
    # What makes the plain scan equal to the regex (no backtracking can find another match).
    checks = {"letters or marks = letters | marks": letter_or_inside == letter | inside,
              "marks and letters are disjoint": not inside & letter,
              "the lookbehind of leading marks is the marks' class": not_after == inside,
              "the two digit classes agree": digit == digit_again,
              "separators are not digits": not separator & digit}
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        raise ExportError(f"tokenize.TOKEN_PATTERN no longer satisfies: {', '.join(failed)}")
    tables: dict[str, Any] = {
        name: [list(r) for r in python_class_ranges(atoms[i])]
        for name, i in (("inside_word", 1), ("arabic_letter", 2), ("digit", 4), ("number_separator", 5),
                        ("other_letter", 7), ("other_mark", 8))}
    tables["joined_first_word"] = java_regex(joined)
    return tables

def _members(ranges: Sequence[tuple[int, int]]) -> list[int]:
    return [cp for a, b in ranges for cp in range(a, b + 1)]


# --- the plugin's tables -----------------------------------------------------------------------

def plugin_tables() -> dict[str, Any]:
    """The tables the plugin's filters read (Uthmani rules decided by code, light10)."""
    vowel_seats = [[vowels, seat] for vowels, seat in nz._VOWEL_SEAT]
    return {
        "analysis_version": ANALYSIS_VERSION,
        "tokenizer": tokenizer_tables(),
        "uthmani": {
            # normalize._seat_hamza: a vocalized medial hamza takes its seat from the vowels.
            "medial_hamza": java_regex(nz._MEDIAL_HAMZA),
            "hamza": nz.HAMZA,
            "hamza_above": nz.HAMZA_ABOVE,
            "alef": nz.ALEF,
            "alefs": nz._ALEFS,
            "kasra": nz.KASRA,
            "kasra_after": nz.YEH + nz.ALEF_MAKSURA,
            "vowel_seats": vowel_seats,
            # The literals inside _seat_hamza: the vowels that make a bare hamza "vocalized" and
            # the seat when no vowel decides.
            "vowel_marks": nz.FATHA + nz.DAMMA + nz.KASRA + "\u064b\u064c\u064d",
            "default_seat": "\u0623",
            # normalize._dagger_alef: the dagger alef is silent in some words, an alef elsewhere.
            "dagger_alef": nz.DAGGER_ALEF,
            "word_with_dagger": java_regex(nz._WORD_WITH_DAGGER),
            "dagger_after_letter": java_regex(nz._DAGGER_AFTER_LETTER),
            "dagger_replacement": java_replacement(r"\1" + nz.ALEF),
            "silent_key_drop": {chr(k): v for k, v in sorted(nz._SILENT_KEY_DROP.items())},
            "silent_dagger_words": list(nz.SILENT_DAGGER_WORDS),
        },
        "light10": {
            # [text, min_rest, slot of its first clitic, slot of its last] (stemmers._clitic_slots).
            "prefixes": [[a.text, a.min_rest, *stemmers._clitic_slots(a.text)] for a in stemmers.PREFIXES],
            "article_slot": stemmers.CLITIC_ORDER[stemmers.ARTICLE],
            "words_after_preposition": sorted(stemmers.WORDS_AFTER_PREPOSITION),
            "suffixes": [[a.text, a.min_rest] for a in stemmers.SUFFIXES],
            "protected": list(stemmers.PROTECTED),
            "max_prefixes": stemmers.MAX_PREFIXES,
            "guard_on_stem": sorted(stemmers.GUARD_ON_STEM),
            "pronouns": sorted(stemmers.PRONOUNS),
            "teh_before_pronoun_min": stemmers.TEH_BEFORE_PRONOUN_MIN,
            # The literals inside _strip_suffixes: a final ت dropped after a pronoun, never after ات.
            "teh": "\u062a",
            "teh_kept_after": "\u0627\u062a",
        },
        "terms": {
            # terms.TermMaker: a surface spelled أل/إل/آل at its start is stemmed without the article.
            "hamza_alef_lam": java_regex(terms._HAMZA_ALEF_LAM),
            # Stopwords become common_term(word) in the index (their positions kept).
            "common_words": sorted(stopwords()),
            "common_mark": terms.COMMON_MARK,
            # str.split() splits at the characters Python counts as whitespace (re's \s, the same set).
            "whitespace": [list(r) for r in python_class_ranges(r"\s")],
        },
    }


def tables_json() -> str:
    """``plugin_tables()`` as the exact text bundled into the plugin."""
    return json.dumps(plugin_tables(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def tables_sha() -> str:
    return hashlib.sha256(tables_json().encode("utf-8")).hexdigest()


# --- the index settings ------------------------------------------------------------------------

def _replace(pattern: str | re.Pattern[str], replacement: str) -> dict[str, Any]:
    return {"type": "pattern_replace", "pattern": java_regex(pattern), "replacement": java_replacement(replacement)}


def _delete(chars: str) -> dict[str, Any]:
    return {"type": "pattern_replace", "pattern": java_class("[" + re.escape("".join(sorted(set(chars)))) + "]"),
            "replacement": ""}


def _folds(folds: dict[str, str], deleted: str = "") -> list[dict[str, Any]]:
    """One filter per target letter: ``[أإآ...]`` -> ``ا``, after the deletions.

    ``str.translate`` applies deletions and folds at once; the filters run one after the
    other, which is the same only if no fold output is folded again or deleted, and no
    folded letter is also in the deleted set.
    """
    again = set(folds.values()) & (set(folds) | set(deleted))
    if again:
        raise ExportError(f"fold outputs that are folded again or deleted: {sorted(again)}")
    both = set(folds) & set(deleted)
    if both:
        raise ExportError(f"letters both folded and deleted: {sorted(both)}")
    by_target: dict[str, list[str]] = {}
    for ch, rep in folds.items():
        by_target.setdefault(rep, []).append(ch)
    return [{"type": "pattern_replace", "pattern": java_class("[" + re.escape("".join(chars)) + "]"),
             "replacement": java_replacement(rep.replace("\\", "\\\\"))}
            for rep, chars in by_target.items()]


def _context_rules() -> list[dict[str, Any]]:
    rules = []
    for pattern, replacement, why in nz.CONTEXT_RULES:
        if not isinstance(replacement, str):
            raise ExportError(f"context rule {why!r} replaces by code: mirror it in the plugin")
        rules.append(_replace(pattern, replacement))
    return rules


def _word_rules() -> list[dict[str, Any]]:
    """``apply_word_rules``: one filter per whole word of ``_QURANIC_WORDS``, then of ``_JOINED_WORDS``."""
    filters = []
    for table, regex, groups, name in ((nz._QURANIC_WORDS, nz._QURANIC_WORD, 2, "_QURANIC_WORD"),
                                       (nz._JOINED_WORDS, nz._JOINED_WORD, 1, "_JOINED_WORD")):
        alternation = "|".join(table)
        if alternation not in regex.pattern:
            raise ExportError(f"normalize.{name} is no longer built from its table: update the exporter")
        for word, spelling in table.items():
            pattern = regex.pattern.replace(alternation, re.escape(word))
            if re.compile(pattern).groups != groups:
                raise ExportError(f"normalize.{name} changed its groups: update the exporter")
            prefix = r"\1" if groups == 2 else ""
            filters.append(_replace(pattern, prefix + spelling.replace("\\", "\\\\")))
    return filters


def _seat_sequences() -> list[dict[str, Any]]:
    """``normalize.fold_seat_sequences``: hamza seats decided by a neighbour, before the folds."""
    return [_replace(pattern, replacement) for pattern, replacement, _why in nz.SEAT_SEQUENCES]


def _second_round() -> dict[str, Any]:
    """``normalize``'s second round: a ئا folded to ءا reads as آ (the ءا rule of CONTEXT_RULES), then folds to ا.

    On folded text (no marks, no tatweel left) the only rule of the round that can apply is that one,
    and ``_HAMZA_ALEF_INSIDE`` is what makes Python run it.
    """
    return _replace(nz._HAMZA_ALEF_INSIDE, nz.LETTER_FOLDS[nz.ALEF_MADDA])


@cache
def _multi_char_lowercase() -> tuple[str, ...]:
    """The letters whose lowercase is several characters in Python (Unicode's SpecialCasing)."""
    return tuple(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000 and len(chr(cp).lower()) > 1)


def _full_lowercase() -> list[dict[str, Any]]:
    return [_replace(re.escape(ch), ch.lower().replace("\\", "\\\\")) for ch in _multi_char_lowercase()]


def _plugin_component(kind: str, **params: Any) -> dict[str, Any]:
    return {"type": kind, "tables": tables_sha(), **params}


def analysis_settings() -> dict[str, Any]:
    """The ``analysis`` section: the tokenizer, filters and the two analyzers."""
    filters: dict[str, dict[str, Any]] = {}

    def add(name: str, definition: dict[str, Any]) -> str:
        filters[name] = definition
        return name

    nfkc = add("bahth_nfkc", _plugin_component("bahth_unicode_normalizer", form="NFKC"))
    nfc = add("bahth_nfc", _plugin_component("bahth_unicode_normalizer", form="NFC"))
    context = [add(f"bahth_context_{i}", f) for i, f in enumerate(_context_rules(), 1)]
    uthmani = add("bahth_uthmani", _plugin_component("bahth_uthmani"))
    delete = add("bahth_delete", _delete(nz.DELETED))
    folds = [add(f"bahth_fold_{i}", f) for i, f in enumerate(_folds(nz.LETTER_FOLDS, nz.DELETED), 1)]
    words = [add(f"bahth_word_{i}", f) for i, f in enumerate(_word_rules(), 1)]
    seats = [add(f"bahth_seat_{i}", f) for i, f in enumerate(_seat_sequences(), 1)]
    second_round = add("bahth_second_round", _second_round())
    # normalize(...).split(): a ligature (ﷺ) or a joined word (ياأيها) is several words, at consecutive positions.
    surface = add("bahth_surface", _plugin_component("bahth_surface"))
    split = add("bahth_words", _plugin_component("bahth_words"))
    common = add("bahth_common", _plugin_component("bahth_common"))
    stop = add("bahth_stop", {"type": "stop", "stopwords": sorted(stopwords())})
    irregular = add("bahth_irregular", {"type": "stemmer_override",
                                        "rules": [f"{w} => {s}" for w, s in sorted(stemmers.IRREGULAR.items())]})
    light10 = add("bahth_light10", _plugin_component("bahth_light10"))
    # terms.normalize_vocalized: letters folded, the harakat kept.
    vocalized_deleted = nz.TATWEEL + nz.BIDI_AND_ZERO_WIDTH + nz.QURANIC_MARKS  # terms._VOCALIZED_TABLE
    vocalized_delete = add("bahth_vocalized_delete", _delete(vocalized_deleted))
    vocalized_folds = [add(f"bahth_vocalized_fold_{i}", f) for i, f in enumerate(_folds(nz.LETTERS_ONLY_FOLDS, vocalized_deleted), 1)]

    # str.lower() uses Unicode's full case mapping (İ -> i̇); OpenSearch's lowercase the simple one.
    lower = [add(f"bahth_lower_{i}", f) for i, f in enumerate(_full_lowercase(), 1)] + ["lowercase"]
    normalize_chain = [surface, nfkc, *context, uthmani, *seats, delete, *folds, *lower, *words, second_round]
    return {
        "tokenizer": {TOKENIZER: _plugin_component("bahth_tokenizer")},
        "filter": filters,
        "analyzer": {
            ANALYZER: {"type": "custom", "tokenizer": TOKENIZER,
                       "filter": [*normalize_chain, split, common, irregular, light10]},
            SEARCH_ANALYZER: {"type": "custom", "tokenizer": TOKENIZER,
                              "filter": [*normalize_chain, split, stop, irregular, light10]},
            VOCALIZED_ANALYZER: {"type": "custom", "tokenizer": TOKENIZER,
                                 "filter": [nfkc, *context, uthmani, vocalized_delete, *vocalized_folds,
                                            *lower, nfc]},
        },
    }


def index_settings(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Settings for creating an index that analyzes Arabic as bahth does."""
    return {"index": {"number_of_shards": shards, "number_of_replicas": replicas,
                      "analyze": {"max_token_count": ANALYZE_MAX_TOKENS},
                      "analysis": analysis_settings()}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bahth.index.analysis.export", description=__doc__.split("\n")[0])
    parser.add_argument("--plugin-tables", type=Path, help="write the plugin's tables (JSON) here")
    parser.add_argument("--index-settings", type=Path, help="write the index settings (JSON) here")
    args = parser.parse_args(argv)
    if args.plugin_tables:
        args.plugin_tables.parent.mkdir(parents=True, exist_ok=True)
        args.plugin_tables.write_text(tables_json(), encoding="utf-8")
    if args.index_settings:
        args.index_settings.parent.mkdir(parents=True, exist_ok=True)
        args.index_settings.write_text(json.dumps(index_settings(), ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
