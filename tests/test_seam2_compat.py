"""Issue 8, item 2 finished: the Whoosh classes moved into the adapter, and indexes that name
them by their old import paths still open and search.

Whoosh pickles the schema (analyzers and postings formats included) by class path into every
index's TOC. Before the move the paths were ``bahth.index.analysis.chain.*`` and
``bahth.index.morphology.*``; those modules keep resolving the names (module ``__getattr__``).
"""

from __future__ import annotations

import ast
import json
import pickle
import pickletools
import subprocess
import sys
from pathlib import Path

import pytest

from bahth import Engine, Indexer
from bahth.index import morphology, store
from bahth.index.analysis import chain
from bahth.index.backend.whoosh import analyzers, formats
from bahth.index.backend.whoosh import store as whoosh_store
from bahth.index.schema import build_schema

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "seam" / "schema-before-adapter.pickle"

# (old module, name, where it lives now): one row per name an old index or caller may use.
ALIASES = [
    ("bahth.index.analysis.chain", "ArabicAnalyzer", analyzers),
    ("bahth.index.analysis.chain", "ArabicTermFilter", analyzers),
    ("bahth.index.analysis.chain", "ArabicTokenizer", analyzers),
    ("bahth.index.analysis.chain", "KeywordAnalyzer", analyzers),
    ("bahth.index.analysis.chain", "KeywordFilter", analyzers),
    ("bahth.index.analysis.chain", "SequenceCharacters", formats),
    ("bahth.index.analysis.chain", "SequenceFrequency", formats),
    ("bahth.index.analysis.chain", "SequencePositions", formats),
    ("bahth.index.analysis.chain", "common_words_out_of_length", formats),
    ("bahth.index.analysis.chain", "counts_common_words_out", formats),
    ("bahth.index.analysis", "ArabicAnalyzer", analyzers),
    ("bahth.index.analysis", "ArabicTermFilter", analyzers),
    ("bahth.index.analysis", "ArabicTokenizer", analyzers),
    ("bahth.index.analysis", "KeywordAnalyzer", analyzers),
    ("bahth.index.morphology", "MorphAnalyzer", analyzers),
    ("bahth.index.morphology", "MorphFilter", analyzers),
    ("bahth.index.store", "BahthIndex", whoosh_store),
    ("bahth.index.store", "SigningStorage", whoosh_store),
    ("bahth.index.store", "open_index", whoosh_store),
    ("bahth.index.store", "storage_of", whoosh_store),
    ("bahth.index", "open_index", whoosh_store),
]

# The classes an index's pickled schema names, with the module that named them before issue 8.
PICKLED = [(analyzers.ArabicAnalyzer, "bahth.index.analysis.chain"),
           (analyzers.ArabicTermFilter, "bahth.index.analysis.chain"),
           (analyzers.ArabicTokenizer, "bahth.index.analysis.chain"),
           (analyzers.KeywordFilter, "bahth.index.analysis.chain"),
           (formats.SequenceCharacters, "bahth.index.analysis.chain"),
           (formats.SequencePositions, "bahth.index.analysis.chain"),
           (analyzers.MorphAnalyzer, "bahth.index.morphology"),
           (analyzers.MorphFilter, "bahth.index.morphology")]


@pytest.mark.parametrize(("module", "name", "home"), ALIASES, ids=[f"{m}.{n}" for m, n, _ in ALIASES])
def test_an_old_import_path_gives_the_adapter_object(module: str, name: str, home) -> None:
    namespace: dict = {}
    exec(f"from {module} import {name} as found", namespace)  # noqa: S102 - the import statement itself is the check
    assert namespace["found"] is getattr(home, name)


@pytest.mark.parametrize("module", [chain, morphology, store])
def test_a_name_that_never_existed_is_still_an_attribute_error(module) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(module, "no_such_name")


def _globals(data: bytes) -> set[str]:
    """The `module name` pairs a pickle refers to."""
    return {arg for op, arg, _pos in pickletools.genops(data) if op.name == "GLOBAL"}


