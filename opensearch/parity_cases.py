"""Cases for the plugin's JUnit tests: words with what bahth's Python chain makes of them.

The Java filters mirror two pieces of Python code (normalize._seat_hamza / _dagger_alef and
stemmers.light10). Their unit tests must follow the Python rules as they change, with no Java
edit: so the expected values are not written in Java but computed here, from the Python
functions themselves, over the words of our own fixture (opensearch/fixtures/) and the seeds,
plus every word in the stemmer's own tables.

    python opensearch/parity_cases.py --out FILE
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import unicodedata
from pathlib import Path

from bahth.index.analysis import export, normalize, tokenize

nz = importlib.import_module("bahth.index.analysis.normalize")
stemmers = importlib.import_module("bahth.index.analysis.stemmers")

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "opensearch" / "fixtures", ROOT / "seeds")


def _surfaces() -> list[str]:
    words: set[str] = set()
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            words.update(t.text for t in tokenize(path.read_text(encoding="utf-8")))
    return sorted(words)


def _utf16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


def _lines() -> list[str]:
    return [line for folder in SOURCES for path in sorted(folder.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Inputs that once broke a regex engine or sit on a class boundary: long runs, separators.
EDGE_TEXTS = ("يَـٰٓأَيُّهَا ٱلَّذِينَ وَيَـٰقَوْمِ فَيَـٰقَوْمِ هَـٰٓأَنتُمْ هَـٰٓؤُلَآءِ يَـٰٓ", "بيَـٰقَوْمِ يَـٰٓ1 يَـٰٓa",
              "يَـٰٓ\u0651\u0651قَوْمِ", "5\u064e\u064eب", "\u064e" * 3000 + "x", "a" * 20000, "ب" * 20000, "1." * 5000 + "1", "a\u0301" * 5000, "\u064e" * 50 + "ب",
              "1,000.5 ٫ 12٫5 1..2 .5 5.", "x²y 𝐁old 👍a", "_under_score_", "ﻻ ﷺ ﹰ")


def tokenizer_cases() -> list[list]:
    """[text, [[start, end] of each token in UTF-16 units]] per line of our texts."""
    return [[text, [[_utf16(text, t.start), _utf16(text, t.end)] for t in tokenize(text)]]
            for text in (*_lines(), *EDGE_TEXTS)]


# Classes as the exporter writes them for Java (trees of intersections): the atoms used by
# the index settings and the plugin's tables, whose Java meaning JUnit checks code point by code point.
CLASS_ATOMS = ("\\w", "\\W", "\\s", "\\S", ".", "\\d", f"[\\w{re.escape(nz.MARKS)}]", "[^\\W\\d_\u0600-\u06ff]")


def class_cases() -> list[list]:
    """[Java class, [[first, last] code point of each range Python's re matches]]."""
    return [[export.java_class(atom), [list(r) for r in export.python_class_ranges(atom)]] for atom in CLASS_ATOMS]


def uthmani_cases(surfaces: list[str]) -> list[list[str]]:
    """[text after NFKC and the template rows, apply_context_rules of the NFKC text]."""
    cases = []
    for surface in surfaces:
        text = unicodedata.normalize("NFKC", surface)
        after_rows = text
        for pattern, replacement, _why in nz.CONTEXT_RULES:
            after_rows = pattern.sub(replacement, after_rows)
        cases.append([after_rows, nz.apply_context_rules(text)])
    return cases


def light10_cases(surfaces: list[str]) -> list[list[str]]:
    """[normalized word, its light10 stem], leaving out IRREGULAR (a built-in filter's job)."""
    words = {w for s in surfaces for w in normalize(s).split()}
    words |= {p.text + w for p in stemmers.PREFIXES for w in stemmers.PROTECTED}
    words |= {w + s.text for s in stemmers.SUFFIXES for w in stemmers.PROTECTED}
    words |= set(stemmers.PROTECTED)
    words |= {p.text + w for p in stemmers.PREFIXES for w in stemmers.WORDS_AFTER_PREPOSITION}
    words |= {"ال" + p.text + w for p in stemmers.PREFIXES if p.text in stemmers.GUARD_ON_STEM
              for w in ("كمبيوتر", "بريطانيا", "مدرسه")}
    return [[w, stemmers.light10(w)] for w in sorted(words) if w not in stemmers.IRREGULAR]


def light10_no_article_cases(surfaces: list[str]) -> list[list[str]]:
    """[normalized word, light10(word, article=False)] for the words that start with an ال."""
    words = [w for w, _stem in light10_cases(surfaces) if "ال" in w[:4]]
    return [[w, stemmers.light10(w, article=False)] for w in words]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    surfaces = _surfaces()
    cases = {"classes": class_cases(), "tokenizer": tokenizer_cases(), "uthmani": uthmani_cases(surfaces), "light10": light10_cases(surfaces),
             "light10_no_article": light10_no_article_cases(surfaces)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(cases, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
