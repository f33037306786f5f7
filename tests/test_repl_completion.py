"""Completion from the index vocabulary: prefix of the normalized word, shown in its common surface form."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent, ThreadedCompleter
from prompt_toolkit.document import Document

from bahth.cli.repl.commands import completion_table
from bahth.cli.repl.completer import IndexVocabulary, ReplCompleter

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory) -> IndexVocabulary:
    from bahth.index import Indexer

    directory = tmp_path_factory.mktemp("vocab") / "ix"
    with Indexer(directory, jobs=1) as indexer:
        indexer.add_paths([SEEDS])
    lookup = IndexVocabulary(directory)
    yield lookup
    lookup.close()


def offered(completer, text: str) -> list[str]:
    return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]


@pytest.mark.parametrize("typed, expected", [
    ("الكاظ", "الكاظمي"),  # article stripped for the lookup, the common written form offered
    ("الكَاظ", "الكاظمي"),  # diacritics in the prefix do not matter
    ("واش", "واشنطن"),
])
def test_vocabulary_offers_the_common_surface_form(vocabulary, typed, expected):
    surfaces = [surface for surface, _ in vocabulary(typed)]
    assert expected in surfaces and all(" " not in s for s in surfaces)


@pytest.mark.parametrize("typed", ["العرا", "والقت", "بايد"])
def test_every_offered_word_is_indexed_under_a_term_with_the_typed_prefix(vocabulary, typed):
    from bahth.index.analysis import normalize, strip_clitics, term_of

    prefix = strip_clitics(normalize(typed))
    surfaces = [surface for surface, _ in vocabulary(typed)]
    assert surfaces and all(term_of(surface).startswith(prefix) for surface in surfaces)


def test_short_or_unknown_prefixes_offer_nothing(vocabulary):
    assert vocabulary("ا") == [] and vocabulary("zzz") == []


def test_the_completer_completes_the_last_word_of_a_query_and_field_values(vocabulary):
    completer = ReplCompleter(completion_table(), lambda: vocabulary)
    assert offered(completer, "بايدن الكاظ") == ["الكاظمي"]
    assert offered(completer, "title:واش") == ["واشنطن"]
    assert offered(completer, "nofield:واش") == []


def test_a_missing_index_just_offers_nothing(tmp_path):
    assert IndexVocabulary(tmp_path / "none")("الكاظ") == []


def test_vocabulary_lookups_run_off_the_main_thread_in_the_session(vocabulary, tmp_path):
    import asyncio
    import threading

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from bahth.cli.repl.session import Repl, make_prompt_session

    threads = []

    def lookup(word):
        threads.append(threading.current_thread())
        return vocabulary(word)

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        session = make_prompt_session(Repl(tmp_path), history=InMemoryHistory())
    assert session.complete_in_thread and session.complete_while_typing
    threaded = ThreadedCompleter(ReplCompleter(completion_table(), lambda: lookup))

    async def collect():
        return [c.text async for c in threaded.get_completions_async(Document("واش"), CompleteEvent())]

    assert asyncio.run(collect()) == ["واشنطن"]
    assert threads and threads[0] is not threading.main_thread()
