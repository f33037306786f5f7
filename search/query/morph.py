"""`root:` and `lemma:` clauses: the root or lemma as typed -> terms of the index's root/lemma field.

A root may be typed with diacritics, hamza, spaces or dashes between its letters (`كَتَبَ`,
`ك ت ب`, `ك-ت-ب`, `سأل`): ``normalize_root`` spells it as the index does. A lemma is matched
normalized; when the lexicon spelled it with a long vowel the user left out (`رَّحْمَٰن` is
indexed as `رحمان`, typed `رحمن`), the lemma terms with the same letters but long vowels match.
"""

from __future__ import annotations

from bahth.index.backend import plan as p

from bahth.index.analysis.roots import normalize_root
from bahth.index.errors import QueryError
from bahth.index.morphology import LEMMA_FIELD, ROOT_FIELD, lemma_key, lemma_skeleton

from . import ast

NO_ROOTS = ("this index has no roots; build it with them: "
            "`bahth index --rebuild --roots PATH...` (or with a lexicon: --morphology FILE)")
NO_LEMMAS = ("lemma: needs a morphology lexicon (a TSV with word, root and lemma columns); "
             "build the index with it: `bahth index --rebuild --morphology FILE PATH...`")
MAX_LEMMA_VARIANTS = 16


def morph_query(compiler, node: ast.Word, negated: bool) -> p.Plan | None:
    """The query of one `root:X` / `lemma:X` word; records its terms for highlighting."""
    name = node.field
    reader = compiler.reader
    if name not in compiler.fields or not reader.field_length(name):
        raise QueryError(f"{name}:{node.text}", NO_ROOTS if name == ROOT_FIELD else NO_LEMMAS)
    terms = root_terms(node.text) if name == ROOT_FIELD else lemma_terms(reader, node.text)
    if not terms:
        compiler.note(f"'{name}:{node.text}' has no letters to search")
        return None
    if not negated:
        compiler.out.morph_terms.extend((name, t) for t in terms)
    return p.Or(tuple(p.Term(name, t) for t in terms)) if len(terms) > 1 else p.Term(name, terms[0])


def root_terms(text: str) -> list[str]:
    root = normalize_root(text)
    return [root] if root else []


def lemma_terms(reader, text: str) -> list[str]:
    key = lemma_key(text)
    if not key:
        return []
    if reader.has_term(LEMMA_FIELD, key):
        return [key]
    skeleton = lemma_skeleton(key)
    variants = [t for t in reader.field_terms(LEMMA_FIELD) if lemma_skeleton(t) == skeleton]
    return variants[:MAX_LEMMA_VARIANTS] or [key]
