"""Completion for the REPL: commands (with their help beside them), their arguments, field
names, source/category values, and the words of the index.

The word being completed is found with THE query lexer (`search.query.lexer.lex`), so
`+الكاظ`, `title:واش` and the last word of an unclosed phrase complete like the parser
reads them. Words and values come from the index through the search API only
(`Engine.complete`, `Engine.field_values`). The session wraps this completer in a thread
(`complete_in_thread=True`), so a slow lookup never blocks typing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from bahth.search.query.lexer import FIELD_ALIASES, Kind, clean, lex, trailing_spelled_value
from bahth.search.query.vocab import WILDCARD_CHARS

Vocabulary = Callable[[str], Sequence[tuple[str, int]]]
VALUE_FIELDS = ("source", "category")  # keyword fields whose values are offered after `source:`


class IndexVocabulary:
    """Word and value lookups in one index through its own Engine (opened lazily, one lookup
    at a time: safe to call from the completion thread while the session searches)."""

    def __init__(self, index_dir: Path, limit: int = 20):
        self.index_dir, self.limit = index_dir, limit
        self._lock = threading.Lock()
        self._engine: Any = None
        self._failed = False
        self._values: dict[str, dict[str, int]] = {}

    def _open(self) -> bool:
        if self._engine is None and not self._failed:
            try:
                from bahth.search.engine import Engine

                self._engine = Engine(self.index_dir)
            except Exception:  # noqa: BLE001 - no index (yet): completion just offers nothing
                self._failed = True
        return self._engine is not None

    def warm(self) -> None:
        """Open the index and read its vocabulary once (the session calls this in the
        background at start), so the first Tab answers as fast as the next ones."""
        with self._lock:
            if self._open():
                self._engine.complete("ال", 1)

    def __call__(self, word: str) -> list[tuple[str, int]]:
        with self._lock:
            return self._engine.complete(word, self.limit) if self._open() else []

    def values(self, field: str) -> dict[str, int]:
        """The values of `source`/`category` and their document counts (cached per session)."""
        with self._lock:
            if field not in self._values:
                self._values[field] = self._engine.field_values(field) if self._open() else {}
            return self._values[field]

    def roots(self, typed: str) -> list[tuple[str, int]]:
        """Roots of the index starting with the letters of `typed` (any spacing), most frequent first."""
        from bahth.index.analysis.roots import normalize_root

        with self._lock:
            return self._engine.roots_starting(normalize_root(typed), self.limit) if self._open() else []

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine, self._failed, self._values = None, False, {}


class ReplCompleter(Completer):
    def __init__(self, commands: dict[str, Sequence[str]], vocabulary: Callable[[], Any | None],
                 descriptions: dict[str, str] | None = None):
        """`commands`: name -> argument choices; `vocabulary`: the current index's lookup (may
        change); `descriptions`: name -> one-line help shown beside the command."""
        self.commands = commands
        self.vocabulary = vocabulary
        self.descriptions = descriptions or {}

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        stripped = text.lstrip()
        if stripped[:1] in (":", "\\"):
            yield from self._command_completions(stripped)
            return
        typed_root = trailing_spelled_value(text)
        if typed_root and FIELD_ALIASES.get(typed_root[0]) == "root" and self.vocabulary() is not None:
            yield from root_completions(self.vocabulary(), typed_root[1])  # also `root:ك ت`
            return
        cleaned = clean(text)
        tokens = lex(cleaned)
        if not tokens or tokens[-1].end != len(cleaned) or cleaned[-1:].isspace():
            return
        last = tokens[-1]
        field = tokens[-2].text if len(tokens) > 1 and tokens[-2].kind is Kind.FIELD and \
            tokens[-2].end == last.start else None
        if last.kind is Kind.BAD_FIELD or (last.kind is Kind.WORD and last.text.endswith(":")):
            name, _, value = last.text.partition(":")
            field = FIELD_ALIASES.get(name.lower())
            if field is None:
                return
            word = value
        elif last.kind is Kind.WORD:
            word = last.text
            if field is None:
                yield from fields_starting(word)
        else:
            return
        lookup = self.vocabulary()
        if lookup is None:
            return
        if field in VALUE_FIELDS:
            yield from values_starting(lookup, field, word)
        elif field in (None, "title", "body") and word and not any(c in WILDCARD_CHARS + "~" for c in word):
            for surface, frequency in lookup(word):
                yield Completion(surface, start_position=-len(word), display_meta=f"in ~{frequency} docs")

    def _command_completions(self, text: str) -> Iterator[Completion]:
        prefix, name_part = text[0], text[1:]
        name, space, argument = name_part.partition(" ")
        if not space:
            for command in self.commands:
                if command.startswith(name):
                    yield Completion(prefix + command, start_position=-len(text),
                                     display_meta=self.descriptions.get(command, ""))
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
    for alias, canonical in FIELD_ALIASES.items():
        if alias.startswith(word) and alias != word:
            meta = "field" if alias == canonical else f"field: {canonical}"
            yield Completion(alias + ":", start_position=-len(word), display_meta=meta)


def values_starting(lookup: Any, field: str, typed: str) -> Iterable[Completion]:
    """`source:ok` -> `okaz` (values with spaces are offered quoted)."""
    values = getattr(lookup, "values", None)
    if values is None:
        return
    for value, count in values(field).items():
        if value.startswith(typed.lower()):
            shown = f'"{value}"' if " " in value else value
            yield Completion(shown, start_position=-len(typed), display_meta=f"{count} docs")
