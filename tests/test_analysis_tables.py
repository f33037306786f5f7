"""Each shared character table (digits, tatweel, invisible characters, clitics) is written out
exactly once, in index/analysis/tables.py; every other module imports it (issue 8, item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bahth.index.analysis import tables
from bahth.index.analysis.diacritics import CLITICS
from bahth.index.analysis.normalize import normalize
from bahth.index.analysis.stemmers import PREFIXES
from bahth.search.query.lexer import clean

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for layer in ("index", "search", "cli") for p in (ROOT / layer).rglob("*.py")]
HOME = ROOT / "index" / "analysis" / "tables.py"

# How each table is recognisable when someone writes it out again (in the source text).
SIGNATURES = {
    "Arabic-Indic digits": re.compile(r"٠١٢|\\u0660\\u0661|\\u0660-"),
    "extended digits": re.compile(r"۰۱۲|\\u06f0\\u06f1"),
    "tatweel": re.compile(r"\\u0640|[\"']ـ[\"']"),
    "invisible characters": re.compile(r"\\u200b\\u200c|\\u200e\\u200f|\\u2066"),
    "clitic list": re.compile(r"[\"']وال[\"'],\s*[\"']فال[\"']|[\"']وب[\"'],\s*[\"']ول[\"']"),
}


@pytest.mark.parametrize("table", sorted(SIGNATURES))
def test_table_written_out_only_in_tables_module(table: str) -> None:
    found = [str(p.relative_to(ROOT)) for p in SOURCES if p != HOME and SIGNATURES[table].search(p.read_text("utf-8"))]
    assert not found, f"{table} written out again in {found}; import it from index/analysis/tables.py"


@pytest.mark.parametrize("table", sorted(SIGNATURES))
def test_signature_recognises_the_table_itself(table: str) -> None:
    assert SIGNATURES[table].search(HOME.read_text("utf-8")) or table == "clitic list"


def test_stemmer_prefixes_are_clitic_chains() -> None:
    assert {p.text for p in PREFIXES} <= tables.CLITIC_CHAINS


def test_diacritic_matching_uses_the_clitic_chains() -> None:
    assert CLITICS is tables.CLITIC_CHAINS
    assert {"وبال", "لل", "ولل", "فب"} <= CLITICS


@pytest.mark.parametrize("digits", [tables.ARABIC_INDIC_DIGITS, tables.EXTENDED_DIGITS])
def test_digits_fold_everywhere_the_same(digits: str) -> None:
    assert normalize(digits) == "0123456789" == digits.translate(tables.DIGIT_FOLDS)


def test_query_lexer_and_normalize_drop_the_same_invisible_characters() -> None:
    text = "ا" + tables.BIDI_AND_ZERO_WIDTH + "ب"
    assert clean(text) == "اب" == normalize(text)
