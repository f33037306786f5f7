"""wkeys15: a new Whoosh index has the `marked` field but no phrase keys (`keys`), and the
verifier decides per field what goes native.

Three kinds of Whoosh index must give the same answers: a new one (`marked` only), one built
by the previous version (`keys` and `marked`: no forced rebuild) and one built before issue 14
(neither field). An index with `keys` keeps it filled when documents are added."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bahth.index import Indexer
from bahth.index.backend import plan as p
from bahth.index.backend.whoosh.reader import WhooshReader
from bahth.index.schema import KEYS_FIELD, MARKED_FIELD
from bahth.search import Engine
from bahth.search.query import compile_query
from bahth.search.verify import Verifier
from tests.test_forms14_forms import CASES, DOCS

KINDS = ("new", "both", "neither")  # marked only; built by the previous version; before issue 14
EXTRA = {"id": "more", "title": "جديد", "body": "في البيت الأبيض وَعَلَمٌ"}


def _schema_of(kind: str) -> Any:
    """The schema builder of one kind of index (the previous versions' for `both`, `neither`)."""
    from bahth.index.backend.whoosh import schema

    def build(analyzer: Any = None) -> Any:
        built = schema.build_schema(analyzer)
        if kind == "both":
            schema.add_keys_field(built)
        elif kind == "neither":
            built.remove(MARKED_FIELD)
        return built

    return build


def _write(folder: Path, docs: list[dict[str, str]], name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / name
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return source


def _add(index: Path, source: Path) -> None:
    with Indexer(index, jobs=1, backend="whoosh") as indexer:
        assert indexer.add_paths([source]).failed == 0


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from bahth.index.backend.whoosh import writer

    built = {}
    for kind in KINDS:
        root = tmp_path_factory.mktemp(f"wkeys15-{kind}")
        with pytest.MonkeyPatch.context() as monkeypatch:
            if kind != "new":
                monkeypatch.setattr(writer, "build_schema", _schema_of(kind))
            _add(root / "index", _write(root, DOCS, "docs.jsonl"))
        built[kind] = root / "index"
    return built


def _ids(engine: Engine, query: str) -> tuple[set[str], int, str]:
    results = engine.search(query, limit=50, snippets=False)
    return {hit.id for hit in results}, results.total, results.total_relation


@pytest.mark.parametrize("kind, keys, marked", [
    ("new", False, True),       # wkeys15: no keys on Whoosh
    ("both", True, True),       # the previous version's index keeps its fields
    ("neither", False, False),  # before issue 14
])
def test_which_written_form_fields_each_kind_of_index_has(indexes: dict[str, Path], kind: str, keys: bool,
                                                          marked: bool) -> None:
    with Engine(indexes[kind]) as engine:
        names = set(engine.reader().field_names())
    assert (KEYS_FIELD in names, MARKED_FIELD in names) == (keys, marked)


@pytest.mark.parametrize("native_phrases", [False, True])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("query, expected", CASES)
def test_every_kind_of_index_gives_the_same_answers(indexes: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                                    kind: str, native_phrases: bool, query: str,
                                                    expected: set[str]) -> None:
    """Whoosh's phrases on the keys (where an index has them) or on the text: same documents."""
    monkeypatch.setattr(WhooshReader, "native_phrases", native_phrases)
    with Engine(indexes[kind]) as engine:
        assert _ids(engine, query) == (expected, len(expected), "eq")


class FieldsAs:
    """A reader that shows only some of the written-form fields, with a chosen native_phrases."""

    def __init__(self, reader: Any, fields: set[str], native_phrases: bool):
        self._reader, self._fields, self.native_phrases = reader, fields, native_phrases

    def field_names(self) -> list[str]:
        return [n for n in self._reader.field_names() if n not in (KEYS_FIELD, MARKED_FIELD) or n in self._fields]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _plan_fields(plan: p.Plan | None) -> set[str]:
    if plan is None:
        return set()
    if isinstance(plan, p.And):
        return set().union(*(_plan_fields(part) for part in plan.children))
    return {plan.field}


@pytest.mark.parametrize("fields, native_phrases, phrase_native, word_native", [
    (set(), True, False, False),                       # before issue 14: both on the text
    ({MARKED_FIELD}, True, False, True),               # a new Whoosh index: no keys, so phrases on the text
    ({MARKED_FIELD}, False, False, True),
    ({KEYS_FIELD, MARKED_FIELD}, True, True, True),    # tantivy, or a reader that wants phrases native
    ({KEYS_FIELD, MARKED_FIELD}, False, False, True),  # Whoosh on an index of the previous version
    ({KEYS_FIELD}, True, True, False),                 # each field on its own
    ({KEYS_FIELD}, False, False, False),
])
def test_the_verifier_goes_native_per_field(indexes: dict[str, Path], fields: set[str], native_phrases: bool,
                                            phrase_native: bool, word_native: bool) -> None:
    with Engine(indexes["both"]) as engine:
        reader = FieldsAs(engine.reader(), fields, native_phrases)
        verifier = Verifier(reader, compile_query('"البيت الأبيض" AND عَلَم', reader))
        assert bool(verifier.phrases) is not phrase_native
        assert bool(verifier.vocalized) is not word_native
        assert verifier.active is not (phrase_native and word_native)
        expected = ({KEYS_FIELD} if phrase_native else set()) | ({MARKED_FIELD} if word_native else set())
        assert _plan_fields(verifier.plan) == expected


def _keys_of(index: Path, doc_id: str) -> list[str]:
    """The phrase keys indexed for one document (its terms of the keys field)."""
    with Engine(index) as engine:
        searcher = engine.reader().searcher
        docnum = searcher.document_number(id=doc_id)
        reader = searcher.reader()
        return sorted(term.decode() if isinstance(term, bytes) else term
                      for term in reader.field_terms(KEYS_FIELD)
                      if docnum in set(reader.postings(KEYS_FIELD, term).all_ids()))


@pytest.mark.parametrize("kind, has_keys", [("new", False), ("both", True), ("neither", False)])
def test_updates_keep_each_index_s_own_fields(indexes: dict[str, Path], tmp_path: Path, kind: str,
                                              has_keys: bool) -> None:
    """Adding documents writes the fields the index has: the keys of an index of the previous
    version stay complete (native phrases on them find the new document), a new index gets none."""
    copy = tmp_path / "index"
    shutil.copytree(indexes[kind], copy)
    _add(copy, _write(tmp_path, [EXTRA], "more.jsonl"))
    with Engine(copy) as engine:
        assert (KEYS_FIELD in engine.reader().field_names()) is has_keys
        assert _ids(engine, '"البيت الأبيض"')[0] == {"clitic", "plain", "more"}
        assert _ids(engine, "عَلَم")[0] == {"waalam", "marked-title", "more"}
    if has_keys:
        assert {"بيت", "ابيض"} <= set(_keys_of(copy, "more"))
