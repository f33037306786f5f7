"""Syntax tree -> backend-neutral query plan (index/backend/plan.py), plus what ranking, snippets and verification need.

`compile_query` analyzes every word with its field's own analyzer (the same chain the
index used), expands wildcards and fuzzy words over the index vocabulary (capped), moves
source/category/date clauses of the top-level conjunction into a filter, and collects:
positive terms in query order (proximity), body terms to highlight, phrase words to
verify against stored text, and vocalized words to verify with `marks_match`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from bahth.index.analysis import has_marks, normalize, strip_clitics, tokenize
from bahth.index.analysis.terms import is_common_term
from bahth.index.backend import plan as p
from bahth.index.backend.plan import all_of as _and, any_of as _or
from bahth.index.errors import QueryError

from ..ranking import field_boosts
from . import ast
from .parser import parse
from .vocab import WILDCARD_CHARS, Expansion, analyze_field, expand_patterns, fuzzy_boosts, fuzzy_terms
from .morph import morph_query

DEFAULT_BOOSTS = field_boosts()  # the title weight is RankingParams.title_boost (the engine passes its own)


class _Ctx(NamedTuple):
    negated: bool
    required: bool

    def negate(self) -> _Ctx:
        return _Ctx(not self.negated, self.required)

    def optional(self) -> _Ctx:
        return _Ctx(self.negated, False)

MAX_PATTERN_TERMS = 256   # terms one wildcard may expand to (most frequent kept)
MAX_TOTAL_EXPANSION = 1024  # over the whole query
# Documents summed over the expansions of all the query's wildcards: what reading their ids costs
# (the 256 most frequent words of `ا*` hold 1.06 M postings of SaudiNewsNet: 1.8 s to read; each matching document then costs ~20 us to collect, so 50k ~1 s at most).
MAX_EXPANSION_POSTINGS = 50_000
SCORED_PATTERN_TERMS = 16  # a wildcard with more terms matches them as one set (search/query/termset.py)
MAX_FUZZY_TERMS = 16     # like Lucene's maxExpansions, smaller: Arabic's dense vocabulary
LONG_WORD = 8            # letters (clitics stripped) from which `word~` allows 2 edits
PROXIMITY_FIELD = "body"
SEQUENCE_MODE = "sequence"  # analyzer mode that keeps common words (chain.SEQUENCE_MODES)


@dataclass
class CompiledQuery:
    """A compiled query.

    query:           the scoring part (a plan).
    filter:          source/category/date restrictions (a plan) or None; pass it as
                     `reader.collect(query, filter, ...)`.
    terms:           positive (field, term) pairs in query order, for proximity ranking.
                     Plain words appear once, as ("body", term); `title:` words as
                     ("title", term); wildcard/fuzzy expansions are not listed.
    highlight_terms: body terms to highlight (words, phrase words, expansions).
    phrases:         one list per positive quoted phrase searched in the body (alone or with
                     the title): `normalize()`d words in order, stopwords kept, clitics
                     kept as typed; verify with `strip_clitics` applied to both sides (so
                     "البيت الأبيض" accepts "والبيت الأبيض"). `title:"..."` phrases are
                     matched on stems only and not listed.
    phrase_required: parallel to `phrases`: True when every hit must contain the phrase
                     (it is not one alternative of an OR / optional word): only those may
                     be used to drop documents; the others can only boost.
    vocalized:       positive query words written with diacritics (surface form), to keep
                     only documents where some word satisfies `marks_match(word, doc_word)`.
    vocalized_required: parallel to `vocalized`, like `phrase_required`.
    notices:         messages for the user (ignored operators, capped expansions, ...).
    expansions:      pattern or fuzzy word as typed -> the body terms it expanded to.
    term_surfaces:   body term -> the positive query words (as typed, phrase words included)
                     that produced it: for an exact-form boost over stem-only matches.
    sequence:        for plain typed words (syntax on) that include common words (stopwords)
                     and some other word (`يا أيها الذين آمنوا` without quotes), the exact typed sequence
                     as a plan phrase over the index's sequence terms: the engine ranks
                     the documents holding it first. None otherwise. (A query of common
                     words only is searched as that sequence: it is then `query` itself.)
    """

    query: p.Plan
    filter: p.Plan | None = None
    terms: list[tuple[str, str]] = field(default_factory=list)
    highlight_terms: set[str] = field(default_factory=set)
    phrases: list[list[str]] = field(default_factory=list)
    phrase_required: list[bool] = field(default_factory=list)
    vocalized: list[str] = field(default_factory=list)
    vocalized_required: list[bool] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    expansions: dict[str, list[str]] = field(default_factory=dict)
    term_surfaces: dict[str, set[str]] = field(default_factory=dict)
    sequence: p.Plan | None = None
    # Positive `root:`/`lemma:` terms as (field, term): highlighted through their positions.
    morph_terms: list[tuple[str, str]] = field(default_factory=list)


def compile_query(text_or_node: str | ast.Node, reader, *, default_op: str = "OR",
                  field_boosts: dict[str, float] | None = None, syntax: bool = True,
                  check: Callable[[], None] | None = None, synonyms=None) -> CompiledQuery:
    """Compile a query for `reader` (a `bahth.index.backend.reader.Reader` of a bahth index).

    `check()` is called between clauses and while wildcards and fuzzy words are expanded:
    the caller's deadline (it raises to stop, e.g. SearchTimeoutError). Raises QueryError when the query has nothing to search for (empty, only stopwords or
    punctuation) or cannot be read (see `parse`)."""
    if default_op.upper() not in ("OR", "AND"):
        raise ValueError(f"default_op must be 'OR' or 'AND', not {default_op!r}")
    root = _as_root(text_or_node, syntax)
    if synonyms:  # search.synonyms.Synonyms: words of a synonym entry become an OR of its synonyms
        root = synonyms.expand(root)
    compiler = _Compiler(reader, default_op.upper(), field_boosts or DEFAULT_BOOSTS, check)
    compiler.out.notices.extend(root.notices)
    scoring, filters = compiler.top(root.child)
    typed = compiler.typed_sequence(root.child)
    if typed is not None:
        if syntax:  # a typed query; natural-language topics (syntax off) are questions, no sequence
            compiler.out.sequence = typed.phrase
        if scoring is None:  # only common words: the sequence, then documents with every word
            scoring = _or([typed.phrase, typed.every_word])
    if scoring is None and not filters:
        raise QueryError(root.text, _nothing_reason(root, compiler))
    if scoring is None:
        scoring = p.EVERY
    if compiler.negative_only:
        compiler.note("the query only excludes words: every other document matches")
    compiler.out.query = scoring
    compiler.out.filter = _and(filters)
    return compiler.out


def _as_root(text_or_node: str | ast.Node, syntax: bool) -> ast.Root:
    if isinstance(text_or_node, str):
        return parse(text_or_node, syntax=syntax)
    if isinstance(text_or_node, ast.Root):
        return text_or_node
    if isinstance(text_or_node, ast.Node):
        return ast.Root(text_or_node)
    raise QueryError(repr(text_or_node), "a query must be text")


def _nothing_reason(root: ast.Root, compiler: _Compiler) -> str:
    if not root.text.strip():
        return "the query is empty"
    if compiler.dropped:
        words = " ".join(compiler.dropped[:8])
        return f"the query has only very common words ({words}), which are not indexed; add a more specific word"
    return "the query has no words to search for"


class TypedSequence(NamedTuple):
    """Plain query words as typed, common words included: the exact sequence (a phrase over
    body and title) and every word anywhere (an AND over the words)."""

    phrase: p.Plan
    every_word: p.Plan


class _Compiler:
    def __init__(self, reader, default_op: str, boosts: dict[str, float], check: Callable[[], None] | None = None):
        self.check = check or (lambda: None)
        self.reader = reader
        self.fields = set(reader.field_names())
        self.default_op = default_op
        self.boosts = {f: b for f, b in boosts.items() if f in self.fields}
        # Split between the searched fields, or the title's many small words would leave the body none.
        self.postings_budget = dict.fromkeys(self.fields, MAX_EXPANSION_POSTINGS // max(1, len(self.boosts)))
        self.out = CompiledQuery(query=p.NOTHING)
        self.dropped: list[str] = []     # words the analyzers dropped (stopwords)
        self.budget = MAX_TOTAL_EXPANSION
        self.negative_only = False

    def note(self, message: str) -> None:
        if message not in self.out.notices:
            self.out.notices.append(message)

    # -- structure ----------------------------------------------------------------------
    # `ctx` says whether a clause is under a negation (its words are not recorded as
    # positive) and whether every matching document must satisfy it (its phrases and
    # vocalized words are then verifiable as hard constraints).
    def top(self, node: ast.Node | None) -> tuple[p.Plan | None, list[p.Plan]]:
        """The scoring query and the filter clauses hoisted from the top-level conjunction."""
        if node is None:
            return None, []
        items = list(node.children) if isinstance(node, (ast.Seq, ast.And)) else [node]
        filters = [self.filter_clause(item) for item in items if _is_filter(item)]
        rest = [item for item in items if not _is_filter(item)]
        filters = [f for f in filters if f is not None]
        if not rest:
            return None, filters
        if isinstance(node, ast.And):
            rest = [item if isinstance(item, (ast.Must, ast.Not)) else ast.Must(item) for item in rest]
        scoring = self.sequence(rest, _Ctx(negated=False, required=True))
        return scoring, filters

    def filter_clause(self, node: ast.Node) -> p.Plan | None:
        if isinstance(node, ast.Not):
            inner = self.filter_clause(node.child)
            return p.AndNot(p.EVERY, inner) if inner is not None else None
        if isinstance(node, ast.Must):
            return self.filter_clause(node.child)
        return self.node(node, _Ctx(negated=False, required=True))

    def node(self, node: ast.Node, ctx: _Ctx) -> p.Plan | None:
        if isinstance(node, ast.Seq):
            return self.sequence(list(node.children), ctx)
        if isinstance(node, ast.And):
            return self.sequence([c if isinstance(c, (ast.Must, ast.Not)) else ast.Must(c)
                                  for c in node.children], ctx)
        if isinstance(node, ast.Or):
            return self.disjunction(node, ctx)
        if isinstance(node, ast.Must):
            return self.node(node.child, ctx)
        if isinstance(node, ast.Not):
            inner = self.node(node.child, ctx.negate())
            return p.AndNot(p.EVERY, inner) if inner is not None else None
        return self.leaf(node, ctx)

    def sequence(self, items: list[ast.Node], ctx: _Ctx) -> p.Plan | None:
        """Side-by-side clauses: `+x` required, `-x` excluded, the rest by default_op."""
        must_items = [i for i in items if isinstance(i, ast.Must) or
                      (self.default_op == "AND" and not isinstance(i, ast.Not))]
        should_items = [i for i in items if i not in must_items and not isinstance(i, ast.Not)]
        # A lone optional clause is required after all when nothing else can match.
        should_ctx = ctx.optional() if must_items or len(should_items) > 1 else ctx
        musts = _unique(_present([self.node(i, ctx) for i in must_items]))
        shoulds = _unique(_present([self.node(i, should_ctx) for i in should_items]))
        nots = _unique(_present([self.node(i.child, ctx.negate()) for i in items if isinstance(i, ast.Not)]))
        core = _and(musts)
        if shoulds:
            core = p.AndMaybe(core, _or(shoulds)) if core is not None else _or(shoulds)
        if nots:
            if core is None:
                self.negative_only = True
            core = p.AndNot(core if core is not None else p.EVERY, _or(nots))
        return core

    def disjunction(self, node: ast.Or, ctx: _Ctx) -> p.Plan | None:
        child_ctx = ctx.optional() if len(node.children) > 1 else ctx
        return _or(_present([self.node(child, child_ctx) for child in node.children]))

    # -- leaves -------------------------------------------------------------------------
    def leaf(self, node: ast.Node, ctx: _Ctx) -> p.Plan | None:
        self.check()
        if isinstance(node, ast.Word) and node.field in ast.MORPH_FIELDS:
            return morph_query(self, node, ctx.negated)
        if isinstance(node, ast.Word):
            if node.field in ast.KEYWORD_FIELDS:
                return self.keyword(ast.Keyword(node.field, node.text, node.start, node.end))
            return self.fuzzy(node, ctx) if node.fuzzy is not None else self.word(node, ctx)
        if isinstance(node, ast.Phrase):
            return self.phrase(node, ctx)
        if isinstance(node, ast.Pattern):
            if node.field in ast.KEYWORD_FIELDS:
                return self.keyword(ast.Keyword(node.field, node.text, node.start, node.end))
            return self.pattern(node, ctx)
        if isinstance(node, ast.Keyword):
            return self.keyword(node)
        if isinstance(node, ast.DateSpan):
            return self.date(node)
        raise TypeError(f"not a query node: {node!r}")

    def fields_of(self, node_field: str | None) -> dict[str, float]:
        """Field -> boost for a word: its own field, or the default fields."""
        if node_field is None:
            return self.boosts
        if node_field not in self.fields:
            self.note(f"this index has no '{node_field}' field; '{node_field}:' was ignored")
            return self.boosts
        return {node_field: 1.0}

    def word(self, node: ast.Word, ctx: _Ctx) -> p.Plan | None:
        per_field: list[p.Plan] = []
        record: list[tuple[str, str]] = []
        for name, boost in self.fields_of(node.field).items():
            terms = [t for t, _pos in analyze_field(self.reader, name, node.text)]
            if terms:
                per_field.append(_and([p.Term(name, t, boost=boost) for t in terms]))
                if not record or name == PROXIMITY_FIELD:
                    record = [(name, t) for t in terms]
        if not per_field:
            self.dropped.append(node.text)
            return None
        if not ctx.negated:
            self.record_positive(record)
            self.record_vocalized(node.text, ctx.required)
            self.record_surface(node.text, node.field)
        return _or(per_field)

    def record_positive(self, pairs: list[tuple[str, str]]) -> None:
        self.out.terms.extend(pairs)
        self.out.highlight_terms.update(t for _f, t in pairs)

    def record_surface(self, surface: str, field_name: str | None) -> None:
        if field_name not in (None, PROXIMITY_FIELD) or PROXIMITY_FIELD not in self.fields:
            return
        for term, _pos in analyze_field(self.reader, PROXIMITY_FIELD, surface):
            self.out.term_surfaces.setdefault(term, set()).add(surface)

    def scores(self, surface: str) -> bool:
        """Does this word have a scoring term (it is not a common word)?"""
        name = PROXIMITY_FIELD if PROXIMITY_FIELD in self.fields else next(iter(self.boosts), None)
        return name is None or bool(analyze_field(self.reader, name, surface))

    def record_vocalized(self, surface: str, required: bool) -> None:
        if not has_marks(surface):
            return
        if surface in self.out.vocalized:
            at = self.out.vocalized.index(surface)
            self.out.vocalized_required[at] |= required
        else:
            self.out.vocalized.append(surface)
            self.out.vocalized_required.append(required)

    def phrase(self, node: ast.Phrase, ctx: _Ctx) -> p.Plan | None:
        per_field: list[p.Plan] = []
        record: list[tuple[str, str]] = []
        only_common = True
        for name, boost in self.fields_of(node.field).items():
            # Stopwords included (as the index's marked terms): the phrase is matched in full.
            analyzed = analyze_sequence(self.reader, name, node.text)
            if not analyzed:
                continue
            per_field.append(_phrase_query(name, analyzed, boost))
            scoring = [(name, t) for t, _pos in analyzed if not is_common_term(t)]
            only_common = not scoring
            if not record or name == PROXIMITY_FIELD:
                record = scoring or [(name, t) for t, _pos in analyzed]
        if not per_field:
            self.dropped.append(f'"{node.text}"')
            return None
        if not ctx.negated:
            tokens = tokenize(node.text)
            # A phrase of common words only is matched exactly by the index (their marked
            # terms are unstemmed, at consecutive positions): nothing left to verify.
            if node.field in (None, PROXIMITY_FIELD) and not only_common:
                self.out.phrases.append([w for tok in tokens for w in normalize(tok.text).split()])
                self.out.phrase_required.append(ctx.required)
            for tok in tokens:
                if self.scores(tok.text):  # a common word has no term to anchor a marks check on
                    self.record_vocalized(tok.text, ctx.required)
                self.record_surface(tok.text, node.field)
            self.record_positive(record)
        return _or(per_field)

    def typed_sequence(self, node: ast.Node | None) -> TypedSequence | None:
        """The exact sequence of a query of plain words that holds a common word and more
        than one word (`يا أيها`, `من هم`, `لا إله إلا الله`), as a phrase over body and title;
        None for anything else (one word, operators, fields, patterns, no common word)."""
        words = [node] if isinstance(node, ast.Word) else list(node.children) if isinstance(node, ast.Seq) else []
        if not words or not all(isinstance(w, ast.Word) and w.field is None and w.fuzzy is None for w in words):
            return None
        text = " ".join(w.text for w in words)
        phrases: list[p.Plan] = []
        by_term: dict[str, list[p.Plan]] = {}
        for name, boost in self.boosts.items():
            analyzed = analyze_sequence(self.reader, name, text)
            if len(analyzed) < 2 or not any(is_common_term(t) for t, _pos in analyzed):
                return None
            phrases.append(_phrase_query(name, analyzed, boost))
            for term, _pos in analyzed:
                by_term.setdefault(term, []).append(p.Term(name, term, boost=boost))
        if not phrases:
            return None
        if all(is_common_term(t) for t in by_term):
            self.out.highlight_terms.update(by_term)  # nothing else to show
        every_word = _and([_or(terms) for terms in by_term.values()])
        return TypedSequence(_or(phrases), every_word)

    def pattern(self, node: ast.Pattern, ctx: _Ctx) -> p.Plan | None:
        per_field: list[p.Plan] = []
        for name, boost in self.fields_of(node.field).items():
            expansion = self.expand_pattern(name, node.text)
            if name == PROXIMITY_FIELD or (node.field and name == node.field):
                self.out.expansions[node.text] = expansion.terms
                if not ctx.negated:
                    self.out.highlight_terms.update(expansion.terms)
            if len(expansion.terms) > SCORED_PATTERN_TERMS:  # broad: constant score, cost linear in postings
                per_field.append(p.TermSet(name, tuple(expansion.terms), boost))
            elif expansion.terms:
                per_field.append(_or([p.Term(name, t, boost=boost) for t in expansion.terms]))
        if not per_field:
            self.note(f"'{node.text}' matches no word in the index")
            return p.NOTHING
        return _or(per_field)

    def expand_pattern(self, field_name: str, raw: str) -> Expansion:
        patterns, exact = _pattern_variants(self.reader, field_name, raw)
        limit = min(MAX_PATTERN_TERMS, max(self.budget, 1))
        if self.postings_budget.get(field_name, 0) <= 0:
            self.note(f"'{raw}' was not searched: the query's other wildcards already reach "
                      f"{MAX_EXPANSION_POSTINGS} documents (write more letters to narrow them)")
            return Expansion([], 0)
        expansion = _without_common_terms(expand_patterns(self.reader, field_name, patterns, exact, limit,
                                                          max_postings=self.postings_budget[field_name],
                                                          check=self.check))
        self.budget -= len(expansion.terms)
        self.postings_budget[field_name] -= sum(self.reader.doc_frequency(field_name, t) for t in expansion.terms)
        if expansion.capped:
            self.note(f"'{raw}' matches {expansion.matched} words; only the {len(expansion.terms)} "
                      "most frequent were searched (write more letters to narrow it)")
        return expansion

    def fuzzy(self, node: ast.Word, ctx: _Ctx) -> p.Plan | None:
        per_field: list[p.Plan] = []
        for name, boost in self.fields_of(node.field).items():
            analyzed = analyze_field(self.reader, name, node.text)
            if len(analyzed) != 1:
                return self.word(node, ctx)  # a stopword or several words: no fuzziness
            term = analyzed[0][0]
            word = normalize(node.text)
            probes = [word, strip_clitics(word)] if len(word.split()) == 1 else []
            distance = self.fuzzy_distance(node, strip_clitics(word) or term)
            expansion = fuzzy_terms(self.reader, name, term, probes, distance, MAX_FUZZY_TERMS)
            terms = _without_common_terms(expansion).terms or [term]
            if name == PROXIMITY_FIELD or (node.field and name == node.field):
                self.out.expansions[node.text + "~"] = terms
                if not ctx.negated:
                    self.out.highlight_terms.update(terms)
                    self.out.terms.append((name, term))
            closeness = fuzzy_boosts(self.reader, name, expansion)  # variants score by closeness, not rarity
            per_field.append(_or([p.Term(name, t, boost=boost * closeness.get(t, 1.0)) for t in terms]))
        return _or(per_field)

    def fuzzy_distance(self, node: ast.Word, term: str) -> int:
        if node.fuzzy:
            if node.fuzzy > 2:
                self.note(f"'{node.text}~{node.fuzzy}': edit distance capped at 2")
            return min(node.fuzzy, 2)
        # Arabic words are short and its vocabulary dense: two edits from a 6-letter word
        # reach dozens of unrelated words (and cost ~0.3 s per probe), so only long words get 2.
        return 2 if len(term) >= LONG_WORD else 1

    def keyword(self, node: ast.Keyword) -> p.Plan | None:
        if node.field not in self.fields:
            self.note(f"this index has no '{node.field}' field; '{node.field}:{node.value}' was ignored")
            return None
        if any(c in WILDCARD_CHARS for c in node.value.rstrip("?؟")):
            pattern = normalize(node.value)
            expansion = expand_patterns(self.reader, node.field, [pattern], [], MAX_PATTERN_TERMS, check=self.check)
            if not expansion.terms:
                return p.NOTHING
            return _or([p.Term(node.field, t) for t in expansion.terms])
        terms = [t for t, _pos in analyze_field(self.reader, node.field, node.value)]
        if not terms:
            return None
        return _or([p.Term(node.field, t) for t in terms])

    def date(self, node: ast.DateSpan) -> p.Plan | None:
        if ast.DATE_FIELD not in self.fields:
            self.note("this index has no dates; 'date:' was ignored")
            return None
        return p.DateRange(ast.DATE_FIELD, node.start, node.end, end_exclusive=node.end is not None)


def _pattern_variants(reader, field_name: str, raw: str) -> tuple[list[str], list[str]]:
    """Normalized patterns to match against the field's (stemmed) vocabulary, and exact
    terms to add. The pattern is normalized like the text, piece by piece around the
    wildcards; a leading article/clitic is also tried stripped (the stemmer strips it);
    and the stem of the literal start is added as a term (`امريكي*` -> `امريك`)."""
    pieces, literal = [], []
    for ch in raw:
        if ch in WILDCARD_CHARS:
            pieces.append(normalize("".join(literal)))
            pieces.append("*" if ch == "*" else "?")
            literal = []
        else:
            literal.append(ch)
    pieces.append(normalize("".join(literal)))
    pattern = "".join(pieces)
    patterns = [pattern]
    head = pieces[0]
    if head:
        stripped = strip_clitics(head)
        if stripped and stripped != head:
            patterns.append(stripped + pattern[len(head):])
    exact: list[str] = []
    if head and pattern == head + "*":  # only for `letters*`: `ك?اب` must not add `ك`
        analyzed = analyze_field(reader, field_name, head)
        if len(analyzed) == 1:
            exact.append(analyzed[0][0])
    return patterns, exact


def _without_common_terms(expansion: Expansion) -> Expansion:
    """An expansion without the index's marked stopword terms (`*ها` must not reach `_ايها`)."""
    kept = [t for t in expansion.terms if not is_common_term(t)]
    if len(kept) == len(expansion.terms):
        return expansion
    return Expansion(kept, expansion.matched - (len(expansion.terms) - len(kept)))