def test_the_schema_pickled_before_the_move_loads_as_todays_schema() -> None:
    """The fixture is `pickle.dumps(build_schema(), 2)` as commit fe1781d (before the move) wrote it."""
    data = FIXTURE.read_bytes()
    assert "bahth.index.analysis.chain ArabicAnalyzer" in _globals(data)
    assert "bahth.index.morphology MorphAnalyzer" in _globals(data)
    old, new = pickle.loads(data), build_schema()
    # Issue 14 added the written-form fields; an index from before simply lacks them.
    assert old.names() == [n for n in new.names() if n not in ("keys", "marked")]
    for name in old.names():
        if name == "date":  # Whoosh's DATETIME holds a column object without equality
            assert type(old[name]) is type(new[name])
        else:
            assert old[name] == new[name], name
    assert type(old["body"].analyzer) is analyzers.ArabicAnalyzer
    assert type(old["body"].format) is formats.SequenceCharacters
    assert type(old["root"].analyzer) is analyzers.MorphAnalyzer


def test_a_new_schema_names_the_adapter() -> None:
    names = _globals(pickle.dumps(build_schema(), 2))
    assert "bahth.index.backend.whoosh.analyzers ArabicAnalyzer" in names
    assert not {n for n in names if n.startswith(("bahth.index.analysis", "bahth.index.morphology"))}


DOCS = [
    {"id": "a", "title": "مكتبة", "body": "افتتحت المكتبة العامة أبوابها للقراء في البيت الأبيض", "source": "Okaz"},
    {"id": "b", "title": "طلاب", "body": "الطلاب يكتبون رسائلهم إلى الوزير", "source": "Sabq"},
]


def test_an_index_whose_toc_names_the_old_paths_opens_searches_and_grows(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS), encoding="utf-8")
    index_dir = tmp_path / "ix"
    for cls, old_module in PICKLED:  # pickle names a class by its __module__: write as before the move
        monkeypatch.setattr(cls, "__module__", old_module)
    with Indexer(index_dir, jobs=1, roots=True) as indexer:
        indexer.add_paths([source])
    monkeypatch.undo()
    (toc,) = index_dir.glob("_MAIN_*.toc")
    raw = toc.read_bytes()
    assert b"bahth.index.analysis.chain" in raw and b"bahth.index.morphology" in raw
    assert b"bahth.index.backend.whoosh" not in raw

    with Engine(index_dir) as engine:
        assert [h.id for h in engine.search('"البيت الأبيض"')] == ["a"]
        assert sorted(h.id for h in engine.search("root:كتب")) == ["a", "b"]  # المكتبة, يكتبون
        assert [h.id for h in engine.search("الطلاب", filters={"source": "sabq"})] == ["b"]
        assert engine.info().doc_count == 2
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "c", "title": "", "body": "مكتبة الطلاب"}, ensure_ascii=False), encoding="utf-8")
    with Indexer(index_dir, jobs=1) as indexer:  # the old schema is kept, and written again
        assert indexer.add_paths([source, more]).added == 1
    with Engine(index_dir) as engine:
        assert sorted(h.id for h in engine.search("الطلاب")) == ["b", "c"]


def test_importing_analysis_store_and_schema_does_not_import_whoosh() -> None:
    code = ("import sys; import bahth.index.analysis, bahth.index.analysis.chain, bahth.index.morphology, "
            "bahth.index.store, bahth.index.schema, bahth.index.trust; print('whoosh' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_analysis_never_imports_a_backend() -> None:
    """The aliases load the adapter by name, at unpickling time; no analysis module imports it."""
    for path in (ROOT / "index" / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("bahth.index.backend", "whoosh")), path
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith(("bahth.index.backend", "whoosh")) for a in node.names), path


def test_the_write_lock_excludes_a_whoosh_lock_on_the_same_folder(tmp_path: Path) -> None:
    """A bahth from before the move took the lock through Whoosh's FileStorage: both still exclude each other."""
    from whoosh.filedb.filestore import FileStorage

    from bahth.index.errors import IndexLockedError

    theirs = FileStorage(str(tmp_path)).lock(store.LOCK_NAME)
    assert theirs.acquire(blocking=False)
    with pytest.raises(IndexLockedError):
        store.WriteLock(tmp_path).acquire()
    theirs.release()
    ours = store.WriteLock(tmp_path).acquire()
    assert not FileStorage(str(tmp_path)).lock(store.LOCK_NAME).acquire(blocking=False)
    ours.release()
    assert FileStorage(str(tmp_path)).lock(store.LOCK_NAME).acquire(blocking=False)
