"""Build a set of real misspellings from SaudiNewsNet (issue 10 item 8): words the corpus
itself wrote that are rare variants of frequent words.

How: count every word of the titles and bodies (normalized: bahth's `normalize`, so hamza
and teh marbuta variants already fold together); a *misspelling* is a word seen at most
MAX_RARE times whose normalized form is one edit (deletion, insertion, substitution or
adjacent swap, not at the first letter) from a word seen at least MIN_FREQUENT times and
RATIO times more often; the frequent word is the gold correction. Pairs are dropped when
the edit only adds or removes a letter at either end (that is morphology: و+, +ه, +ا),
when the rare word has a second candidate at least a tenth as frequent (ambiguous), or
when a digit or Latin letter is involved. Up to SIZE pairs are kept, chosen by a hash
of the word (deterministic, no tuning on the outcome). The corpus is read in place and
the set is written to bench/out/ (git-ignored): only this script is in the repository.

    .venv/bin/python bench/build_misspellings.py [--data ../shared/data] [--out bench/out/misspellings.tsv]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from bahth.index.analysis import normalize

MAX_RARE = 2
MIN_FREQUENT = 50
RATIO = 100
SIZE = 300
ARABIC_WORD = re.compile(r"[\u0621-\u064a]{4,}")
LETTERS = "ءؤئابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def word_counts(folder: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in sorted(folder.glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for article in json.load(stream):
                text = f"{article.get('title') or ''} {article.get('content') or ''}"
                counts.update(ARABIC_WORD.findall(normalize(text)))
    return counts


def edits1(word: str) -> set[str]:
    """Internal edits only (never the first or the last letter added or removed)."""
    out = set()
    for i in range(1, len(word)):
        left, right = word[:i], word[i:]
        if len(right) > 1:
            out.add(left + right[1] + right[0] + right[2:])
        if len(right) > 1:
            out.add(left + right[1:])  # delete an internal letter
        for c in LETTERS:
            out.add(left + c + right[1:])  # substitute (the last letter too)
            out.add(left + c + right)  # insert inside
    out.discard(word)
    return out


def build(counts: Counter[str]) -> list[tuple[str, str, int, int]]:
    pairs = []
    for word, count in counts.items():
        if count > MAX_RARE or len(word) < 4:
            continue
        near = sorted(((counts[e], e) for e in edits1(word) if counts.get(e, 0) >= MIN_FREQUENT), reverse=True)
        if not near or near[0][0] < RATIO * count:
            continue
        if len(near) > 1 and near[1][0] * 10 >= near[0][0]:
            continue  # two plausible corrections: no single gold answer
        pairs.append((word, near[0][1], count, near[0][0]))
    pairs.sort(key=lambda p: hashlib.sha1(p[0].encode()).hexdigest())
    return pairs[:SIZE]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "misspellings.tsv")
    args = parser.parse_args()
    counts = word_counts(args.data / "saudinewsnet")
    pairs = build(counts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(f"{w}\t{g}\t{c}\t{f}\n" for w, g, c, f in pairs), encoding="utf-8")
    print(f"{len(pairs)} misspellings (of {len(counts)} distinct words) -> {args.out}")


if __name__ == "__main__":
    main()
