"""Root extraction: ``root_of(normalized_word) -> str | None``, deterministic.

The root (جذر) of ``والمكتوبات`` is ``كتب``; of ``يقولون`` ``قول``; of ``آمنوا`` ``امن`` (hamza is
written as alef in a root, as the Quranic Arabic Corpus does). Particles, pronouns and words no
rule explains (most foreign names) have no root (None).

How (every step is a table below; a rule = one row here plus one test row in
tests/test_roots_rules.py):

1. ``NO_ROOT`` words (particles, pronouns, demonstratives, relatives) and words of fewer than
   two letters have no root.
2. Every split ``proclitics + stem + suffixes`` is enumerated: ``PROCLITICS`` (conjunction,
   preposition, future ``س``, article; in the orders Arabic allows) and up to two ``SUFFIXES``
   (an inflection ending, then a pronoun).
3. Each stem is matched against ``PATTERNS`` (أوزان: ``ف ع ل`` mark the root letters, the other
   letters are the pattern's own, e.g. ``مفعول``, ``استفعال``, ``يتفاعل``); the letters in the
   slots are the candidate root.
4. Weak letters and hamza (``WEAK_READINGS``): a slot letter ``ا و ي ء`` may stand for another
   weak letter or a hamza (``قال`` -> ``قول``, ``دعا`` -> ``دعو``, ``سال`` -> ``سءل``); a stem of two
   letters is a root that lost a letter (``WEAK_TWO_LETTER``: ``يعد`` -> ``وعد``, ``ظن`` -> ``ظنن``,
   ``قل`` -> ``قول``).
5. A candidate counts only if it is in the dictionary of Arabic roots (tashaphyne's
   ``roots_const.ROOTS``, 7,504 roots of 3 and 4 letters; only the list is used, not
   tashaphyne's ``get_root``, which is not deterministic: see DEVELOPERS.md). Among the
   candidates, the cheapest analysis wins (``COSTS``: letters explained as affixes or pattern
   letters, weak-letter readings, four-letter roots); ties go to the earlier table row. The
   order of enumeration is fixed, so every process and run gives the same root.

Measured on the Quranic Arabic Corpus (suras 1-9) beside NLTK's ISRI and tashaphyne:
docs/EVALUATION.md ("Root extraction"), bench/eval_roots.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

HAMZA, ALEF, WAW, YEH = "\u0621", "\u0627", "\u0648", "\u064a"
SLOT_LETTERS = "فعل"  # in a pattern, these mark root letters (in order); every other letter is the pattern's


class Affix(NamedTuple):
    text: str
    why: str


class Pattern(NamedTuple):
    form: str  # normalized spelling; ف ع ل are the root slots (a 4-letter root: ف ع ل ل)
    why: str
    implied: str = ""  # a first root letter the form does not show (اتّفاق: the و of وفق)


# (1) Words with no root: particles, pronouns, demonstratives, relatives (normalized spelling).
NO_ROOT: frozenset[str] = frozenset("""
من في علي الي عن مع حتي منذ مذ لدي ثم او ام بل لكن لكن ان انما كانما لان كان_
قد لقد لم لن لا الا اذا اذ اذن لو لولا لوما كي لكي كما متي اين اني ايان هل ما ماذا لماذا
يا ايها ايتها ها هو هي هما هم هن انا نحن انت انتما انتم انتن اياه اياها اياهم اياك اياي ايانا اياكم
هذا هذه هذان هذين هاتان هاتين هولاء اولاء اوليك اولءك ذلك ذلكم ذلكما تلك تلكم هنا هناك هنالك ثم ثمه
الذي التي اللذان اللذين اللتان اللتين الذين اللاتي اللايي اللواتي الاي
كلا بلي نعم اي ايا لعل ليت عسي سوف كاين كاي لات
مما عما ممن عمن لما فيما كلما ربما مهما اينما حيثما كيفما للذين للذي للتي كم
""".split()) - {"كان_"}

# (1b) A particle, pronoun or preposition with clitics has no root either: و/ف before any
# NO_ROOT word (ولا، فلما); a pronoun after a preposition or ان-like particle (عليه، منهم، انه);
# ب ل ك before ما/من and the demonstratives and relatives (بما، لمن، كذلك); ب ل ك with a pronoun
# (له، بها، لكم). Anything else is left to the rules: كان is not ك + ان, بني not ب + ني.
PARTICLE_PROCLITICS: tuple[str, ...] = ("", "و", "ف")
PRONOUN_HOSTS = frozenset("في من عن علي الي مع لدي ان لكن ليت لعل ايا حتي".split())
PREPOSITION_HOSTS = frozenset("ما من ذلك ذلكم هذا هذه تلك الذي التي الذين هولاء ذا".split())
BARE_PREPOSITIONS = ("ب", "ل", "ك")  # ك takes no pronoun: كنا is a verb
BARE_PRONOUNS = frozenset("ه ها هم هما هن ك كم كما كن نا ي".split())

# (1c) Whole words the rules cannot reach: the root of the name of God (الله, root اله) with
# its clitics (the same list as the stemmer's IRREGULAR table).
IRREGULAR: dict[str, str] = {
    word: "اله" for word in ("الله", "لله", "بالله", "والله", "فالله", "تالله", "اللهم", "ولله", "فلله")
}

# (2) Proclitics, as whole sequences (the orders Arabic allows), tried in this order.
PROCLITICS: tuple[Affix, ...] = (
    Affix("", "none"),
    Affix("و", "and"), Affix("ف", "so"),
    Affix("ال", "the"), Affix("وال", "and the"), Affix("فال", "so the"),
    Affix("بال", "with the"), Affix("كال", "like the"), Affix("لل", "for the (ل + ال)"),
    Affix("وبال", "and with the"), Affix("فبال", "so with the"), Affix("وكال", "and like the"),
    Affix("ولل", "and for the"), Affix("فلل", "so for the"),
    Affix("ب", "with"), Affix("ك", "like"), Affix("ل", "for / that (verbs)"),
    Affix("وب", "and with"), Affix("ول", "and for"), Affix("فب", "so with"), Affix("فل", "so for"),
    Affix("وك", "and like"), Affix("فك", "so like"),
    Affix("س", "future (verbs)"), Affix("وس", "and future"), Affix("فس", "so future"),
    Affix("ا", "question (أ)"), Affix("اف", "question + so"), Affix("او", "question + and"),
)
CONJUNCTIONS = "وف"
RARE_PROCLITICS = frozenset({"ا", "اف", "او", "س", "وس", "فس", "ك", "وك", "فك"})  # cost rare_proclitic more

# Inflection endings (tried first) and pronoun suffixes (after them); ة is ه once normalized.
ENDINGS: tuple[Affix, ...] = (
    Affix("", "none"),
    Affix("ه", "teh marbuta (normalized)"), Affix("ات", "feminine plural"), Affix("ون", "plural"),
    Affix("ين", "plural / dual oblique"), Affix("ان", "dual"), Affix("وا", "verb plural"),
    Affix("و", "verb plural before a pronoun (قالوه)"),
    Affix("تم", "you (pl.) did"), Affix("تما", "you (dual) did"), Affix("تن", "you (f. pl.) did"),
    Affix("ت", "I/you/she did"), Affix("نا", "we did"), Affix("ن", "feminine plural verb"),
    Affix("ي", "you (f.) / nisba"), Affix("يه", "nisba feminine (ية)"), Affix("ا", "dual verb / accusative"),
    Affix("تا", "dual feminine verb"), Affix("اه", "ـاة (حياة)"), Affix("يات", "nisba feminine plural"),
    Affix("ني", "me"), Affix("تان", "dual feminine"), Affix("تين", "dual feminine oblique"),
    Affix("تمو", "you (pl.) did, before a pronoun (قتلتموهم)"),
)
PRONOUNS: tuple[Affix, ...] = (
    Affix("", "none"),
    Affix("ه", "his"), Affix("ها", "her"), Affix("هم", "their"), Affix("هما", "their (dual)"),
    Affix("هن", "their (f.)"), Affix("ك", "your"), Affix("كم", "your (pl.)"), Affix("كما", "your (dual)"),
    Affix("كن", "your (f. pl.)"), Affix("نا", "our / us"), Affix("ني", "me"), Affix("ي", "my"),
)

# (3) Patterns, by length; ف ع ل = root slots. Verb prefixes ي ت ن ا of the present tense
# are part of the verb patterns (يفعل), so a noun's first letter is never taken for them.
PATTERNS: tuple[Pattern, ...] = (
    Pattern("فعل", "bare root"),
    Pattern("فاعل", "active participle / verb III"), Pattern("فعال", "noun / broken plural"),
    Pattern("فعيل", "adjective"), Pattern("فعول", "noun / intensive"), Pattern("مفعل", "place / participle IV"),
    Pattern("افعل", "elative / verb IV / broken plural"), Pattern("يفعل", "present (he)"),
    Pattern("تفعل", "present (you, she) / verb V"), Pattern("نفعل", "present (we)"),
    Pattern("فعلي", "فعلى (كبرى)"), Pattern("فعلا", "فعلاء / فعلى"),
    Pattern("فعلل", "four-letter root"), Pattern("فيعل", "فيعل (سيد)"), Pattern("فوعل", "فوعل"),
    Pattern("مفعول", "passive participle"), Pattern("مفاعل", "participle III / plural"),
    Pattern("مفعال", "instrument"), Pattern("مفعيل", "مفعيل"), Pattern("تفعيل", "verbal noun II"),
    Pattern("تفاعل", "verb / noun VI"), Pattern("افتعل", "verb VIII"), Pattern("انفعل", "verb VII"),
    Pattern("افعال", "verbal noun IV / broken plural"), Pattern("فعلان", "فعلان"),
    Pattern("فواعل", "broken plural"), Pattern("فعاءل", "broken plural فعائل"), Pattern("فعلاء", "فعلاء"),
    Pattern("مفتعل", "participle VIII"), Pattern("منفعل", "participle VII"), Pattern("متفعل", "participle V"),
    Pattern("يفاعل", "present III"), Pattern("تفاعل", "present III / VI"), Pattern("نفاعل", "present III"),
    Pattern("يفتعل", "present VIII"), Pattern("تفتعل", "present VIII"), Pattern("نفتعل", "present VIII"),
    Pattern("ينفعل", "present VII"), Pattern("يتفعل", "present V"), Pattern("تتفعل", "present V"),
    Pattern("نتفعل", "present V"), Pattern("فعالل", "four-letter plural"), Pattern("فعلول", "four-letter noun"),
    Pattern("فعليل", "four-letter noun"), Pattern("يفعلل", "four-letter present"), Pattern("مفعلل", "four-letter participle"),
    Pattern("تفعلل", "four-letter verb II"), Pattern("افطعل", "verb VIII after ص ض ط ظ (اصطبر)"),
    Pattern("افدعل", "verb VIII after د ذ ز (ازدهر)"), Pattern("فعالي", "broken plural فعالى"),
    Pattern("افاعل", "broken plural"), Pattern("فعلوت", "فعلوت (ملكوت)"),
    Pattern("استفعل", "verb X"), Pattern("افتعال", "verbal noun VIII"), Pattern("انفعال", "verbal noun VII"),
    Pattern("مفاعيل", "broken plural"), Pattern("مستفعل", "participle X"), Pattern("متفاعل", "participle VI"),
    Pattern("يستفعل", "present X"), Pattern("تستفعل", "present X"), Pattern("نستفعل", "present X"),
    Pattern("يتفاعل", "present VI"), Pattern("تتفاعل", "present VI"), Pattern("فعاليل", "four-letter plural"),
    Pattern("افطعال", "verbal noun VIII (اصطبار)"), Pattern("مفطعل", "participle VIII (مصطفى)"),
    Pattern("تفاعيل", "plural of تفعيل"), Pattern("افاعيل", "broken plural"),
    Pattern("استفعال", "verbal noun X"),
    Pattern("فعلال", "four-letter verbal noun (زلزال)"), Pattern("يفطعل", "present VIII after ص ض ط ظ"),
    Pattern("تفطعل", "present VIII after ص ض ط ظ"), Pattern("يفدعل", "present VIII after د ذ ز"),
    Pattern("تفدعل", "present VIII after د ذ ز"),
    # Form VIII of a root starting with و (or hamza: اتّخذ): the first letter became the ت.
    Pattern("اتعال", "verbal noun VIII, و-initial root (اتفاق، اتحاد)", WAW),
    Pattern("اتعل", "verb VIII, و-initial root (اتحد، اتخذ)", WAW),
    Pattern("يتعل", "present VIII, و-initial root (يتفق)", WAW),
    Pattern("تتعل", "present VIII, و-initial root", WAW),
    Pattern("نتعل", "present VIII, و-initial root", WAW),
    Pattern("متعل", "participle VIII, و-initial root (متحد)", WAW),
)
# Patterns that only verbs have: never after the article (النادي is not ن + ادي).
VERB_ONLY_PREFIXES = "ين"

# (4) What a letter in a root slot may stand for, in the order tried: (slot letter, slot index
# or -1 for any, readings). A normalized alef is a hamza or a weak letter that became long ا.
WEAK_READINGS: tuple[tuple[str, int, str, str], ...] = (
    (ALEF, 0, HAMZA, "first: a hamza (أخذ)"),
    (ALEF, 1, WAW + YEH + HAMZA, "middle: قال -> قول, باع -> بيع, سأل -> سءل"),
    (ALEF, 2, WAW + YEH + HAMZA, "last: دعا -> دعو, قرأ -> قرء"),
    (ALEF, 3, HAMZA + YEH, "fourth of four"),
    (YEH, 1, YEH + WAW, "middle ي: قيل -> قول"),
    (YEH, 0, YEH + WAW + HAMZA, "first ي: ميزان -> وزن, ايمان -> ءمن"),
    (YEH, 2, YEH + WAW, "last ي: رضي -> رضو"),
    (WAW, 1, WAW + YEH, "middle و"),
    (WAW, 0, WAW + HAMZA, "first و"),
    (WAW, 2, WAW + YEH, "last و"),
    (HAMZA, -1, HAMZA + YEH + WAW, "hamza (seat folded to ء): ذئب; بئر"),
)

# Two letters left: the root lost a weak or doubled letter. (template, why); X Y = the two letters.
WEAK_TWO_LETTER: tuple[tuple[str, str], ...] = (
    ("XYY", "doubled: ظن -> ظنن, رب -> ربب"),
    ("XوY", "hollow, long vowel dropped: قل -> قول, يكن -> كون"),
    ("XيY", "hollow: بع -> بيع"),
    ("وXY", "assimilated: يعد -> وعد, يضع -> وضع"),
    ("XYي", "defective: يرم -> رمي"),
    ("XYو", "defective: يدع -> دعو"),
    ("ءXY", "first hamza dropped: كل -> ءكل, خذ -> ءخذ"),
)


class Costs(NamedTuple):
    proclitic_letter: float = 1.0   # each letter read as a proclitic
    article: float = 0.75            # the article ال (often present, cheap)
    suffix_letter: float = 1.0      # each letter read as an inflection ending
    pronoun_letter: float = 0.75     # each letter read as a pronoun suffix
    pattern_letter: float = 1.0     # each letter the pattern adds
    verb_prefix: float = 1.2        # a present-tense prefix ي ت ن ا taken by a pattern
    weak_reading: float = 0.6       # per rank of a slot letter's reading (WEAK_READINGS order)
    rare_proclitic: float = 1.0     # extra for RARE_PROCLITICS
    conjunction: float = 0.5        # و or ف at the start of the proclitics (instead of proclitic_letter)
    alef_reading: float = 0.6       # a long ا inside or at the end of a root read as و / ي / ء
    two_letter: float = 0.0         # a lost letter restored
    four_letters: float = 1.5       # a four-letter root (rarer than three)
    undictionary: float = 3.0       # a bare three-consonant stem whose root is not in the dictionary


COSTS = Costs()
MIN_STEM = 2
VERB_PREFIXES = "يتن"  # a pattern starting with one of these: the present-tense prefix costs verb_prefix
MAX_SUFFIX_LETTERS = 5


def _slots(form: str) -> tuple[int, ...]:
    return tuple(i for i, ch in enumerate(form) if ch in SLOT_LETTERS)


class _Compiled(NamedTuple):
    order: int
    pattern: Pattern
    slots: tuple[int, ...]
    fixed: Callable[[str], Any] | None  # the pattern's own letters picked out of a stem (C speed)
    expected: Any                       # ... and what they must be


def _compile(order: int, pattern: Pattern) -> _Compiled:
    slots = _slots(pattern.form)
    at = [i for i in range(len(pattern.form)) if i not in slots]
    if not at:
        return _Compiled(order, pattern, slots, None, None)
    expected = pattern.form[at[0]] if len(at) == 1 else tuple(pattern.form[i] for i in at)
    return _Compiled(order, pattern, slots, itemgetter(*at), expected)


_PATTERNS_BY_LENGTH: dict[int, list[_Compiled]] = {}
for _order, _pattern in enumerate(PATTERNS):
    _PATTERNS_BY_LENGTH.setdefault(len(_pattern.form), []).append(_compile(_order, _pattern))


@lru_cache(maxsize=1)
def root_dictionary() -> frozenset[str]:
    """The roots a candidate must be one of (tashaphyne's list; hamza as ء)."""
    from tashaphyne.roots_const import ROOTS  # the list only; see the module docstring

    return frozenset(ROOTS)


@lru_cache(maxsize=None)
def _readings(letter: str, index: int) -> tuple[str, ...]:
    for slot_letter, slot_index, readings, _why in WEAK_READINGS:
        if letter == slot_letter and slot_index in (index, -1):
            return tuple(readings)
    return (letter,)


@lru_cache(maxsize=50_000)
def _root_candidates(letters: str) -> list[tuple[str, int, int]]:
    """Root spellings for the slot letters, with the rank of the readings used (0: first
    choice) and the number of non-initial alefs read as another letter."""
    out: list[tuple[str, int, int]] = [("", 0, 0)]
    for index, letter in enumerate(letters):
        alef = int(letter == ALEF and index > 0)
        out = [(root + r, changed + rank, alefs + alef) for root, changed, alefs in out
               for rank, r in enumerate(_readings(letter, index))]
    return out


@lru_cache(maxsize=200_000)
def _stem_analyses(stem: str, costs: Costs, nominal: bool = False) -> list[tuple[float, int, str]]:
    """(cost, rule order, root) of every dictionary root a stem can come from (``nominal``:
    after the article, so no verb-only pattern). Cached: many words share a stem."""
    roots = root_dictionary()
    found: list[tuple[float, int, str]] = []
    for order, pattern, slots, fixed, expected in _PATTERNS_BY_LENGTH.get(len(stem), ()):
        form = pattern.form
        if fixed is not None and fixed(stem) != expected:
            continue
        if nominal and form[0] in VERB_ONLY_PREFIXES:
            continue
        letters = pattern.implied + "".join(stem[i] for i in slots)
        added = len(form) - len(slots)
        base = added * costs.pattern_letter
        if form[0] in VERB_PREFIXES:
            base += costs.verb_prefix - costs.pattern_letter
        if len(letters) == 4:
            base += costs.four_letters
        for root, changed, alefs in _root_candidates(letters):
            if root in roots:
                found.append((base + changed * costs.weak_reading + alefs * costs.alef_reading, order, root))
    if len(stem) == 2:
        found.extend(_two_letters(stem, 0.0, costs))
    elif len(stem) == 3 and stem[0] in VERB_PREFIXES + ALEF and not (nominal and stem[0] in VERB_ONLY_PREFIXES):
        # يعد تضل اخذ: present prefix + 2 letters
        found.extend(_two_letters(stem[1:], costs.verb_prefix, costs))
    if not found and len(stem) == 3 and not set(stem) & set(ALEF + WAW + YEH + HAMZA):
        found.append((costs.undictionary, len(PATTERNS) + len(WEAK_TWO_LETTER), stem))
    return found


def _two_letters(stem: str, base: float, costs: Costs) -> list[tuple[float, int, str]]:
    x, y = stem
    roots = root_dictionary()
    found = []
    for order, (template, _why) in enumerate(WEAK_TWO_LETTER):
        root = template.replace("X", x).replace("Y", y)
        if root in roots:
            found.append((base + costs.two_letter + order * 0.01, len(PATTERNS) + order, root))
    return found


def _proclitic_cost(text: str, costs: Costs) -> float:
    if not text:
        return 0.0
    extra = costs.rare_proclitic if text in RARE_PROCLITICS else 0.0
    if text[0] in CONJUNCTIONS:  # و ف: the commonest proclitics
        extra += costs.conjunction - costs.proclitic_letter
    if text.endswith("ال") or text.endswith("لل"):
        rest = len(text) - 2
        return costs.article + rest * costs.proclitic_letter + extra
    return len(text) * costs.proclitic_letter + extra


def _suffix_pairs() -> dict[str, tuple[tuple[str, int, int], ...]]:
    """Every ending + pronoun pair (in table order), grouped by the last letter of their text:
    (text, ending letters, pronoun letters). The empty pair is under ""."""
    groups: dict[str, list[tuple[str, int, int]]] = {}
    for pronoun in PRONOUNS:
        for ending in ENDINGS:
            text = ending.text + pronoun.text
            if len(text) <= MAX_SUFFIX_LETTERS:
                groups.setdefault(text[-1:], []).append((text, len(ending.text), len(pronoun.text)))
    return {letter: tuple(pairs) for letter, pairs in groups.items()}


_SUFFIX_PAIRS = _suffix_pairs()


def _splits(word: str, costs: Costs):
    """(cost, stem, after the article?) of each proclitic/suffix split with at least MIN_STEM letters left."""
    for proclitic in PROCLITICS:
        if not word.startswith(proclitic.text):
            continue
        rest = word[len(proclitic.text):]
        pcost = _proclitic_cost(proclitic.text, costs)
        nominal = proclitic.text.endswith(("ال", "لل"))
        for text, ending_letters, pronoun_letters in _SUFFIX_PAIRS[""] + _SUFFIX_PAIRS.get(rest[-1:], ()):
            if text and not rest.endswith(text):
                continue
            stem = rest[: len(rest) - len(text)]
            if len(stem) < MIN_STEM:
                continue
            cost = pcost + ending_letters * costs.suffix_letter + pronoun_letters * costs.pronoun_letter
            yield cost, stem, nominal
            # A pronoun after teh marbuta shows it as ت (رحمته): read ت + pronoun as ة + pronoun.
            if pronoun_letters and not ending_letters and stem.endswith("ت") and len(stem) > 3:
                yield cost + costs.suffix_letter, stem[:-1], nominal


# A hamza on its seat is evidence for the root (مؤمن is ء م ن, مسؤول is س ء ل). The search
# normalization folds ؤ into و as typists drop it (issue 11), which would read مومن as و م ن:
# roots read the word with every seated hamza written ء first.
_SEATED_HAMZA = str.maketrans({"\u0624": HAMZA, "\u0626": HAMZA})


def normalize_for_roots(text: str) -> str:
    """`normalize` with the hamza seats ؤ ئ read as ء: the input ``root_of`` expects."""
    from .normalize import normalize

    return normalize(text.translate(_SEATED_HAMZA))


@lru_cache(maxsize=200_000)
def root_of(word: str) -> str | None:
    """The root of one word normalized by ``normalize_for_roots``, hamza written as alef; None if none."""
    return root_with(word, COSTS)


def root_with(word: str, costs: Costs) -> str | None:
    """``root_of`` with other costs (bench/eval_roots.py --tune)."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) < 2 or not word.isalpha() or word.isascii() or _is_particle(word):
        return None
    best: tuple[float, int, int, str] | None = None
    # Cheapest splits first; analyses cost >= 0, so a split dearer than the best is skipped.
    splits = sorted((cost, order, stem, nominal) for order, (cost, stem, nominal) in enumerate(_splits(word, costs)))
    for split_cost, split_order, stem, nominal in splits:
        if best is not None and split_cost > best[0]:
            break
        for cost, order, root in _stem_analyses(stem, costs, nominal):
            key = (split_cost + cost, order, split_order, root)
            if best is None or key < best:
                best = key
    if best is None:
        return None
    return best[3].replace(HAMZA, ALEF)


def _is_particle(word: str) -> bool:
    """A NO_ROOT word, alone or with the clitics of rule (1b)."""
    for proclitic in PARTICLE_PROCLITICS:
        if not word.startswith(proclitic):
            continue
        rest = word[len(proclitic):]
        if rest in NO_ROOT:
            return True
        if rest[:1] in BARE_PREPOSITIONS and rest[1:] in PREPOSITION_HOSTS:
            return True
        if rest[:1] in ("ب", "ل") and rest[1:] in BARE_PRONOUNS and not (proclitic and rest[1:] == "ي"):
            return True  # له بها لكم; but ولي is a word
        for pronoun in PRONOUNS:
            if pronoun.text and rest.endswith(pronoun.text) and rest[: -len(pronoun.text)] in PRONOUN_HOSTS:
                return True
    return False


def normalize_root(text: str) -> str:
    """A root as typed (``ك ت ب``, ``ك-ت-ب``, ``كَتَبَ``, ``سأل``), in the index's spelling (``سال``)."""
    from .normalize import normalize

    letters = "".join(ch for ch in normalize(text) if ch.isalpha())
    return letters.replace(HAMZA, ALEF)
