"""index.surfaces: the completion table (term -> most common surface form)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bahth.index.surfaces import display_form, format_surfaces, merge_top_forms, read_surfaces, top_forms


@pytest.mark.parametrize(
    "surface, shown",
    [
        ("الكاظميّ", "الكاظمي"),
        ("ٱلرَّحْمَٰنِ", "الرحمن"),  # alef wasla, dagger alef, harakat
        ("مـــحمد", "محمد"),  # tatweel
        ("Washington", "Washington"),
        ("\u064e", "\u064e"),  # nothing left: keep the original rather than an empty string
    ],
)
def test_display_form(surface: str, shown: str) -> None:
    assert display_form(surface) == shown


def test_top_forms_groups_display_forms_and_counts_the_term() -> None:
    counts = Counter({("كاظم", "الكاظمي"): 3, ("كاظم", "الكاظميّ"): 2, ("كاظم", "كاظم"): 4, ("نفط", "النفط"): 1})
    assert top_forms(counts) == {"كاظم": ("الكاظمي", 9), "نفط": ("النفط", 1)}


def test_merge_keeps_the_more_frequent_form() -> None:
    table = {"a": ("A1", 5), "b": ("B1", 1)}
    merge_top_forms(table, {"a": ("A1", 2), "b": ("B2", 3), "c": ("C", 1)})
    assert table == {"a": ("A1", 7), "b": ("B2", 4), "c": ("C", 1)}


def test_file_round_trip_skips_unwritable_entries(tmp_path: Path) -> None:
    table = {"كاظم": ("الكاظمي", 9), "bad": ("tab\there", 1)}
    path = tmp_path / "surfaces.tsv"
    path.write_text(format_surfaces(table), encoding="utf-8")
    assert read_surfaces(path) == {"كاظم": ("الكاظمي", 9)}
    assert read_surfaces(tmp_path / "missing.tsv") == {}
