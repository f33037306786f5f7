"""Backend selection (index/backend/location.py, cli/commands/common.index_location): one
row per rule of where an index is and which backend holds it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bahth.cli.commands.common import add_index_option, index_location
from bahth.index.backend import open_backend, open_writer
from bahth.index.backend.location import Location, locate, recorded_backend
from bahth.index.errors import UsageError


def folder_recording(tmp_path: Path, backend: str | None) -> Path:
    folder = tmp_path / "ix"
    folder.mkdir()
    meta = {"format": "bahth-index"} if backend is None else {"format": "bahth-index", "backend": backend}
    (folder / "bahth.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


# (what the caller gives, the Location expected): one row per rule.
def test_a_folder_defaults_to_whoosh(tmp_path):
    assert locate(tmp_path / "new") == Location("whoosh", tmp_path / "new")


def test_a_folder_keeps_the_backend_it_records(tmp_path):
    assert locate(folder_recording(tmp_path, "tantivy")).backend == "tantivy"


def test_an_old_bahth_json_without_backend_is_whoosh(tmp_path):
    assert recorded_backend(folder_recording(tmp_path, None)) == "whoosh"


def test_a_damaged_bahth_json_does_not_decide(tmp_path):
    folder = tmp_path / "ix"
    folder.mkdir()
    (folder / "bahth.json").write_text("{not json", encoding="utf-8")
    assert recorded_backend(folder) is None and locate(folder).backend == "whoosh"


def test_a_url_alone_means_opensearch_with_the_default_name():
    assert locate(url="http://h:9200") == Location("opensearch", None, "http://h:9200", "bahth")


def test_describe_names_the_folder_or_the_cluster_index(tmp_path):
    assert str(locate(tmp_path)) == str(tmp_path)
    assert str(locate(backend="opensearch", url="http://h:9200/", name="news")) == "http://h:9200/news"


def test_describe_never_shows_credentials_written_in_the_url():
    location = locate(backend="opensearch", url="https://admin:s3cret@h:9200", name="news")
    assert str(location) == "https://h:9200/news" and "s3cret" not in location.describe()


def test_a_location_passes_through_with_overrides(tmp_path):
    given = Location("opensearch", None, "http://h:9200", "a")
    assert locate(given, name="b") == Location("opensearch", None, "http://h:9200", "b")


@pytest.mark.parametrize("kwargs, message", [
    ({"backend": "lucene"}, "unknown backend 'lucene'"),
    ({"backend": "opensearch"}, "needs the cluster's URL"),
    ({"backend": "opensearch", "index": "some/dir", "url": "http://h:9200"}, "not a folder"),
    ({"url": "http://h:9200", "index": "some/dir"}, "add --backend opensearch"),
    ({"name": "news"}, "add --backend opensearch"),
    ({"shards": 2}, "OpenSearch index only"),
    ({"backend": "opensearch", "url": "http://h", "shards": 0}, "--shards must be at least 1"),
    ({"backend": "opensearch", "url": "http://h", "replicas": -1}, "--replicas must be at least 0"),
])
def test_contradictions_are_usage_errors(kwargs, message):
    with pytest.raises(UsageError, match=message):
        locate(**kwargs)


def test_asking_another_backend_than_the_folder_holds_is_refused(tmp_path):
    with pytest.raises(UsageError, match="holds a whoosh index, not tantivy"):
        locate(folder_recording(tmp_path, "whoosh"), backend="tantivy")


def test_a_backend_package_without_the_entry_points_is_a_usage_error(tmp_path, monkeypatch):
    import bahth.index.backend.whoosh as whoosh_package

    monkeypatch.delattr(whoosh_package, "open_writer")
    with pytest.raises(UsageError, match="whoosh backend is not available"):
        open_writer(tmp_path / "ix")


def test_dispatch_opens_the_whoosh_adapter_for_a_whoosh_folder(tmp_path):
    from bahth.index import Indexer

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    with Indexer(tmp_path / "ix", jobs=1) as indexer:
        indexer.add_paths([seeds])
    backend = open_backend(tmp_path / "ix")
    try:
        assert type(backend).__module__.startswith("bahth.index.backend.whoosh")
        assert backend.meta()["backend"] == "whoosh"
        assert backend.info().doc_count == 5
    finally:
        backend.close()


# --- the command line: option, then environment, then config file ---------------------

def parsed(argv: list[str], create: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_index_option(parser, create=create)
    return parser.parse_args(argv)


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("BAHTH_CONFIG", str(path))
    for key in ("BAHTH_BACKEND", "BAHTH_URL", "BAHTH_NAME"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("BAHTH_INDEX", str(tmp_path / "default-ix"))
    return path


def test_cli_default_is_the_default_folder(config, tmp_path):
    assert index_location(parsed([])) == Location("whoosh", tmp_path / "default-ix")


def test_cli_config_file_index_table(config):
    config.write_text('[index]\nbackend = "opensearch"\nurl = "http://c:9200"\nname = "news"\n', encoding="utf-8")
    assert index_location(parsed([])) == Location("opensearch", None, "http://c:9200", "news")


def test_cli_environment_beats_the_config_file(config, monkeypatch):
    config.write_text('[index]\nbackend = "opensearch"\nurl = "http://c:9200"\nname = "news"\n', encoding="utf-8")
    monkeypatch.setenv("BAHTH_NAME", "archive")
    assert index_location(parsed([])).name == "archive"


def test_cli_option_beats_the_environment(config, monkeypatch):
    monkeypatch.setenv("BAHTH_BACKEND", "opensearch")
    monkeypatch.setenv("BAHTH_URL", "http://env:9200")
    assert index_location(parsed(["--url", "http://cli:9200"])).url == "http://cli:9200"


def test_cli_index_folder_ignores_cluster_defaults(config, monkeypatch, tmp_path):
    monkeypatch.setenv("BAHTH_BACKEND", "opensearch")
    monkeypatch.setenv("BAHTH_URL", "http://env:9200")
    assert index_location(parsed(["--index", str(tmp_path / "mine")])) == Location("whoosh", tmp_path / "mine")


def test_cli_shards_and_replicas_reach_the_location(config):
    args = parsed(["--url", "http://c:9200", "--shards", "3", "--replicas", "1"], create=True)
    assert index_location(args) == Location("opensearch", None, "http://c:9200", "bahth", 3, 1)


@pytest.mark.parametrize("text, message", [
    ('[index]\nbackend = "lucene"\n', "index.backend must be"),
    ('[index]\nport = 9200\n', "unknown key index.port"),
    ('index = 3\n', r"\[index\] must be a table"),
])
def test_cli_bad_config_file_names_the_key(config, text, message):
    config.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        index_location(parsed([]))
