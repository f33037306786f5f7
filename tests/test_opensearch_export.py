"""The exporter: Python regexes and templates as Java ones, the chain's settings from the tables."""

from __future__ import annotations

import importlib
import re

import pytest

from bahth.index.analysis import export
from bahth.index.analysis.export import ExportError, java_class, java_regex, java_replacement

nz = importlib.import_module("bahth.index.analysis.normalize")


@pytest.mark.parametrize(("python", "java"), [
    ("[a-c]", "[\\x{61}-\\x{63}]"),
    ("\u0647", "\\x{647}"),
    ("\\u0647", "\\x{647}"),
    ("(?P<prev>a)", "(?<prev>a)"),
    ("(?<=a)b", "(?<=a)b"),
    ("a\\.b", "a\\.b"),
    ("\\1", "\\1"),
    ("x?", "x?"),
])
def test_java_regex_rows(python: str, java: str) -> None:
    assert java_regex(python) == java


@pytest.mark.parametrize("atom", ["\\w", "\\W", "\\d", "\\s", "\\S", ".", "[^\\W\\d_\u0600-\u06ff]", "[\\w\u064b]"])
def test_a_class_is_the_ranges_of_code_points_python_matches(atom: str) -> None:
    # Java's reading of the written class is checked for every code point by the plugin's JUnit
    # test (ParityCasesTest.javaClassesMatchExactlyTheCodePointsPythonMatches).
    ranges = export.python_class_ranges(atom)
    members = {cp for a, b in ranges for cp in range(a, b + 1)}
    sample = [0x30, 0x5F, 0x41, 0x20, 0x0A, 0x0627, 0x064B, 0x0660, 0x00B2, 0x2003, 0x1D400, 0x4E00, 0x0301]
    for cp in sample:
        assert (cp in members) == bool(re.fullmatch(atom, chr(cp))), f"U+{cp:04X} in {atom!r}"


def test_a_large_class_is_a_tree_of_bounded_halves() -> None:
    small, large = java_class("[a-c]"), java_class("\\w")
    assert small == "[\\x{61}-\\x{63}]"
    assert large.startswith("[[\\x{30}-") and "&&" in large
    assert large.count("&&") < len(export.python_class_ranges("\\w")) / 2  # about 2 guards per leaf of 4-8 ranges


@pytest.mark.parametrize("pattern", ["\\bword", "(?i)a", "a\\Z", "[a[b]]"])
def test_constructs_java_reads_otherwise_are_refused(pattern: str) -> None:
    with pytest.raises(ExportError):
        java_regex(pattern)


@pytest.mark.parametrize(("python", "java"), [
    ("\\1ا", "$1ا"), ("\\g<1>x", "$1x"), ("\\g<name>", "${name}"), ("a$b", "a\\$b"), ("\\\\", "\\\\"), ("", ""),
])
def test_java_replacement_rows(python: str, java: str) -> None:
    assert java_replacement(python) == java


def test_a_context_rule_that_replaces_by_code_is_refused(monkeypatch) -> None:
    rules = (*nz.CONTEXT_RULES, (re.compile("x"), lambda m: "y", "a rule written as a function"))
    monkeypatch.setattr(nz, "CONTEXT_RULES", rules)
    with pytest.raises(ExportError, match="a rule written as a function"):
        export.analysis_settings()


@pytest.mark.parametrize(("folds", "deleted"), [({"a": "b", "b": "c"}, ""), ({"a": "b"}, "b"), ({"a": "b"}, "a")])
def test_folds_that_one_filter_after_another_would_change_are_refused(folds, deleted) -> None:
    with pytest.raises(ExportError):
        export._folds(folds, deleted)


def test_every_table_row_reaches_the_settings() -> None:
    analysis = export.analysis_settings()
    chain = analysis["analyzer"][export.ANALYZER]["filter"]
    filters = analysis["filter"]
    assert sum(name.startswith("bahth_context_") for name in chain) == len(nz.CONTEXT_RULES)
    assert sum(name.startswith("bahth_word_") for name in chain) == len(nz._QURANIC_WORDS) + len(nz._JOINED_WORDS)
    assert sum(name.startswith("bahth_seat_") for name in chain) == len(nz.SEAT_SEQUENCES)
    assert "bahth_common" in chain and "bahth_stop" not in chain
    assert "bahth_stop" in analysis["analyzer"][export.SEARCH_ANALYZER]["filter"]
    assert len(filters["bahth_stop"]["stopwords"]) == len(export.stopwords())
    assert len(filters["bahth_irregular"]["rules"]) == len(export.stemmers.IRREGULAR)
    assert {f["tables"] for f in filters.values() if f["type"].startswith("bahth_")} == {export.tables_sha()}
    tables = export.plugin_tables()
    assert [p[0] for p in tables["light10"]["prefixes"]] == [p.text for p in export.stemmers.PREFIXES]
    assert tables["light10"]["protected"] == list(export.stemmers.PROTECTED)
    assert tables["light10"]["words_after_preposition"] == sorted(export.stemmers.WORDS_AFTER_PREPOSITION)
    assert tables["terms"]["common_words"] == sorted(export.stopwords())


def test_a_tokenizer_pattern_of_another_shape_is_refused(monkeypatch) -> None:
    tokenize = importlib.import_module("bahth.index.analysis.tokenize")
    monkeypatch.setattr(tokenize, "TOKEN_PATTERN", re.compile(r"\w+|\d+"))
    with pytest.raises(ExportError, match="changed its structure"):
        export.tokenizer_tables()


def test_the_tokenizer_classes_are_those_of_the_python_pattern() -> None:
    tables = export.tokenizer_tables()
    def members(name: str) -> set[int]:
        return {cp for a, b in tables[name] for cp in range(a, b + 1)}
    assert 0x0628 in members("arabic_letter") and 0x064E in members("inside_word")
    assert 0x0661 in members("digit") and ord("٫") in members("number_separator")
    assert ord("a") in members("other_letter") and 0x0628 not in members("other_letter")
    assert members("other_mark") == set(range(0x0300, 0x0370))


def test_the_joined_word_alternative_of_the_tokenizer_reaches_the_plugin() -> None:
    tables = export.tokenizer_tables()
    assert tables["joined_first_word"] == java_regex(export._joined_alternative())
    assert export.tokenize.TOKEN_PATTERN.pattern.startswith(export._joined_alternative() + "|")


def test_a_tokenizer_without_the_joined_word_alternative_is_refused(monkeypatch) -> None:
    tokenize = importlib.import_module("bahth.index.analysis.tokenize")
    rest = tokenize.TOKEN_PATTERN.pattern[len(export._joined_alternative()) + 1:]
    monkeypatch.setattr(tokenize, "TOKEN_PATTERN", re.compile(rest))
    with pytest.raises(ExportError, match="joined-word"):
        export.tokenizer_tables()
