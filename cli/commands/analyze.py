"""`bahth analyze TEXT`: what the index makes of a text, token by token."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bahth.cli import render
from bahth.cli.commands.common import add_color_option, EXIT_OK, write

NAME = "analyze"
HELP = "show each token: original form, offsets, normalized form, index term (or stopword), root, lemma"
STEMMERS = ("light10", "snowball", "none")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="+", metavar="TEXT", help="text to analyze (several words are joined by spaces)")
    parser.add_argument("--stemmer", choices=STEMMERS, default="light10", help="stemmer (default light10)")
    parser.add_argument("--keep-stopwords", action="store_true", help="analyze stopwords instead of dropping them")
    add_color_option(parser)
    parser.add_argument("--json", action="store_true", help="a JSON list of tokens")
    parser.add_argument("--morphology", default=None, metavar="FILE",
                        help="TSV with word, root and lemma columns: roots and lemmas of the words it lists")


def tokens(text: str, *, stemmer: str = "light10", stopwords: bool = True, lexicon: Any = None) -> list[dict[str, Any]]:
    """One row per token: surface form, offsets, normalized form, term (None for a stopword),
    root and lemma (None when none; lemmas only from a ``lexicon``, index/morphology.py)."""
    from bahth.index.analysis import normalize, term_of, tokenize
    from bahth.index.morphology import analyze_word

    rows = []
    for t in tokenize(text):
        morph = analyze_word(t.text, lexicon)
        rows.append({"token": t.text, "start": t.start, "end": t.end, "normalized": normalize(t.text),
                     "term": term_of(t.text, stemmer=stemmer, stopwords=stopwords),
                     "root": morph.root, "lemma": morph.lemma})
    return rows


def index_lexicon(index_dir: Any) -> Any:
    """The morphology lexicon an index was built with, or None (no index, no lexicon)."""
    from bahth.index.morphology import load_for_index
    from bahth.index.store import read_meta

    try:
        sha1 = ((read_meta(index_dir) or {}).get("analysis") or {}).get("morphology")
        return load_for_index(index_dir, sha1)
    except Exception:  # noqa: BLE001 - :analyze still shows extracted roots
        return None


def table(rows: list[dict[str, Any]]) -> list[render.Line]:
    """Aligned columns (by display width, so diacritics do not shift them)."""
    from prompt_toolkit.utils import get_cwidth  # lazily: prompt_toolkit costs ~0.1 s to import

    with_lemma = any(r.get("lemma") for r in rows)
    cells = [["token", "offsets", "normalized", "term", "root"] + (["lemma"] if with_lemma else [])]
    cells += [[r["token"], f"{r['start']}-{r['end']}", r["normalized"], r["term"] or "stopword", r.get("root") or "-"]
              + ([r.get("lemma") or "-"] if with_lemma else []) for r in rows]
    columns = len(cells[0])
    widths = [max(get_cwidth(row[i]) for row in cells) for i in range(columns)]
    lines: list[render.Line] = []
    for number, row in enumerate(cells):
        line: render.Line = []
        for i, cell in enumerate(row):
            style = "class:heading" if number == 0 else ("class:stopword" if cell == "stopword" and i == 3 else
                                                        "class:term" if i == 3 else "")
            pad = " " * (widths[i] - get_cwidth(cell) + 2) if i < columns - 1 else ""
            line += [(style, cell), ("", pad)]
        lines.append(line)
    return lines


def run(args: argparse.Namespace) -> int:
    lexicon = None
    if args.morphology:
        from bahth.index.morphology import Lexicon

        lexicon = Lexicon(args.morphology)
    rows = tokens(" ".join(args.text), stemmer=args.stemmer, stopwords=not args.keep_stopwords, lexicon=lexicon)
    if args.json:
        write(render.dumps(rows) + "\n")
    else:
        write(render.to_ansi(table(rows), render.color_mode(sys.stdout, choice=args.color)))
    return EXIT_OK
