"""Where does the analysis go wrong on text nobody tuned on? Classes of stemmer and hamza errors.

Run from the project root (the corpora are read in place, ``$BAHTH_DATA`` or ../shared/data):

    .venv/bin/python bench/analysis_classes.py                 # all corpora, markdown on stdout
    .venv/bin/python bench/analysis_classes.py --saudi-docs 5000 --top 20

Counts every surface word of the seeds, both Tanzil scripts, ANT and SaudiNewsNet, then
reports, weighted by token frequency:

1. **Clitics out of order** (merges unrelated words): forms whose stem is reached by removing
   a prefix that is not a clitic chain Arabic writes (``tables.CLITIC_CHAINS``: conjunction,
   preposition, article, in that order): الفطرة -> طره removes ``الف``.
2. **Short stems**: stems of one or two letters and the distinct forms they merge.
3. **Splits after a preposition or conjunction**: a frequent form ``w`` and ``p + w``
   (p in و ف ب ل ك) that get different stems (ليوسف / يوسف).
4. **Hamza seats as typists drop them**: for words written with ؤ / ئ, how often the corpus
   also writes them with و / ي (a match the fold gains) and which frequent words of another
   meaning the dropped spelling collides with (a merge it costs).

5. **أل/إل/آل with and without the hamza**: words whose written hamza says their ال is no
   article (أليم, آلاف) against the same word typed with a bare alef: the tokens where the two
   spellings get different stems.

Every row names the form counts it comes from; nothing is sampled at random.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py must not shadow the standard library

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from bench.collections import data_dir  # noqa: E402
from bahth.index.analysis import normalize, term_of, tokenize  # noqa: E402

CLITIC_CHAINS = frozenset({
    "و", "ف", "ب", "ك", "ل", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وب", "ول", "فب", "فل", "فك", "وك",
    "وبال", "وكال", "فبال", "فكال",
})  # written out here on purpose: the bench must also run against older trees that lack tables.py
SPLIT_PREFIXES = ("و", "ف", "ب", "ل", "ك")
ARABIC = re.compile("[\u0621-\u064a]")


def corpus_texts(root: Path, saudi_docs: int | None) -> Iterator[tuple[str, str]]:
    """(corpus name, text) for every document of the five sources."""
    for path in sorted((_ROOT / "seeds").glob("*.txt")):
        yield "seeds", path.read_text("utf-8")
    for script in ("simple", "uthmani"):
        for line in (root / "quran" / f"quran-{script}.txt").read_text("utf-8").splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[0].isdigit():
                yield f"tanzil-{script}", parts[2]
    for path in sorted((root / "ant").glob("*.trec")):
        for doc in path.read_text("utf-8").split("<DOC>"):
            yield "ant", re.sub(r"<[^>]+>", " ", doc.split("<TITLE>", 1)[-1])
    count = 0
    for path in sorted((root / "saudinewsnet").glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for article in json.load(handle):
                if saudi_docs is not None and count >= saudi_docs:
                    return
                count += 1
                yield "saudinewsnet", f"{article.get('title') or ''}\n{article.get('content') or ''}"


def count_surfaces(root: Path, saudi_docs: int | None) -> tuple[Counter[str], Counter[str]]:
    surfaces: Counter[str] = Counter()
    tokens_per_corpus: Counter[str] = Counter()
    for corpus, text in corpus_texts(root, saudi_docs):
        words = [t.text for t in tokenize(text)]
        surfaces.update(words)
        tokens_per_corpus[corpus] += len(words)
    return surfaces, tokens_per_corpus


def word_counts(surfaces: Counter[str]) -> tuple[Counter[str], dict[str, str]]:
    """Normalized single words -> count, and normalized word -> stem (stopwords left out)."""
    words: Counter[str] = Counter()
    for surface, n in surfaces.items():
        for word in normalize(surface).split():
            if ARABIC.match(word):
                words[word] += n
    from bahth.index.analysis import is_stopword

    for word in [w for w in words if is_stopword(w)]:  # never stemmed in the default chain
        del words[word]
    stems = {w: term_of(w, stopwords=False) or w for w in words}
    return words, stems


def out_of_order(words: Counter[str], stems: dict[str, str], top: int) -> tuple[list[tuple], int, int]:
    by_stem: dict[str, Counter[str]] = defaultdict(Counter)
    tokens = 0
    for word, stem in stems.items():
        at = word.find(stem)
        if at > 0 and word[:at] not in CLITIC_CHAINS:
            by_stem[stem][word] += words[word]
            tokens += words[word]
    rows = sorted(by_stem.items(), key=lambda kv: -sum(kv[1].values()))
    return [(stem, sum(c.values()), ", ".join(w for w, _ in c.most_common(4))) for stem, c in rows[:top]], \
        len(by_stem), tokens


def short_stems(words: Counter[str], stems: dict[str, str], top: int) -> tuple[list[tuple], int]:
    by_stem: dict[str, Counter[str]] = defaultdict(Counter)
    for word, stem in stems.items():
        if len(stem) <= 2 and len(word) > len(stem) + 1:
            by_stem[stem][word] += words[word]
    rows = sorted(by_stem.items(), key=lambda kv: -sum(kv[1].values()))
    return [(stem, len(c), sum(c.values()), ", ".join(w for w, _ in c.most_common(5))) for stem, c in rows[:top]], \
        sum(sum(c.values()) for c in by_stem.values())


def splits(words: Counter[str], stems: dict[str, str], top: int, min_count: int = 20) -> tuple[list[tuple], int]:
    rows = []
    for word, n in words.items():
        if word[:1] in SPLIT_PREFIXES and len(word) >= 4:
            base = word[1:]
            if words.get(base, 0) >= min_count and stems[word] != stems[base] and stems[word] != word[1:] and \
                    not stems[word].endswith(stems[base]):
                rows.append((word, n, stems[word], base, words[base], stems[base]))
    rows.sort(key=lambda r: -r[1])
    return rows[:top], sum(r[1] for r in rows)


HAMZA_DROPS = (("ؤ", "و", "hamza on waw -> waw"), ("ئ", "ي", "hamza on yeh -> yeh"))


def bare_words(surfaces: Counter[str]) -> Counter[str]:
    """Surfaces without marks and tatweel, Arabic letters only, hamza seats as written."""
    bare: Counter[str] = Counter()
    for surface, n in surfaces.items():
        plain = re.sub("[\u064b-\u065f\u0670\u0640]", "", surface)
        if re.fullmatch("[\u0621-\u064a]+", plain):
            bare[plain] += n
    return bare


def hamza_typists(bare: Counter[str], seat: str, dropped_to: str) -> tuple[list[tuple], int, int, int]:
    """Words written with ``seat`` whose spelling with ``dropped_to`` instead also occurs:
    (rows sorted by the smaller count, word types with the seat, types also seen dropped,
    tokens of the dropped spellings)."""
    rows = []
    types = 0
    for word, n in bare.items():
        if seat not in word:
            continue
        types += 1
        dropped = word.replace(seat, dropped_to)
        if bare.get(dropped):
            rows.append((word, n, dropped, bare[dropped]))
    rows.sort(key=lambda r: -min(r[1], r[3]))
    return rows, types, len(rows), sum(r[3] for r in rows)


def hamza_alef_lam(bare: Counter[str], top: int) -> tuple[list[tuple], int, int]:
    """Words starting with أل/إل/آل whose hamza-less spelling (ال...) gets another stem."""
    rows, same = [], 0
    for word, n in bare.items():
        if len(word) > 2 and word[0] in "أإآ" and word[1] == "ل":
            typed = "ا" + word[1:]
            a, b = term_of(word, stopwords=False), term_of(typed, stopwords=False)
            if a != b:
                rows.append((word, n, a, typed, bare.get(typed, 0), b))
            else:
                same += n
    rows.sort(key=lambda r: -min(r[1], r[4]))
    return rows[:top], sum(min(r[1], r[4]) for r in rows), same


def markdown(args: argparse.Namespace) -> str:
    started = time.time()
    root = args.data or data_dir()
    surfaces, per_corpus = count_surfaces(root, args.saudi_docs)
    words, stems = word_counts(surfaces)
    total = sum(words.values())
    lines = [f"Command: `.venv/bin/python bench/analysis_classes.py{' --saudi-docs ' + str(args.saudi_docs) if args.saudi_docs else ''}`  ",
             f"Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {time.time() - started:.0f} s.  ",
             "Tokens: " + ", ".join(f"{c} {n:,}" for c, n in per_corpus.items()) +
             f"; {len(words):,} distinct normalized words.", ""]
    rows, n_stems, tokens = out_of_order(words, stems, args.top)
    lines += [f"**1. Clitics out of order**: {n_stems} stems, {tokens:,} tokens ({tokens / total:.2%}).", "",
              "| stem | tokens | forms |", "|---|---:|---|"]
    lines += [f"| {s} | {n:,} | {f} |" for s, n, f in rows] + [""]
    rows, tokens = short_stems(words, stems, args.top)
    lines += [f"**2. Stems of one or two letters** (from longer forms): {tokens:,} tokens ({tokens / total:.2%}).", "",
              "| stem | forms | tokens | most frequent forms |", "|---|---:|---:|---|"]
    lines += [f"| {s} | {k} | {n:,} | {f} |" for s, k, n, f in rows] + [""]
    rows, tokens = splits(words, stems, args.top)
    lines += [f"**3. Split from the form without its first letter**: {tokens:,} tokens ({tokens / total:.2%}).", "",
              "| form | tokens | stem | without the clitic | tokens | stem |", "|---|---:|---|---|---:|---|"]
    lines += [f"| {w} | {n:,} | {s} | {b} | {bn:,} | {bs} |" for w, n, s, b, bn, bs in rows] + [""]
    bare = bare_words(surfaces)
    for seat, dropped_to, why in HAMZA_DROPS:
        rows, types, found, tokens = hamza_typists(bare, seat, dropped_to)
        lines += [f"**4{'ab'[HAMZA_DROPS.index((seat, dropped_to, why))]}. Hamza seat dropped by typists, {why}**: "
                  f"{types:,} word types written with {seat}; {found:,} of them also occur written with {dropped_to} "
                  f"({tokens:,} tokens that the fold {seat}->{dropped_to} would let them find).", "",
                  "| with hamza | tokens | hamza dropped | tokens |", "|---|---:|---|---:|"]
        lines += [f"| {w} | {n:,} | {d} | {dn:,} |" for w, n, d, dn in rows[:args.top]] + [""]
        collide = [r for r in rows if r[3] > 3 * r[1]]
        lines += [f"Of these, {len(collide)} dropped spellings are over 3x as frequent as the hamza word "
                  "(candidate collisions with another word; judge by eye):", "",
                  "| with hamza | tokens | hamza dropped | tokens |", "|---|---:|---|---:|"]
        lines += [f"| {w} | {n:,} | {d} | {dn:,} |" for w, n, d, dn in collide[:args.top]] + [""]
    rows, split_tokens, same = hamza_alef_lam(bare, args.top)
    lines += [f"**5. أل/إل/آل with and without the hamza**: {split_tokens:,} tokens (the rarer spelling of each "
              f"pair) get another stem than the other spelling; {same:,} tokens of hamza-initial words stem alike.", "",
              "| written | tokens | stem | typed with bare alef | tokens | stem |", "|---|---:|---|---|---:|---|"]
    lines += [f"| {w} | {n:,} | {a} | {t} | {tn:,} | {b} |" for w, n, a, t, tn, b in rows] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder (default: $BAHTH_DATA)")
    parser.add_argument("--saudi-docs", type=int, default=None, help="only the first N SaudiNewsNet articles")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    print(markdown(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
