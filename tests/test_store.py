"""index.store: default location, bahth.json, settings checks, lock, open_index, IndexInfo."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bahth.index.analysis import ANALYSIS_VERSION, ArabicAnalyzer
from bahth.index.errors import IndexLockedError, IndexNotFoundError, IndexSettingsMismatchError
from bahth.index.indexer import Indexer
from bahth.index.schema import SCHEMA_VERSION
from bahth.index.store import (
    META_FILE,
    IndexInfo,
    WriteLock,
    check_meta,
    default_index_dir,
    new_meta,
    open_index,
    read_meta,
    write_meta,
)

NEWS = Path(__file__).parent / "fixtures" / "indexer" / "news"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"BAHTH_INDEX": "/x/idx", "XDG_DATA_HOME": "/xdg"}, "/x/idx"),
        ({"XDG_DATA_HOME": "/xdg"}, "/xdg/bahth/index"),
        ({"HOME": "/home/u"}, "/home/u/.local/share/bahth/index"),
    ],
)
def test_default_index_dir(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name in ("BAHTH_INDEX", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_index_dir() == Path(expected)


def test_meta_round_trip_and_atomic_write_leaves_no_temp(tmp_path: Path) -> None:
    meta = new_meta(ArabicAnalyzer().settings)
    write_meta(tmp_path, meta)
    write_meta(tmp_path, {**meta, "doc_count": 3})
    assert read_meta(tmp_path)["doc_count"] == 3
    assert [p.name for p in tmp_path.iterdir()] == [META_FILE]


GOOD = new_meta(ArabicAnalyzer().settings)


@pytest.mark.parametrize(
    "meta, settings, detail",
    [
        (None, None, "not built by"),
        ({**GOOD, "format": "other"}, None, "not built by"),
        ({**GOOD, "schema_version": SCHEMA_VERSION + 1}, None, "schema version"),
        ({**GOOD, "analysis_version": ANALYSIS_VERSION + 1}, None, "analysis version"),
        (GOOD, ArabicAnalyzer(stemmer="snowball").settings, "analysis"),
    ],
)
def test_check_meta_refuses_other_settings(meta: dict | None, settings: dict | None, detail: str) -> None:
    with pytest.raises(IndexSettingsMismatchError, match=detail) as info:
        check_meta("/idx", meta, settings)
    assert "bahth index --rebuild" in str(info.value)


def test_check_meta_accepts_matching_settings() -> None:
    check_meta("/idx", json.loads(json.dumps(GOOD)), ArabicAnalyzer().settings)


def test_open_index_missing_raises_not_found(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError):
        open_index(tmp_path / "nothing-here")
    with pytest.raises(IndexNotFoundError):
        IndexInfo(tmp_path)


def test_second_writer_is_refused_at_once(tmp_path: Path) -> None:
    with Indexer(tmp_path):
        with pytest.raises(IndexLockedError, match="locked by another process"):
            Indexer(tmp_path)
        with pytest.raises(IndexLockedError):
            WriteLock(tmp_path).acquire()
    with Indexer(tmp_path):  # released on exit
        pass


def test_index_info_describes_the_index(tmp_path: Path) -> None:
    with Indexer(tmp_path) as indexer:
        report = indexer.add_paths([NEWS])
    info = IndexInfo(tmp_path)
    assert info.doc_count == report.doc_count == 8
    assert info.sources["okaz"] == 3 and info.sources["jawharafm"] == 1
    assert info.settings["stemmer"] == "light10" and info.settings["schema_version"] == SCHEMA_VERSION
    assert info.size_bytes > 0 and info.built >= info.created
    assert info.surface_form("كاظم") == "الكاظمي"  # the stored form without its shadda
    assert info.surface_form("unknown-term") == "unknown-term"


def test_meta_file_permissions_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_meta(tmp_path, new_meta({}))
    finally:
        os.umask(old)
    assert (tmp_path / META_FILE).stat().st_mode & 0o777 == 0o644