def analyze_sequence(reader, field_name: str, text: str) -> list[tuple[str, int]]:
    """(term, position) of every word of `text` under the field's analyzer, common words
    (stopwords) included as the index's marked terms when the index holds them."""
    analyzer = reader.analyzer(field_name)
    return [(tok.text, tok.pos) for tok in analyzer(text, mode=SEQUENCE_MODE, positions=True)]


def _phrase_query(name: str, analyzed: list[tuple[str, int]], boost: float) -> p.Plan:
    words = [t for t, _pos in analyzed]
    if len(words) == 1:
        return p.Term(name, words[0], boost=boost)
    # Stopwords dropped inside the phrase leave position gaps when the analyzer keeps
    # them; allow the widest gap (the engine verifies exact order on the stored text).
    gaps = [b - a for (_t, a), (_u, b) in zip(analyzed, analyzed[1:])]
    return p.Phrase(name, tuple(words), slop=max(1, *gaps), boost=boost)


def _is_filter(node: ast.Node) -> bool:
    """Source/category/date clauses (possibly negated or OR'ed) restrict, they do not score."""
    if isinstance(node, (ast.Keyword, ast.DateSpan)):
        return True
    if isinstance(node, (ast.Word, ast.Pattern)) and node.field in ast.KEYWORD_FIELDS:
        return True
    if isinstance(node, (ast.Not, ast.Must)):
        return _is_filter(node.child)
    if isinstance(node, (ast.Or, ast.And, ast.Seq)):
        return all(_is_filter(c) for c in node.children)
    return False


def _unique(queries: list[p.Plan]) -> list[p.Plan]:
    """Without repeated clauses (a pasted text repeats its words; each repeat would cost a
    full posting-list traversal for a small change in score)."""
    out: list[p.Plan] = []
    for query in queries:
        if query not in out:
            out.append(query)
    return out


def _present(queries: list[p.Plan | None]) -> list[p.Plan]:
    return [q for q in queries if q is not None]
