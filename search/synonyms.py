"""Synonyms, applied at query time: a list can change without re-indexing.

File format: Solr's and Elasticsearch's synonyms format, so existing lists work:

- ``a, b, c``: equivalent; a query for any of them searches all of them;
- ``a, b => c, d``: a query for a or b searches c and d instead (a is kept only if it is
  listed on the right, as in Solr);
- ``#`` starts a comment, blank lines are ignored, ``\\,`` is a literal comma;
- an entry may be several words (``كانون الثاني``): it matches those words side by side in
  the query and is searched as a phrase.

Entries are compared through the index's own analysis (normalization, clitics, stemming),
so ``يوليو``, ``بيوليو`` and ``يوليو`` written with diacritics are one entry.

bahth ships one list, on by default: the two systems of month names and their spellings
(``search/synonyms_months.txt``): ``يوليو`` finds ``تموز``. A user list (``--synonyms FILE``)
is added to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bahth.index.errors import InputError

from .query import ast

MONTHS_FILE = "synonyms_months.txt"
_SPLIT_COMMA = re.compile(r"(?<!\\),")
TEXT_FIELDS = (None, *ast.TEXT_FIELDS)


@dataclass(frozen=True)
class Rule:
    """One line: ``inputs`` are searched as ``outputs`` (equivalent lines: both the same)."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    line: int = 0


def parse_rules(text: str, source: str = "<synonyms>") -> list[Rule]:
    """The rules of a synonyms file; InputError naming the file and line on a bad line."""
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        sides = line.split("=>")
        if len(sides) > 2:
            raise InputError(source, "more than one '=>' on a line", number)
        parts = [_entries(side) for side in sides]
        if any(not side for side in parts):
            raise InputError(source, "an empty side of '=>' (write 'a, b => c' or 'a, b, c')", number)
        inputs = parts[0]
        outputs = parts[1] if len(parts) == 2 else parts[0]
        if len(parts) == 1 and len(inputs) < 2:
            continue  # a lone word: nothing to add
        rules.append(Rule(tuple(inputs), tuple(outputs), number))
    return rules


def _entries(side: str) -> list[str]:
    out = []
    for entry in _SPLIT_COMMA.split(side):
        entry = " ".join(entry.replace("\\,", ",").split())
        if entry:
            out.append(entry)
    return out


def load_rules(path: str | Path) -> list[Rule]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(str(path), f"cannot read the synonyms file: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"the synonyms file is not UTF-8 ({error.reason})") from None
    return parse_rules(text, str(path))


@cache
def shipped_rules() -> tuple[Rule, ...]:
    """The month names list that bahth applies by default."""
    # Beside this module (importlib.resources would add ~10 ms of imports to every `bahth search`).
    text = Path(__file__).with_name(MONTHS_FILE).read_text(encoding="utf-8")
    return tuple(parse_rules(text, MONTHS_FILE))


Key = tuple[str, ...]


class Synonyms:
    """Rules keyed by the analyzed terms of their inputs (``analyze``: text -> terms)."""

    def __init__(self, rules: Sequence[Rule], analyze: Callable[[str], list[str]]):
        self.table: dict[Key, list[str]] = {}
        for rule in rules:
            for entry in rule.inputs:
                key = tuple(analyze(entry))
                if not key:
                    continue
                outputs = self.table.setdefault(key, [])
                outputs.extend(o for o in rule.outputs if o not in outputs)
        self.longest = max((len(k) for k in self.table), default=0)
        self._analyze = analyze

    def __bool__(self) -> bool:
        return bool(self.table)

    def expand(self, root: ast.Root) -> ast.Root:
        """The tree with each run of plain words that is a synonym entry replaced by an OR of
        the entry's synonyms (words outside quotes, fields, wildcards and fuzzy marks)."""
        if not self.table or root.child is None:
            return root
        return ast.Root(self._node(root.child), root.notices, root.text)

    def _node(self, node: ast.Node) -> ast.Node:
        if isinstance(node, (ast.Seq, ast.And, ast.Or)):
            children = self._run(list(node.children)) if isinstance(node, ast.Seq) else [
                self._node(c) for c in node.children]
            return type(node)(tuple(children))
        if isinstance(node, (ast.Must, ast.Not)):
            return type(node)(self._node(node.child))
        if _plain(node):
            return self._run([node])[0]
        return node

    def _run(self, items: list[ast.Node]) -> list[ast.Node]:
        out: list[ast.Node] = []
        i = 0
        while i < len(items):
            match = self._match(items, i)
            if match is None:
                item = items[i]
                out.append(self._node(item) if not _plain(item) else item)
                i += 1
                continue
            size, outputs = match
            words = items[i:i + size]
            out.append(_alternatives(words, outputs))
            i += size
        return out

    def _match(self, items: list[ast.Node], i: int) -> tuple[int, list[str]] | None:
        for size in range(min(self.longest, len(items) - i), 0, -1):
            words = items[i:i + size]
            if not all(_plain(w) and w.field == words[0].field for w in words):
                continue
            key = tuple(t for w in words for t in self._analyze(w.text))
            if key in self.table:
                return size, self.table[key]
        return None


def _plain(node: ast.Node) -> bool:
    return isinstance(node, ast.Word) and node.fuzzy is None and node.field in TEXT_FIELDS


def _alternatives(words: list[ast.Word], outputs: list[str]) -> ast.Node:
    """OR of the synonyms, each a word or a phrase, spanning the words they replace."""
    start, end, field = words[0].start, words[-1].end, words[0].field
    nodes: list[ast.Node] = []
    for text in outputs:
        node: ast.Node = (ast.Word(text, field, None, start, end) if len(text.split()) == 1
                          else ast.Phrase(text, field, start, end))
        if node not in nodes:
            nodes.append(node)
    return nodes[0] if len(nodes) == 1 else ast.Or(tuple(nodes))


def synonyms_for(analyze: Callable[[str], list[str]], user_file: str | Path | None = None,
                 months: bool = True) -> Synonyms:
    """The shipped month names (``months``) plus the rules of ``user_file``."""
    rules = list(shipped_rules()) if months else []
    if user_file:
        rules.extend(load_rules(user_file))
    return Synonyms(rules, analyze)
