"""The real 3-node OpenSearch cluster (opensearch/cluster.py) analyzes Arabic as bahth does.

One cluster for the whole session (the `cluster` fixture of conftest.py), started through the launcher (as `make opensearch` does,
under the name "pytest", with fresh data) and stopped at the end. No mocks: every check goes
through the cluster's REST API. Needs a JDK and Maven (the plugin is built by
`make opensearch-plugin`, which `make test` runs first); skipped with a message without them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bahth.index.analysis import export, tokenize
from bench.opensearch_analysis_parity import OpenSearch, python_positions, python_tokens

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "opensearch" / "cluster.py"
PLUGIN_ZIP = ROOT / "opensearch" / "plugin" / "target" / "bahth-analysis-0.1.0.zip"
SAMPLE = ROOT / "opensearch" / "fixtures" / "sample_ar.txt"
NAME = "pytest"
NODES = 3

pytestmark = pytest.mark.slow


# The `cluster` fixture (one 3-node cluster for the whole session) lives in conftest.py: the
# backend tests (tests/test_os*.py) use the same cluster.


def test_cluster_is_green_with_every_node_and_the_plugin(cluster: OpenSearch) -> None:
    health = cluster.request("GET", "/_cluster/health")
    assert (health["status"], health["number_of_nodes"]) == ("green", NODES)
    plugins = cluster.request("GET", "/_nodes/plugins")["nodes"].values()
    assert all("bahth-analysis" in {p["name"] for p in node["plugins"]} for node in plugins)
    assert all("analysis-common" in {m["name"] for m in node["modules"]} for node in plugins)


@pytest.mark.parametrize("analyzer", [export.ANALYZER, export.SEARCH_ANALYZER, export.VOCALIZED_ANALYZER])
def test_analyze_equals_the_python_chain_on_our_sample(cluster: OpenSearch, analyzer: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    expected = python_tokens(text, analyzer)
    assert len(expected) > 80
    assert cluster.analyze(text, analyzer) == expected


@pytest.mark.parametrize("surface", ["ٱلسَّمَـٰوَٰتِ", "فَيَـٰقَوْمِ", "شَيْـًٔا", "وَٱلْقُرْءَانَ", "دَاوُۥدُ", "ﷺ", "والعربية"])
def test_offsets_point_at_the_original_vocalized_word(cluster: OpenSearch, surface: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    utf16 = text.encode("utf-16-le")
    tokens = cluster.analyze(text)
    start = utf16.index(surface.encode("utf-16-le")) // 2
    at_word = [t for t in tokens if t[1] == start]
    assert at_word, f"no token starts at {surface!r}"
    # The first token of the written word: the whole word, except where Uthmani joins two
    # (فَيَـٰقَوْمِ = فَيَـٰ + قَوْمِ, each with its own offsets).
    first = tokenize(surface)[0].text
    assert {utf16[2 * s:2 * e].decode("utf-16-le") for _, s, e in at_word} == {first}
    assert [t[0] for t in at_word] == [term for term, _, _ in python_tokens(first)]


@pytest.mark.parametrize("text", [
    "يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟",  # the tokenizer splits the joined vocative: two tokens
    "ياأيها الناس اتقوا",  # typed joined: one token, two words, the later words move up
    "قال ﷺ في الحديث",  # a ligature of four words
    "وَيَـٰقَوْمِ لَآ أَسْـَٔلُكُمْ",
    "من هم الذين أليم ألوانه",  # stopwords indexed as marked terms; أل is not the article
])
def test_terms_and_positions_of_the_index_analyzer_are_those_of_the_python_chain(cluster: OpenSearch,
                                                                                  text: str) -> None:
    assert cluster.positions(text) == python_positions(text)


def test_offsets_after_a_character_outside_the_bmp(cluster: OpenSearch) -> None:
    text = "👍 وَٱلْكِتَـٰبِ"
    [(term, start, end)] = cluster.analyze(text)
    assert (start, end) == (3, 3 + len(tokenize(text)[0].text))  # 👍 is two UTF-16 units, then a space


@pytest.mark.parametrize("text", ["a" * 20000, "ب" * 20000, "1." * 5000 + "1", "a\u0301" * 5000])
def test_a_very_long_word_is_one_token_and_every_node_survives(cluster: OpenSearch, text: str) -> None:
    # Regression: the built-in pattern tokenizer (java.util.regex) overflowed the stack on a
    # 5,000-letter word, and a StackOverflowError stops an OpenSearch node.
    for _ in range(NODES):  # the analyze requests go round the nodes holding a copy of the index
        assert cluster.analyze(text) == python_tokens(text)
    health = cluster.request("GET", "/_cluster/health")
    assert (health["status"], health["number_of_nodes"]) == ("green", NODES)


def test_an_index_made_for_other_tables_is_refused(cluster: OpenSearch) -> None:
    settings = export.index_settings()
    settings["index"]["analysis"]["filter"]["bahth_light10"]["tables"] = "0" * 64
    with pytest.raises(RuntimeError, match="rebuild and reinstall the plugin"):
        cluster.request("PUT", "/bahth-stale-tables", {"settings": settings})


def test_a_cluster_that_does_not_turn_green_in_time_is_stopped_with_a_clear_message(cluster: OpenSearch) -> None:
    name = "pytest-timeout"
    result = subprocess.run([sys.executable, str(CLUSTER), "start", "--name", name, "--nodes", "1",
                             "--heap", "256m", "--timeout", "1"], capture_output=True, text=True)
    try:
        assert result.returncode == 1
        assert "did not turn green within 1 s" in result.stderr
        assert result.stdout == ""  # no URL printed
        assert "not running" in subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", name],
                                               capture_output=True, text=True).stderr
    finally:
        subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", name], capture_output=True)
        shutil.rmtree(ROOT / ".opensearch" / "clusters" / name, ignore_errors=True)
