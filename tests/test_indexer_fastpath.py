"""index.fastpath must produce exactly what Whoosh's own field.index produces."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.index.backend.whoosh import fastpath
from bahth.index.analysis import ArabicAnalyzer
from bahth.index.schema import build_schema

# Arabic letters, harakat, tatweel, ligatures (ﷺ ﷲ), Latin, digits, punctuation, spaces.
ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي") + list("ءآأؤإئىةٱ") + ["\u064e", "\u0651", "\u0652", "\u0670", "\u0640"]
    + ["ﷺ", "ﷲ", "a", "Z", "9", "٣", "-", ".", "،", " ", " ", "\n"]
)

SCHEMAS = [build_schema(), build_schema(ArabicAnalyzer(stemmer="none", stopwords=False)), build_schema(ArabicAnalyzer(vocalized=True))]


@pytest.mark.parametrize("schema", SCHEMAS, ids=["light10", "none-nostop", "vocalized"])
@pytest.mark.parametrize("name", ["title", "body"])
@settings(max_examples=60, deadline=None)
@given(text=st.text(ALPHABET, max_size=80) | st.sampled_from(["في من على واشنطن", "ٱلرَّحْمَٰنِ ٱلرَّحِيمِ", "صلى ﷺ الله", ""]))
def test_fast_index_equals_whoosh(schema, name: str, text: str) -> None:
    field = schema[name]
    assert fastpath.supports(field)
    assert list(fastpath.fast_index(field)(text)) == list(field.index(text))


def test_recorded_surfaces_are_first_occurrences() -> None:
    pairs: list[tuple[str, str]] = []
    list(fastpath.fast_index(build_schema()["body"], pairs)("بواشنطن واشنطن في الكاظميّ"))
    assert [surface for _, surface in pairs] == ["بواشنطن", "الكاظميّ"]


@pytest.mark.parametrize("field_name", ["id", "source", "date"])
def test_other_fields_keep_whoosh_path(field_name: str) -> None:
    assert not fastpath.supports(build_schema()[field_name])
