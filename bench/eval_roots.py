"""How often is the extracted root right? bahth's ``root_of`` beside NLTK's ISRI and tashaphyne.

Run from the project root (ISRI and tashaphyne are measured only when installed:
``.venv/bin/pip install nltk tashaphyne``):

    .venv/bin/python bench/eval_roots.py                  # markdown on stdout
    .venv/bin/python bench/eval_roots.py --errors 30      # also 30 sample errors per class

Data: ``../shared/data/quran-morphology/qac-words-dev.tsv`` (Quranic Arabic Corpus, suras
1-9). Score: the share of DISTINCT words (as written, vocalized) that have a gold root whose
extracted root equals the gold one, hamza written as alef on both sides. Every system gets
the word as ``normalize()`` gives it (diacritics off, Uthmani spelling read as imla'i).

Against overfitting, the distinct words are split in two halves by a hash of the word
(``split_of``): the rules were adjusted looking only at errors of half ``A``; ``B`` is held
out. Both halves and the whole are reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py must not shadow the standard library

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime as dt  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402

from bahth.index.analysis import normalize  # noqa: E402
from bahth.index.analysis.roots import COSTS, Costs, normalize_for_roots, root_of, root_with  # noqa: E402

DATA = _ROOT.parent / "shared" / "data" / "quran-morphology" / "qac-words-dev.tsv"
if not DATA.exists():
    DATA = Path("/work/shared/data/quran-morphology/qac-words-dev.tsv")
HAMZAS = str.maketrans({"ء": "ا", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "ا", "ئ": "ا"})
WEAK = set("اوي")


def split_of(word: str) -> str:
    """'A' (rules adjusted on it) or 'B' (held out), by a stable hash of the word."""
    return "A" if hashlib.sha1(word.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def gold_words(path: Path = DATA) -> list[tuple[str, str]]:
    """(word as written, gold root) for each distinct written word that has a root."""
    seen: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["root"] and row["word"] not in seen:
                seen[row["word"]] = row["root"].translate(HAMZAS)
    return sorted(seen.items())


def ours(word: str) -> str | None:
    return root_of(normalize_for_roots(word))


def isri() -> Callable[[str], str | None] | None:
    try:
        from nltk.stem.isri import ISRIStemmer
    except ImportError:
        return None
    stemmer = ISRIStemmer()
    return lambda word: stemmer.stem(normalize(word))


def tashaphyne() -> Callable[[str], str | None] | None:
    try:
        from tashaphyne.stemming import ArabicLightStemmer
    except ImportError:
        return None
    stemmer = ArabicLightStemmer()

    def root(word: str) -> str | None:
        stemmer.light_stem(normalize(word))
        return stemmer.get_root()

    return root


def error_class(word: str, got: str | None, gold: str) -> str:
    if not got:
        return "no root"
    if len(got) != len(gold):
        return "wrong length (3 vs 4 letters, or a letter left/lost)"
    differ = [i for i in range(len(gold)) if got[i] != gold[i]]
    if all(gold[i] in WEAK | {"ا"} or got[i] in WEAK | {"ا"} for i in differ):
        return "weak letter or hamza"
    if set(got) & set(gold) and len(set(got) & set(gold)) >= len(gold) - 1:
        return "one letter wrong (affix or pattern letter taken as root)"
    return "other"


def score(system: Callable[[str], str | None], words: list[tuple[str, str]]) -> tuple[dict[str, float], list]:
    errors = []
    right = Counter()
    total = Counter()
    for word, gold in words:
        got = system(word)
        got = got.translate(HAMZAS) if got else got
        part = split_of(word)
        total[part] += 1
        if got == gold:
            right[part] += 1
        else:
            errors.append((word, got, gold, part))
    shares = {part: right[part] / total[part] for part in ("A", "B")}
    shares["all"] = (right["A"] + right["B"]) / (total["A"] + total["B"])
    return shares, errors


def tune(words: list[tuple[str, str]], rounds: int = 2) -> Costs:
    """Coordinate descent over the fields of ``Costs`` (half A only), printing each step."""
    normalized = [(normalize(w), g) for w, g in words]

    def accuracy(costs: Costs) -> float:
        return sum((root_with(w, costs) or "") == g for w, g in normalized) / len(normalized)

    best = COSTS
    best_score = accuracy(best)
    print(f"start {best_score:.4f} {best}")
    for _ in range(rounds):
        for name in Costs._fields:
            value = getattr(best, name)
            for factor in (0.0, 0.5, 0.75, 1.25, 1.5, 2.0):
                trial = best._replace(**{name: round(value * factor, 3) if value else factor})
                trial_score = accuracy(trial)
                if trial_score > best_score + 1e-9:
                    best, best_score = trial, trial_score
                    print(f"{name}={getattr(best, name)} -> {best_score:.4f}")
    print(f"best on A {best_score:.4f}: {best}")
    return best


def system_of(name: str) -> Callable[[str], str | None]:
    system = {"bahth root_of": lambda: ours, "NLTK ISRI": isri, "tashaphyne get_root": tashaphyne}[name]()
    if system is None:
        raise SystemExit(f"{name} is not installed")
    return system


def in_process(name: str, seed: int) -> float:
    """The score of one system on all words, computed in a fresh process with this hash seed."""
    done = subprocess.run([sys.executable, __file__, "--only", name], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": str(seed)})
    return json.loads(done.stdout)["all"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", type=int, default=0, help="sample errors per class to print (half A only)")
    parser.add_argument("--tune", action="store_true", help="search the COSTS on half A only and print the best")
    parser.add_argument("--seeds", type=int, default=3,
                        help="also score each system in this many processes with other hash seeds (0: skip)")
    parser.add_argument("--only", default=None, help=argparse.SUPPRESS)  # child mode: one system, JSON out
    args = parser.parse_args()
    words = gold_words()
    if args.only:
        print(json.dumps(score(system_of(args.only), words)[0]))
        return
    if args.tune:
        tune([(w, g) for w, g in words if split_of(w) == "A"])
        return
    systems: dict[str, Callable[[str], str | None] | None] = {
        "bahth root_of": ours, "NLTK ISRI": isri(), "tashaphyne get_root": tashaphyne()}
    print(f"Root extraction, {DATA.name}: {len(words)} distinct words with a gold root "
          f"({sum(split_of(w) == 'A' for w, _ in words)} in A, {sum(split_of(w) == 'B' for w, _ in words)} in B); "
          f"{dt.date.today().isoformat()}\n")
    print("| system | all | A (rules adjusted on it) | B (held out) | seconds |")
    print("|---|---:|---:|---:|---:|")
    our_errors: list = []
    for name, system in systems.items():
        if system is None:
            print(f"| {name} | not installed | | | |")
            continue
        started = time.perf_counter()
        shares, errors = score(system, words)
        seconds = time.perf_counter() - started
        print(f"| {name} | {shares['all']:.3f} | {shares['A']:.3f} | {shares['B']:.3f} | {seconds:.1f} |")
        if name == "bahth root_of":
            our_errors = errors
    if args.seeds:
        print(f"\nThe same, each in {args.seeds} fresh processes with PYTHONHASHSEED=0..{args.seeds - 1} "
              "(score on all words; a deterministic system gives one value):\n")
        print("| system | scores | min | max |")
        print("|---|---|---:|---:|")
        for name, system in systems.items():
            if system is None:
                continue
            scores = [in_process(name, seed) for seed in range(args.seeds)]
            print(f"| {name} | {' '.join(f'{x:.4f}' for x in scores)} | {min(scores):.4f} | {max(scores):.4f} |")
    classes = Counter(error_class(w, got, gold) for w, got, gold, _ in our_errors)
    print(f"\nbahth root_of errors by class ({len(our_errors)} words):\n")
    print("| class | words | share of errors |")
    print("|---|---:|---:|")
    for name, count in classes.most_common():
        print(f"| {name} | {count} | {count / len(our_errors):.0%} |")
    if args.errors:
        for cls in classes:
            sample = [e for e in our_errors if e[3] == "A" and error_class(e[0], e[1], e[2]) == cls][: args.errors]
            print(f"\n{cls}:")
            for word, got, gold, _ in sample:
                print(f"  {normalize(word)}\tgot {got}\tgold {gold}")


if __name__ == "__main__":
    main()
