"""Agreement of the analysis on the two Tanzil scripts of the Qur'an, verse by verse.

For each verse, the index terms of ``quran-uthmani.txt`` (Uthmani script: alef wasla, dagger
alef, small marks, tatweel) are compared with those of ``quran-simple.txt`` (imla'i spelling):
agreement = shared terms (multiset) / terms of the longer side. Prints the mean agreement, the
share of verses whose terms are identical, and the most frequent mismatching word pairs.

    .venv/bin/python bench/quran_agreement.py [--data ../shared/data] [--stemmer none|light10]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bahth.index.analysis import analyze  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def read_tanzil(path: Path) -> dict[tuple[int, int], str]:
    verses = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("|", 2)
        if len(parts) == 3 and parts[0].isdigit():
            verses[(int(parts[0]), int(parts[1]))] = parts[2]
    return verses


def agreement(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    shared = sum((Counter(a) & Counter(b)).values())
    return shared / max(len(a), len(b))


def measure(data: Path, stemmer: str) -> tuple[float, float, Counter]:
    uthmani = read_tanzil(data / "quran" / "quran-uthmani.txt")
    simple = read_tanzil(data / "quran" / "quran-simple.txt")
    scores, identical, mismatches = [], 0, Counter()
    for key, text in uthmani.items():
        a, b = analyze(text, stemmer=stemmer), analyze(simple[key], stemmer=stemmer)
        scores.append(agreement(a, b))
        identical += a == b
        only_a, only_b = Counter(a) - Counter(b), Counter(b) - Counter(a)
        for x, y in zip(sorted(only_a.elements()), sorted(only_b.elements())):
            mismatches[(x, y)] += 1
    return sum(scores) / len(scores), identical / len(scores), mismatches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--stemmer", default="none")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    mean, identical, mismatches = measure(args.data, args.stemmer)
    print(f"stemmer={args.stemmer} verses agreement mean={mean:.4f} identical verses={identical:.4f}")
    for (a, b), n in mismatches.most_common(args.top):
        print(f"{n:5d}  uthmani {a}  simple {b}")


if __name__ == "__main__":
    main()
