"""Issue 14, a `bahth search` process: what it imports and what it reads of bahth.json.

A process pays for every module it imports and for every byte of bahth.json it parses (a
500k-article index has a 5 MB manifest). These tests fail when `bahth search` starts importing
what a search does not need again, or reads the manifest to search.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bahth.index import store
from bahth.index.errors import CorruptIndexError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
MARK = "--modules--"

# What `bahth search` runs, in a fresh interpreter, then the modules it holds (on stderr).
PROBE = f"""
import json, sys
from bahth.cli.main import main
code = main(sys.argv[1:])
sys.stderr.write({MARK!r} + json.dumps(sorted(sys.modules)))
sys.exit(code)
"""

# Never needed by `bahth search` on a pipe; (module, why it is left out).
NOT_FOR_SEARCH = [
    ("prompt_toolkit", "the REPL's terminal library"),
    ("bahth.cli.repl", "the REPL"),
    ("opensearchpy", "the OpenSearch client"),
    ("bahth.index.backend.opensearch", "the OpenSearch adapter"),
    ("bahth.index.indexer", "indexing"),
    ("bahth.index.backend.whoosh.writer", "indexing"),
    ("bahth.search.evaluate", "bahth eval"),
    ("importlib.metadata", "only --version needs the installed version"),
    ("tomllib", "the config file: --index names the folder"),
    ("bidi.algorithm", "python-bidi: a pipe gets logical order"),
    ("arabic_reshaper", "--shape only"),
    ("importlib.resources", "data files are read beside their modules"),
    ("tempfile", "searching writes no file"),
    ("secrets", "searching makes no secret"),
]
NOT_FOR_WHOOSH = [("tantivy", "the tantivy engine"), ("bahth.index.backend.tantivy", "the tantivy adapter")]


def modules_of_search(index: Path, *words: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "BAHTH_DEBUG"}
    done = subprocess.run([sys.executable, "-c", PROBE, "search", "--index", str(index), *words],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the search printed no hits"
    return set(json.loads(done.stderr.split(MARK, 1)[1]))


@pytest.fixture(scope="module")
def whoosh_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bahth.index import Indexer

    directory = tmp_path_factory.mktemp("startup") / "ix"
    with Indexer(directory, jobs=1) as indexer:
        indexer.add_paths([SEEDS])
    return directory


@pytest.fixture(scope="module")
def whoosh_search_modules(whoosh_index: Path) -> set[str]:
    return modules_of_search(whoosh_index, "واشنطن")


@pytest.mark.parametrize("module, why", NOT_FOR_SEARCH + NOT_FOR_WHOOSH)
def test_bahth_search_on_a_whoosh_index_does_not_import(module: str, why: str,
                                                        whoosh_search_modules: set[str]) -> None:
    loaded = {name for name in whoosh_search_modules if name == module or name.startswith(module + ".")}
    assert not loaded, f"`bahth search` imported {sorted(loaded)} ({why})"


def test_the_probe_sees_what_a_search_does_import(whoosh_search_modules: set[str]) -> None:
    # The "must not" rows above mean something only if the probe ran a real search.
    assert {"whoosh", "bahth.search.engine", "bahth.index.backend.whoosh.reader"} <= whoosh_search_modules


def test_bahth_search_on_a_tantivy_index_does_not_import_the_rest(tmp_path: Path) -> None:
    pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")
    from bahth.index import Indexer

    with Indexer(tmp_path / "ix", jobs=1, backend="tantivy") as indexer:
        indexer.add_paths([SEEDS])
    modules = modules_of_search(tmp_path / "ix", "واشنطن")
    assert "tantivy" in modules
    loaded = sorted(name for name in modules for module, _ in NOT_FOR_SEARCH
                    if name == module or name.startswith(module + "."))
    assert not loaded


def test_version_still_names_the_installed_version() -> None:
    done = subprocess.run([sys.executable, "-m", "bahth.cli.main", "--version"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0
    from importlib.metadata import version

    assert done.stdout.strip() == f"bahth {version('bahth')}"


# ---------------------------------------------------------------- bahth.json without its manifest

SETTINGS = {"format": "bahth-index", "backend": "whoosh", "schema_version": 3, "analysis_version": 3,
            "analysis": {"analyzer": "arabic", "stemmer": "light10", "synonyms": None},
            "created": "2026-01-01T00:00:00+00:00", "updated": "2026-01-02T00:00:00+00:00", "doc_count": 2}
MANIFEST = {"/data/a.jsonl": {"size": 10, "ids": ["0-1", "0-2"], "sources": {"okaz": 2}},
            "/data/\u0645.txt": {"size": 3, "ids": ["x"], "failures": [[1, "a \"quoted\" , \"manifest\": {"]]}}


def compact(meta: dict) -> str:
    return store.meta_text(meta)


# name -> (bahth.json's text, what read_settings returns)
SETTINGS_ROWS = {
    "as bahth writes it (manifest last)": (compact({**SETTINGS, "manifest": MANIFEST}), SETTINGS),
    "json.dumps spacing": (json.dumps({**SETTINGS, "manifest": MANIFEST}), SETTINGS),
    "indented": (json.dumps({**SETTINGS, "manifest": MANIFEST}, indent=2), SETTINGS),
    "manifest first": (compact({"manifest": MANIFEST, **SETTINGS}), SETTINGS),
    "a key after the manifest, head incomplete": (
        compact({**{k: v for k, v in SETTINGS.items() if k != "updated"}, "manifest": MANIFEST,
                 "updated": SETTINGS["updated"]}), SETTINGS),
    "a 'manifest' key inside the analysis settings": (
        compact({**SETTINGS, "analysis": {"x": 1, "manifest": {"a": 1}}, "manifest": MANIFEST}),
        {**SETTINGS, "analysis": {"x": 1, "manifest": {"a": 1}}}),
    "an empty manifest": (compact({**SETTINGS, "manifest": {}}), SETTINGS),
    "no manifest": (compact(SETTINGS), SETTINGS),
    "an old bahth.json without backend": (
        compact({**{k: v for k, v in SETTINGS.items() if k != "backend"}, "manifest": MANIFEST}),
        {k: v for k, v in SETTINGS.items() if k != "backend"}),
    "a damaged manifest (settings intact)": (
        compact({**SETTINGS, "manifest": MANIFEST}).replace('"ids":["x"]', '"ids":[x'), SETTINGS),
}


@pytest.mark.parametrize("name", list(SETTINGS_ROWS))
def test_read_settings_is_bahth_json_without_the_manifest(name: str, tmp_path: Path) -> None:
    text, expected = SETTINGS_ROWS[name]
    (tmp_path / store.META_FILE).write_text(text, encoding="utf-8")
    assert store.read_settings(tmp_path) == expected


@pytest.mark.parametrize("data, message", [
    (b"", "is not valid JSON"),
    (b"\xff\x00{", "is not valid JSON"),
    (b"[]", "is not a JSON object"),
    (compact({**SETTINGS, "manifest": MANIFEST}).encode("utf-8")[:-40], "is not valid JSON"),  # cut short
])
def test_read_settings_reports_a_bahth_json_that_is_not_one(data: bytes, message: str, tmp_path: Path) -> None:
    (tmp_path / store.META_FILE).write_bytes(data)
    with pytest.raises(CorruptIndexError, match=message):
        store.read_settings(tmp_path)


def test_read_settings_without_bahth_json_is_none(tmp_path: Path) -> None:
    assert store.read_settings(tmp_path) is None
    assert store.read_settings(tmp_path / "missing") is None


def test_read_settings_follows_a_new_bahth_json_and_hands_out_copies(tmp_path: Path) -> None:
    store.write_meta(tmp_path, {**SETTINGS, "manifest": MANIFEST})
    first = store.read_settings(tmp_path)
    first["analysis"]["stemmer"] = "changed by a caller"
    assert store.read_settings(tmp_path) == SETTINGS
    store.write_meta(tmp_path, {**SETTINGS, "backend": "tantivy", "manifest": MANIFEST})
    assert store.read_settings(tmp_path)["backend"] == "tantivy"


def test_read_settings_does_not_parse_the_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # bahth's own layout: the settings come from the head of the file alone.
    store.write_meta(tmp_path, {**SETTINGS, "manifest": {f"/f{i}": {"ids": [str(i)]} for i in range(20000)}})
    parsed: list[int] = []
    real = json.loads
    monkeypatch.setattr(store.json, "loads", lambda text, *a, **k: parsed.append(len(text)) or real(text, *a, **k))
    assert store.read_settings(tmp_path) == SETTINGS
    assert parsed and max(parsed) < 1000, parsed
