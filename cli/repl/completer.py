"""Completion for the REPL: commands, their arguments, field names and the index vocabulary.

The session wraps this completer in a thread (`complete_in_thread=True`), so a slow index
lookup never blocks typing. Vocabulary: index terms that start with the normalized,
clitic-stripped prefix of the word being typed, most frequent first, offered in their most
common surface form (`IndexInfo.surface_form`): typing `الكاظ` offers `الكاظمي`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from bahth.search.query.lexer import FIELD_ALIASES

Vocabulary = Callable[[str], Sequence[tuple[str, int]]]
# Characters that end a word for completion purposes (query syntax around words).
_WORD = re.compile(r"[^\s()\"«»“”+\-~]*$")
# `root:` and the root typed so far, letters possibly one space apart (`جذر:ك ت`).
_ROOT_TYPED = re.compile(r"([^\W\d_]+):((?:[^\W\d_] )*[^\W\d_-]*(?:-[^\W\d_])*-?)$")
MIN_PREFIX = 2  # one letter matches too much of the vocabulary to be useful
EXPANSION_CAP = 300  # terms looked at per lookup, so a short prefix stays fast


class IndexVocabulary:
    """Prefix lookups in an index's body terms; opened lazily, safe to call from the completion thread."""

    def __init__(self, index_dir: Path, limit: int = 20):
        self.index_dir, self.limit = index_dir, limit
        self._lock = threading.Lock()
        self._reader: Any = None
        self._info: Any = None
        self._failed = False

    def _open(self) -> bool:
        if self._reader is None and not self._failed:
            try:
                from bahth.index import IndexInfo, open_index

                self._reader = open_index(self.index_dir).reader()
                self._info = IndexInfo(self.index_dir)
            except Exception:  # noqa: BLE001 - no index (yet): completion just offers nothing
                self._failed = True
        return self._reader is not None

    def __call__(self, word: str) -> list[tuple[str, int]]:
        from bahth.index.analysis import normalize, strip_clitics

        prefix = strip_clitics(normalize(word)) or normalize(word)
        if len(prefix) < MIN_PREFIX:
            return []
        with self._lock:
            if not self._open():
                return []
            terms = []
            for number, term in enumerate(self._reader.expand_prefix("body", prefix)):
                if number >= EXPANSION_CAP:
                    break
                text = term.decode("utf-8") if isinstance(term, bytes) else term  # Whoosh yields bytes
                terms.append((text, self._reader.doc_frequency("body", term)))
        terms.sort(key=lambda pair: -pair[1])
        seen: dict[str, int] = {}
        for term, frequency in terms:
            surface = self._info.surface_form(term)
            seen[surface] = seen.get(surface, 0) + frequency
        return list(seen.items())[: self.limit]

    def roots(self, typed: str) -> list[tuple[str, int]]:
        """Roots of the index's `root` field starting with the letters of `typed` (may be empty)."""
        from bahth.index.analysis.roots import normalize_root

        prefix = normalize_root(typed)
        with self._lock:
            if not self._open() or "root" not in self._reader.schema.names():
                return []
            found = []
            for number, term in enumerate(self._reader.expand_prefix("root", prefix)):
                if number >= EXPANSION_CAP:
                    break
                found.append((term.decode("utf-8") if isinstance(term, bytes) else term,
                              self._reader.doc_frequency("root", term)))
        found.sort(key=lambda pair: -pair[1])
        return found[: self.limit]

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.close()
            self._reader, self._failed = None, False


class ReplCompleter(Completer):
    def __init__(self, commands: dict[str, Sequence[str]], vocabulary: Callable[[], Vocabulary | None]):
        """`commands`: name -> argument choices; `vocabulary`: the current index's lookup (may change)."""
        self.commands = commands
        self.vocabulary = vocabulary

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        stripped = text.lstrip()
        if stripped[:1] in (":", "\\"):
            yield from self._command_completions(stripped)
            return
        typed_root = _ROOT_TYPED.search(text)
        if typed_root and FIELD_ALIASES.get(typed_root.group(1)) == "root" and self.vocabulary() is not None:
            yield from root_completions(self.vocabulary(), typed_root.group(2))  # also `root:ك ت`
            return
        word = _WORD.search(text).group()
        if not word:
            return
        field, colon, value = word.rpartition(":")
        if not colon:
            yield from fields_starting(word)
        lookup = self.vocabulary()
        if lookup is None or (colon and field not in FIELD_ALIASES):
            return
        for surface, frequency in lookup(value):
            yield Completion(surface, start_position=-len(value), display_meta=f"in {frequency} docs")

    def _command_completions(self, text: str) -> Iterator[Completion]:
        prefix, name_part = text[0], text[1:]
        name, space, argument = name_part.partition(" ")
        if not space:
            for command in self.commands:
                if command.startswith(name):
                    yield Completion(prefix + command, start_position=-len(text))
            return
        for choice in self.commands.get(name, ()):
            if choice.startswith(argument):
                yield Completion(choice, start_position=-len(argument))


def root_completions(lookup: Any, value: str) -> Iterator[Completion]:
    """After `root:`: the index's roots that start with the letters typed (any spacing), most frequent first."""
    roots = getattr(lookup, "roots", None)
    if roots is None:
        return
    for root, frequency in roots(value):
        yield Completion(root, start_position=-len(value), display_meta=f"root, in {frequency} docs")


def fields_starting(word: str) -> Iterable[Completion]:
    for alias in FIELD_ALIASES:
        if alias.startswith(word) and alias != word:
            yield Completion(alias + ":", start_position=-len(word), display_meta="field")
