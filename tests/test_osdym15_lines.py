"""Did-you-mean on OpenSearch looks up one term's line in a stored text instead of parsing the
whole text: the surfaces table (reader._surface_line, store.py's "term<TAB>surface<TAB>count"
lines) and a chunk of written forms (vocab.forms_of, "term<TAB>form<TAB>n..." lines). Each
lookup must answer what parsing the whole text answers. No cluster needed."""

from __future__ import annotations

from collections import Counter

import pytest

from bahth.index.analysis import normalize
from bahth.index.backend.opensearch import vocab
from bahth.index.backend.opensearch.reader import _surface_line

SURFACES = "ab\tAB\t2\nabc\tABC\t5\nb\tB\tx\nحكوم\tالحكومة\t9\nكتب\tالكتب\t3"


def parsed(text: str) -> dict[str, str]:
    """store.read_surfaces_document's parse of the table (term -> surface)."""
    table = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].isdigit():
            table[parts[0]] = parts[1]
    return table


@pytest.mark.parametrize("term, expected", [
    ("ab", "AB"),            # the first line
    ("abc", "ABC"),          # a term whose prefix is another term
    ("حكوم", "الحكومة"),     # a middle line
    ("كتب", "الكتب"),        # the last line, no newline after it
    ("a", None),             # a prefix of terms, not a term
    ("bc", None),            # the end of another term
    ("b", None),             # a line without a count is no entry
    ("", None),              # never a line
])
def test_a_surface_line_is_found_as_the_parsed_table_has_it(term: str, expected: str | None) -> None:
    assert _surface_line(SURFACES, term) == expected
    assert parsed(SURFACES).get(term) == expected


def test_every_term_of_a_table_is_found_in_its_text() -> None:
    counter = vocab.FormCounter()
    counter.add("قال الحكومة والحكومة للحكومةِ في الكتاب وكتب الكتب ثم كتبت الحكومات")
    table = {term: 1 for term in counter.forms}
    text = vocab.encode_forms(sorted(table), counter.forms)
    decoded = vocab.decode_forms(text)
    assert decoded == {term: dict(forms) for term, forms in counter.forms.items()}
    for term in table:
        assert vocab.forms_of(text, term) == decoded[term]
    assert vocab.forms_of(text, "غيرموجود") == {}
    assert vocab.forms_of(text, "حك") == {}  # a prefix of a term


def test_forms_counted_then_uncounted_leave_nothing_to_store() -> None:
    counter = vocab.FormCounter()
    text = "الحكومة والحكومة تقول"
    counter.add(text)
    government = vocab.text_terms("الحكومة").pop()
    assert counter.forms[government] == Counter({normalize("الحكومة"): 1, normalize("والحكومة"): 1})
    counter.add(text, -1)
    assert vocab.applied_forms(counter.forms, {term: 1 for term in counter.forms}) == {}
