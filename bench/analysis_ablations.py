"""Ablations of single analysis rules: each row switches one rule off (or changes it) and
scores the default chain with bench/eval_analysis.py's BM25 harness.

    .venv/bin/python bench/analysis_ablations.py

Prints MAP@10 on Qur'an QA dev/train and MRR@10 on ARCD train per row; the results are
recorded in docs/EVALUATION.md ("Analysis decisions").
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import eval_analysis  # noqa: E402

from bahth.index.analysis import ArabicAnalyzer, stemmers  # noqa: E402
from bahth.index.analysis.terms import term_maker  # noqa: E402

normalize_module = sys.modules["bahth.index.analysis.normalize"]


@contextmanager
def patched(obj: object, name: str, value: object) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    stemmers.regroup()
    try:
        yield
    finally:
        setattr(obj, name, old)
        stemmers.regroup()


def _without_suffix(text: str) -> tuple:
    return tuple(a for a in stemmers.SUFFIXES if a.text != text)


def _suffix_min(text: str, min_rest: int) -> tuple:
    return tuple(a._replace(min_rest=min_rest) if a.text == text else a for a in stemmers.SUFFIXES)


ABLATIONS: list[tuple[str, Callable[[], object]]] = [
    ("default chain", lambda: patched(stemmers, "MAX_PREFIXES", stemmers.MAX_PREFIXES)),
    ("no final-alef suffix (ا)", lambda: patched(stemmers, "SUFFIXES", _without_suffix("ا"))),
    ("final-alef suffix needs 4 letters left", lambda: patched(stemmers, "SUFFIXES", _suffix_min("ا", 4))),
    ("no يا / وا suffixes", lambda: patched(stemmers, "SUFFIXES", tuple(
        a for a in stemmers.SUFFIXES if a.text not in ("يا", "وا")))),
    ("no ب ل ك before long words", lambda: patched(stemmers, "PREFIXES", tuple(
        p for p in stemmers.PREFIXES if p.text not in ("ب", "ل", "ك")))),
    ("one prefix only (light10's rule)", lambda: patched(stemmers, "MAX_PREFIXES", 1)),
    ("no protected words", lambda: patched(stemmers, "PROTECTED", ())),
    ("hamza carriers folded (ؤ -> و, ئ -> ي)", lambda: patched(
        normalize_module, "TRANSLATION", {**normalize_module.TRANSLATION, ord("ؤ"): "و", ord("ئ"): "ي"})),
]


def main() -> None:
    print("| rule change | QQA dev MAP@10 | QQA train MAP@10 | ARCD MRR@10 |")
    print("|---|---:|---:|---:|")
    for label, make_patch in ABLATIONS:
        with make_patch():
            term_maker.cache_clear()
            scores = eval_analysis.evaluate_variant(ArabicAnalyzer())
        term_maker.cache_clear()
        row = [scores["quranqa-dev"]["MAP@10"], scores["quranqa-train"]["MAP@10"],
               scores["arcd-train"]["MRR@10"]]
        print(f"| {label} | " + " | ".join(f"{v:.4f}" for v in row) + " |", flush=True)


if __name__ == "__main__":
    main()
