"""index.analysis.roots: one row per rule of the root extractor, plus rows that must not change."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.index.analysis import normalize
from bahth.index.analysis.roots import (NO_ROOT, normalize_for_roots, PATTERNS, WEAK_READINGS, WEAK_TWO_LETTER, normalize_root,
                                        root_dictionary, root_of)


def root(word: str) -> str | None:
    return root_of(normalize_for_roots(word))


@pytest.mark.parametrize("word, expected, rule", [
    # (2) proclitics and suffixes
    ("كتب", "كتب", "a bare root"),
    ("والمكتوبات", "كتب", "و + ال + مفعول + ات"),
    ("بالكتاب", "كتب", "بال + فعال"),
    ("سيكتبونها", "كتب", "future س + present + ون + ها"),
    ("رحمته", "رحم", "teh marbuta shown as ت before a pronoun"),
    ("قتلتموهم", "قتل", "تمو before a pronoun"),
    # (3) patterns
    ("كاتب", "كتب", "فاعل"),
    ("مكتوب", "كتب", "مفعول"),
    ("يكتبون", "كتب", "يفعل + ون"),
    ("مدرسة", "درس", "مفعل + teh marbuta"),
    ("معلمون", "علم", "مفعل + ون"),
    ("استغفار", "غفر", "استفعال"),
    ("استغفر", "غفر", "استفعل"),
    ("اصطبر", "صبر", "افطعل: the ت of form VIII after ص"),
    ("انتخابات", "نخب", "افتعال + ات"),
    ("أرحام", "رحم", "افعال (broken plural), hamza folded"),
    ("الرحمن", "رحم", "فعلان with the article"),
    ("زلزلة", "زلزل", "فعلل: a four-letter root"),
    ("زلزال", "زلزل", "فعلال"),
    # (4) weak letters and hamza
    ("قال", "قول", "a middle alef is a waw"),
    ("يقولون", "قول", "a middle waw kept"),
    ("مقام", "قوم", "مفعل with a middle alef"),
    ("دعا", "دعو", "a final alef is a waw"),
    ("رمى", "رمي", "alef maksura folds to ي"),
    ("آمنوا", "امن", "a first alef is a hamza (written as alef)"),
    ("المؤمنون", "امن", "hamza on waw, مفعل"),
    ("مسؤول", "سال", "a medial hamza (ؤ) in مفعول"),
    ("اختيار", "خير", "افتعال with a middle ي"),
    ("صلاة", "صلو", "a final alef before teh marbuta"),
    ("يأكلون", "اكل", "hamza after the present prefix"),
    # (4) two letters left
    ("يعد", "وعد", "assimilated: the first waw dropped"),
    ("ظن", "ظنن", "doubled"),
    ("يظنون", "ظنن", "doubled, with present prefix and suffix"),
    ("مد", "مدد", "doubled"),
    # (1) no root
    ("من", None, "a particle"),
    ("في", None, "a preposition"),
    ("ولا", None, "a particle after و"),
    ("لهم", None, "ل + pronoun"),
    ("عليه", None, "a preposition + pronoun"),
    ("بما", None, "ب + ما"),
    ("كذلك", None, "ك + demonstrative"),
    ("الذين", None, "a relative pronoun"),
    ("واشنطن", None, "a foreign name no pattern explains"),
    ("2020", None, "digits"),
    ("abc", None, "Latin"),
    ("ب", None, "one letter"),
    # whole words (1c)
    ("الله", "اله", "the name of God"),
    ("بالله", "اله", "the name of God with a clitic"),
])
def test_root_rule(word: str, expected: str | None, rule: str) -> None:
    assert root(word) == expected, rule


@pytest.mark.parametrize("word, expected, why", [
    ("كان", "كون", "a verb, not ك + ان"),
    ("بني", "بني", "a noun, not ب + ني"),
    ("ولي", "ولي", "a noun, not و + ل + ي"),
    ("كتاب", "كتب", "a noun starting like the preposition ك"),
    ("بيت", "بيت", "a noun starting like the preposition ب"),
    ("وعد", "وعد", "a root starting like the conjunction و"),
])
def test_root_must_not_change(word: str, expected: str, why: str) -> None:
    assert root(word) == expected, why


@pytest.mark.parametrize("typed, spelled", [
    ("كتب", "كتب"), ("ك ت ب", "كتب"), ("ك-ت-ب", "كتب"), ("كَتَبَ", "كتب"), ("سأل", "سال"),
    ("ق و ل", "قول"), ("ز ل ز ل", "زلزل"),
])
def test_a_root_typed_any_way_is_spelled_as_the_index_spells_it(typed: str, spelled: str) -> None:
    assert normalize_root(typed) == spelled


def test_every_root_found_is_in_the_dictionary_or_a_bare_stem() -> None:
    roots = root_dictionary()
    for word in ("والمكتوبات", "يقولون", "استغفار", "مدرسة", "زلزلة"):
        found = root(word)
        assert found.replace("ا", "ء") in roots or found in roots


def test_tables_are_well_formed() -> None:
    assert all(len(p.implied) + sum(ch in "فعل" for ch in p.form) in (3, 4) for p in PATTERNS)
    assert len({p.form for p in PATTERNS}) == len(PATTERNS) - 1  # تفاعل is listed as noun and present
    assert all(len(readings) >= 1 for _letter, _at, readings, _why in WEAK_READINGS)
    assert all(set(t) <= set("XYوي") | {"ء"} for t, _why in WEAK_TWO_LETTER)
    assert all(w == normalize(w) for w in NO_ROOT)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويءة", min_size=0, max_size=9))
def test_root_is_none_or_three_or_four_letters(word: str) -> None:
    found = root_of(normalize(word))
    assert found is None or (len(found) in (3, 4) and "ء" not in found)


def test_roots_are_the_same_in_every_process() -> None:
    """tashaphyne's get_root changes with the hash seed; ours must not."""
    words = "والمكتوبات يقولون استغفار المؤمنون يعد ظن قال دعا مقام انتخابات زلزلة رحمته بالكتاب"
    code = ("import sys; from bahth.index.analysis import normalize; from bahth.index.analysis.roots import normalize_for_roots, root_of; "
            "print(' '.join(str(root_of(normalize_for_roots(w))) for w in sys.argv[1].split()))")
    outputs = {
        subprocess.run([sys.executable, "-c", code, words], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1
    assert outputs.pop().split() == [str(root(w)) for w in words.split()]
