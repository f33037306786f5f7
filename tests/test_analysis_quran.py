"""The analysis on the real Tanzil Qur'an text (skipped when ../shared/data is absent)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bahth.index.analysis import analyze

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from quran_agreement import measure, read_tanzil  # noqa: E402

pytestmark = pytest.mark.data


def test_uthmani_and_simple_scripts_agree_verse_by_verse(data_dir: Path) -> None:
    mean, identical, _ = measure(data_dir, "light10")
    assert mean >= 0.99, mean
    assert identical >= 0.9, identical


@pytest.mark.parametrize("verse,word,plain", [
    ((1, 3), 0, "الرحمن"),
    ((1, 2), 3, "العالمين"),
    ((1, 6), 1, "الصراط"),
])
def test_words_copied_from_the_uthmani_file_analyze_like_their_plain_spelling(
        data_dir: Path, verse: tuple[int, int], word: int, plain: str) -> None:
    uthmani = read_tanzil(data_dir / "quran" / "quran-uthmani.txt")[verse].split()[word]
    assert analyze(uthmani) == analyze(plain)
