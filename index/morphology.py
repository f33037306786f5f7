"""Roots and lemmas of the words of a text, for the ``root`` and ``lemma`` index fields.

A word's root comes from the user's morphology lexicon when it lists the word (``--morphology
FILE``), else from the extractor (``index.analysis.roots.root_of``). Lemmas come only from a
lexicon: there is no lemma extractor.

The lexicon is a TSV file with a header naming (at least) the columns ``word``, ``root`` and
``lemma`` (the Quranic Arabic Corpus dev file's format; other columns are ignored). A word is
looked up first as written with its diacritics (``normalize_vocalized``: ``عَادٍ`` and ``عَادَ``
differ), then without them (``normalize``); when one spelling has several roots in the file,
the most frequent wins (ties: the alphabetically first), so the result never depends on the
order of the file.

Indexes copy the lexicon into their directory (``morphology-<sha1>.tsv``) and record its
SHA-1: the index stays usable when the original file moves, and another file is a different
analysis (``bahth index --rebuild``). The fields' Whoosh analyzers (``MorphAnalyzer``, in
the Whoosh adapter: bahth.index.backend.whoosh.analyzers) are fixed in the schema; each
indexing process loads the lexicon from the index directory (``load_for_index``) and binds
the fields to it (``speed_up``).
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from bahth.index.analysis import normalize, normalize_vocalized
from bahth.index.analysis.tables import TATWEEL
from bahth.index.analysis.roots import normalize_for_roots, normalize_root, root_of
from bahth.index.errors import BahthError, InputError

REQUIRED_COLUMNS = ("word", "root", "lemma")
ROOT_FIELD, LEMMA_FIELD = "root", "lemma"
MORPH_FIELDS = (ROOT_FIELD, LEMMA_FIELD)
COPY_PREFIX = "morphology-"


@dataclass(frozen=True)
class Analysis:
    root: str | None
    lemma: str | None


def lemma_key(lemma: str) -> str:
    """A lemma as the index spells it: normalized, hamza as alef (like roots)."""
    return normalize(lemma).replace("\u0621", "\u0627").replace(" ", "")


def lemma_skeleton(term: str) -> str:
    """A lemma without its long vowels: ``رحمان`` (from ``رَّحْمَٰن``) = ``رحمن`` as typed."""
    return term.replace("\u0627", "").replace("\u0648", "").replace("\u064a", "")


class Lexicon:
    """Word -> (root, lemma) from a morphology TSV file. Raises InputError on a bad file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise InputError(str(path), f"cannot read the morphology file: {error.strerror or error}") from None
        self.sha1 = hashlib.sha1(data).hexdigest()
        self._vocalized, self._plain = self._parse(data)

    def _parse(self, data: bytes) -> tuple[dict[str, Analysis], dict[str, Analysis]]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError(str(self.path), f"the morphology file is not UTF-8 ({error.reason})") from None
        rows = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
        header = [h.strip().lower() for h in next(rows, [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise InputError(str(self.path), f"the morphology file's header lacks the column(s) {', '.join(missing)} "
                                             "(it needs word, root and lemma, tab-separated)", 1)
        at = {c: header.index(c) for c in REQUIRED_COLUMNS}
        vocalized: dict[str, Counter[Analysis]] = {}
        plain: dict[str, Counter[Analysis]] = {}
        for line, row in enumerate(rows, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(at.values()):
                raise InputError(str(self.path), f"expected {len(header)} tab-separated columns, found {len(row)}", line)
            word = row[at["word"]].strip()
            if not word:
                continue
            root = normalize_root(row[at["root"]]) or None
            lemma = lemma_key(row[at["lemma"]]) or None
            analysis = Analysis(root, lemma)
            vocalized.setdefault(vocalized_key(word), Counter())[analysis] += 1
            plain.setdefault(plain_key(word), Counter())[analysis] += 1
        return _most_frequent(vocalized), _most_frequent(plain)

    def __len__(self) -> int:
        return len(self._vocalized)

    def lookup(self, surface: str) -> Analysis | None:
        """The analysis of one surface word (diacritics kept if written), or None if unlisted."""
        found = self._vocalized.get(vocalized_key(surface))
        return found if found is not None else self._plain.get(plain_key(surface))


def vocalized_key(word: str) -> str:
    """Lookup key with diacritics. Spaces are dropped: the Uthmani vocative يَـٰقَوْمِ reads as
    two words (يا قوم) only when written with tatweel, and lexicons differ on that."""
    # Without tatweel and in NFC first: lexicons and texts stack the marks of one Uthmani word
    # on tatweels differently (QAC خَطِيٓـَٰٔتِكُمْ, Tanzil خَطِيٓـَٔـٰتِكُمْ), and only the marks' canonical
    # order shows them equal.
    return normalize_vocalized(unicodedata.normalize("NFC", word.replace(TATWEEL, ""))).replace(" ", "")


def plain_key(word: str) -> str:
    return normalize(word).replace(" ", "")


def _most_frequent(table: dict[str, Counter[Analysis]]) -> dict[str, Analysis]:
    return {key: min(counts.items(), key=lambda item: (-item[1], item[0].root or "", item[0].lemma or ""))[0]
            for key, counts in table.items()}


# Lexicons loaded in this process, by SHA-1 (the analyzers name theirs by SHA-1 only).
_LOADED: dict[str, Lexicon] = {}


def register(lexicon: Lexicon) -> Lexicon:
    _LOADED[lexicon.sha1] = lexicon
    return lexicon


def copy_into_index(path: str | Path, index_dir: str | Path) -> Lexicon:
    """Read the user's lexicon, copy it into the index directory, register it."""
    lexicon = Lexicon(path)
    target = Path(index_dir) / f"{COPY_PREFIX}{lexicon.sha1}.tsv"
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(lexicon.path, tmp)
        tmp.replace(target)
    return register(lexicon)


def load_for_index(index_dir: str | Path, sha1: str | None) -> Lexicon | None:
    """The lexicon an index recorded (its copy in the index directory), registered."""
    if not sha1:
        return None
    if sha1 in _LOADED:
        return _LOADED[sha1]
    copy = Path(index_dir) / f"{COPY_PREFIX}{sha1}.tsv"
    if not copy.exists():
        raise BahthError(f"the morphology lexicon of index {index_dir} is missing ({copy.name}); "
                         "rebuild with `bahth index --rebuild --morphology FILE PATH...`")
    return register(Lexicon(copy))


def analyze_word(surface: str, lexicon: Lexicon | None = None) -> Analysis:
    """Root and lemma of one surface word: the lexicon's, else the extracted root."""
    if lexicon is not None:
        found = lexicon.lookup(surface)
        if found is not None:
            return found
    # A token may read as several words (يَـٰقَوْمِ = يا قوم): the first that has a root.
    roots = (root_of(word) for word in normalize_for_roots(surface).split())
    return Analysis(next((r for r in roots if r), None), None)


def term_function(kind: str, lexicon: Lexicon | None) -> Any:
    """surface -> root or lemma term (None if none), cached per (kind, lexicon)."""
    key = (kind, lexicon.sha1 if lexicon is not None else None)
    found = _TERM_FUNCTIONS.get(key)
    if found is None:
        cache: dict[str, str | None] = {}
        want_root = kind == ROOT_FIELD

        def found(surface: str) -> str | None:
            term = cache.get(surface, "")
            if term == "":
                analysis = analyze_word(surface, lexicon)
                term = analysis.root if want_root else analysis.lemma
                if len(cache) > 300_000:
                    cache.clear()
                cache[surface] = term
            return term

        _TERM_FUNCTIONS[key] = found
    return found


_TERM_FUNCTIONS: dict[tuple[str, str | None], Any] = {}


def fast_index(field: Any, kind: str, lexicon: Lexicon | None) -> Any:
    """A drop-in for ``field.index`` of the root or lemma field (cf. index/fastpath.py)."""
    from bahth.index.analysis.tokenize import TOKEN_PATTERN

    term_of = term_function(kind, lexicon)
    encode, boost = field.format.encode, field.format.field_boost
    finditer = TOKEN_PATTERN.finditer

    def index(value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        seen: dict[str, list[int]] = {}
        for pos, match in enumerate(finditer(value)):
            term = term_of(match.group())
            if term:
                seen.setdefault(term, []).append(pos)
        for term, positions in seen.items():
            count = len(positions)
            yield term.encode("utf-8"), count, float(count) * boost, encode(positions)

    return index


def token_positions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text`` by position: maps root/lemma positions to text."""
    from bahth.index.analysis.tokenize import TOKEN_PATTERN

    return [m.span() for m in TOKEN_PATTERN.finditer(text)]


# The indexer's side.

# roots "auto": on when the first build indexes at most this many bytes of text (docs/BENCHMARKS.md,
# "Roots": the root field costs 2-3x the indexing time of a large news archive, measured on
# SaudiNewsNet; a Qur'an, a book or a small archive stays well under a minute).
ROOTS_AUTO_MAX_BYTES = 5 * 1024 * 1024
GZIP_TEXT_RATIO = 4  # a .gz file's text is counted as this many times its size (SaudiNewsNet: 27 MB -> 103 MB)


def text_bytes(tasks: Any) -> int:
    """Estimated bytes of text of the indexing tasks (``Task.share``; .gz files expanded)."""
    return sum(t.share * (GZIP_TEXT_RATIO if str(t.path).endswith(".gz") else 1) for t in tasks)


def morphology_settings(index_dir: Path, meta: dict[str, Any], roots: bool | None,
                        morphology: str | Path | None, fresh: bool) -> None:
    """Record (new or rebuilt index) or check (existing index) the roots/lexicon settings in
    ``meta["analysis"]``. ``roots`` None = keep the recorded choice (new index: "auto", decided
    by the size of the first build). A lexicon turns roots on."""
    from bahth.index.errors import IndexSettingsMismatchError

    settings = meta.setdefault("analysis", {})
    lexicon = copy_into_index(morphology, index_dir) if morphology is not None else None
    sha1 = lexicon.sha1 if lexicon is not None else None
    if fresh or "roots" not in settings:  # a new or rebuilt index: the options given, else the defaults
        settings["morphology"] = sha1
        settings["roots"] = True if sha1 else roots
        return
    if sha1 is not None and sha1 != settings.get("morphology"):
        raise IndexSettingsMismatchError(str(index_dir), f"morphology lexicon {settings.get('morphology')}, "
                                                         f"requested {Path(morphology).name} ({sha1})")
    if roots is not None and settings.get("roots") is not None and roots != settings["roots"]:
        raise IndexSettingsMismatchError(str(index_dir), f"roots {'on' if settings['roots'] else 'off'}, "
                                                         f"requested {'on' if roots else 'off'}")
    if roots is not None and settings.get("roots") is None:
        settings["roots"] = roots


def speed_up(schema: Any, lexicon: Lexicon | None) -> None:
    """Bind the root and lemma fields of a (private) schema copy to ``lexicon``."""
    for kind in MORPH_FIELDS:
        if kind in schema.names():
            schema[kind].index = fast_index(schema[kind], kind, lexicon)


def field_values(fields: dict[str, Any], roots: bool, lemmas: bool) -> dict[str, Any]:
    """A document's fields with the root field dropped when the index has no roots, and the
    lemma field (the body again, analyzed per word) added when it has a lexicon."""
    if not roots:
        fields.pop(ROOT_FIELD, None)
    elif lemmas and fields.get("body"):
        fields[LEMMA_FIELD] = fields["body"]
    return fields


def record_synonyms(index_dir: Path, meta: dict[str, Any], synonyms: str | Path | None,
                    save: Any = None) -> None:
    """Remember the synonyms file given at index time (read at query time, so it may change);
    ``save(meta)`` stores it (default: bahth.json in ``index_dir``)."""
    if synonyms is None:
        return
    path = Path(synonyms).expanduser().absolute()
    if not path.is_file():
        raise InputError(str(synonyms), "no such synonyms file")
    settings = meta.setdefault("analysis", {})
    if settings.get("synonyms") != str(path):
        settings["synonyms"] = str(path)
        if save is not None:
            save(meta)
            return
        from bahth.index.store import write_meta

        write_meta(index_dir, meta)


# Pickle compatibility: indexes built before the Whoosh analyzer classes moved into the
# adapter (issue 8) name them by this module in their pickled schema. Resolved on first use
# (PEP 562), so this module never imports Whoosh. Never remove a name while such indexes exist.
MOVED_TO_ADAPTER = {"MorphAnalyzer": "bahth.index.backend.whoosh.analyzers",
                    "MorphFilter": "bahth.index.backend.whoosh.analyzers"}


def __getattr__(name: str) -> Any:
    module = MOVED_TO_ADAPTER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
