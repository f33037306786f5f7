"""Stemmers behind one interface: ``STEMMERS[name](normalized_word) -> stem``.

``light10`` (the default) is a light stemmer in the family of Larkey, Ballesteros & Connell's
light10, built from the tables below; each row is one rule. It works on NORMALIZED words
(أ/إ/آ -> ا, ة -> ه, ى -> ي), so the tables are written in normalized spelling.

Order: (1) ``IRREGULAR`` whole words; (2) a loop that strips at most ``MAX_PREFIXES`` leading
clitics, longest first, each only while ``min_rest`` letters remain and the word is not
``PROTECTED`` (a real word that starts like a clitic), in the order Arabic attaches them
(``CLITIC_ORDER``: conjunction, then preposition, then article; nothing after the article, so
الفطرة is ال + فطرة, never ال + ف + طرة); a preposition ب ل ك also comes off a short word in
``WORDS_AFTER_PREPOSITION`` (ليوسف, بمحمد, لكرة); (3) one pass over ``SUFFIXES`` in order, each
stripped once when ``min_rest`` letters remain.

Why a loop of prefixes rather than light10's single one: the stem of ``clitic + word`` then
equals the stem of ``word`` whenever the guard holds, so ``بواشنطن`` and ``واشنطن``, ``لبريطانيا`` and
``بريطانيا`` meet, even when the stem itself is not a word. The guards are letter counts of
what remains, so short words (``بغداد`` has no clitic; ``وزير`` is protected) are left alone.

Alternatives: ``snowball`` (Snowball Arabic via PyStemmer) and ``none``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .tables import ARTICLE, CONJUNCTIONS, PREPOSITIONS


class Affix(NamedTuple):
    text: str
    min_rest: int  # letters that must remain after stripping
    why: str


# (1) Whole words with their stem: forms the general rules would split wrongly.
IRREGULAR: dict[str, str] = {
    "الله": "الله", "لله": "الله", "بالله": "الله", "والله": "الله", "فالله": "الله",
    "تالله": "الله", "اللهم": "الله", "ولله": "الله", "فلله": "الله",
    # لبنان: its ل is taken for the preposition after لل, and its ان for the dual.
    "لبنان": "لبنان", "للبنان": "لبنان", "ولبنان": "لبنان", "بلبنان": "لبنان", "فلبنان": "لبنان",
}

# (2) Leading clitics, tried longest first.
PREFIXES: tuple[Affix, ...] = (
    Affix("وبال", 2, "and-with-the"), Affix("وكال", 2, "and-like-the"), Affix("فبال", 2, "so-with-the"),
    Affix("ولل", 2, "and-for-the"), Affix("فلل", 2, "so-for-the"),
    Affix("وال", 2, "and-the"), Affix("فال", 2, "so-the"), Affix("بال", 2, "with-the"),
    Affix("كال", 2, "like-the"), Affix("لل", 2, "for-the"), Affix("ال", 2, "the"),
    Affix("و", 3, "and"), Affix("ف", 3, "so"),
    Affix("ب", 5, "with/in: long words only (بواشنطن), short ones are usually roots (بلد)"),
    Affix("ل", 5, "for: long words only (لبريطانيا)"),
    Affix("ك", 5, "like: long words only"),
)
MAX_PREFIXES = 3

# Real words that begin like a conjunction or preposition: never strip their first letter.
PROTECTED: tuple[str, ...] = (
    "وزير", "وزار", "وزرا", "وجود", "وحده", "وحد", "وطن", "وقت", "وضع", "وصل", "ولد", "وجه", "وفد",
    "وكال", "ولاي", "واشنطن", "وسط", "وعد", "وثيق", "وفق", "وقف", "وفر", "وفا", "ورق", "وزن", "واقع",
    "واجب", "وادي", "واحد", "وظيف",
    "فلسطين", "فرنس", "فريق", "فتر", "فكر", "فصل", "فرص", "فعل", "فوز", "فندق", "فيلم", "فيروس",
    "فرد", "فهم", "فضل", "فقر", "فتح", "فرق", "فرع", "فساد", "فاعل", "فوق", "فيديو", "فبراير",
    "بريطاني", "برنامج", "برامج", "برلمان", "بلدي", "بيان", "بطول", "بترول", "بورص", "بنك", "بنوك",
    "لبنان", "ليبي", "لجن", "لقاء", "لاعب", "كاميرا", "كويت", "كتاب", "كلم", "كبير",
    # Found by bench/analysis_classes.py (issue 11): a first letter taken for a clitic.
    "والد",  # والد والدة والدين الوالدين: parent, not و + الد
    "فتا", "فتي",  # فتاة فتاوى فتية فتيان: not ف + تاة
    "فطر",  # فطرة فطور فطري
    "فنان", "فنون", "فني",  # not ف + نان
)

# Where each clitic stands in a word (CONJUNCTIONS, PREPOSITIONS, the ARTICLE of tables.py):
# a prefix row may be stripped only after rows that end earlier in this order (و before
# بال, never ف after ال: الفطرة, الفنان, الوالدين, الأليم keep their first letter).
CLITIC_ORDER: dict[str, int] = {**dict.fromkeys(CONJUNCTIONS, 0), **dict.fromkeys(PREPOSITIONS, 1), ARTICLE: 2}
_ARTICLE_SLOT = CLITIC_ORDER[ARTICLE]


def _clitic_slots(prefix: str) -> tuple[int, int]:
    """(slot of its first clitic, slot of its last) for a prefix row: وبال -> (0, 2), لل -> (1, 2)."""
    last = CLITIC_ORDER[ARTICLE] if prefix.endswith((ARTICLE, "لل")) else CLITIC_ORDER[prefix[-1]]
    first = CLITIC_ORDER[ARTICLE] if prefix == ARTICLE else CLITIC_ORDER[prefix[0]]
    return first, last


# Short words (3-4 letters) that a preposition ب ل ك may precede although the length guard
# would keep it (بلد, لعب are roots): names a reader searches for without the preposition,
# and the most frequent splits bench/analysis_classes.py found in the news corpora
# (لكرة القدم, لمدة, بمدينة, للعمل/لعمل).
WORDS_AFTER_PREPOSITION: frozenset[str] = frozenset({
    "يوسف", "موسي", "عيسي", "يحيي", "محمد", "احمد", "داود", "نوح", "لوط", "هود", "ادم", "مريم", "هارون",
    "مصر", "قطر", "عمان", "غزه", "جده", "مكه", "دبي", "تونس", "ليبيا", "بغداد",
    "كره", "مده", "مدينه", "عمل",
})

# (3) Suffixes in the order they are tried; pronouns before number/gender endings.
SUFFIXES: tuple[Affix, ...] = (
    Affix("هما", 3, "their (dual)"), Affix("كما", 3, "your (dual)"),
    Affix("ها", 3, "her/its"), Affix("هم", 3, "their"), Affix("هن", 3, "their (f.)"),
    Affix("كم", 3, "your (pl.)"), Affix("نا", 3, "our / we"), Affix("تم", 3, "you did"),
    # ه before the plural endings: مقالاته -> مقالات -> مقال.
    Affix("ه", 3, "his / teh marbuta (normalized)"),
    Affix("وا", 3, "verb plural (قالوا)"),
    Affix("ات", 3, "feminine plural"), Affix("ان", 3, "dual"), Affix("ون", 3, "plural"),
    Affix("ين", 3, "plural / dual oblique"), Affix("يه", 3, "nisba feminine (ية)"),
    # يا after ان so that بريطانيا stops at بريطان, like بريطاني.
    Affix("يا", 3, "country names (ليبيا = ليبي)"), Affix("ي", 3, "nisba / my"),
    Affix("ا", 3, "accusative tanwin alef and foreign names (كبيرا, امريكا, كاميرا)"),
)


# A teh marbuta becomes ت before a pronoun (حكومة + ه = حكومته): after a pronoun is stripped,
# a final ت is dropped like the teh marbuta it stands for, when at least this many letters
# remain with it (حكومت -> حكوم; but بيوت, ثابت, سكوت keep theirs), and never after ات.
PRONOUNS = frozenset({"هما", "كما", "ها", "هم", "هن", "كم", "نا", "ه"})
TEH_BEFORE_PRONOUN_MIN = 5


def _by_letter(affixes: tuple[Affix, ...], index: int) -> dict[str, tuple[tuple[int, Affix], ...]]:
    """Affixes grouped by their first (index 0) or last (index -1) letter, in table order.

    Only a word's own first/last letter is looked up: the stemmer runs once per distinct
    word form, and trying every row for every word was most of its cost.
    """
    groups: dict[str, list[tuple[int, Affix]]] = {}
    for order, affix in enumerate(affixes):
        groups.setdefault(affix.text[index], []).append((order, affix))
    return {letter: tuple(rows) for letter, rows in groups.items()}


def _strip_suffixes(word: str) -> str:
    by_last = _GROUPED.suffixes_by_last
    pronoun_stripped, next_row = False, 0
    while word:
        for order, suffix in by_last.get(word[-1], ()):
            if order >= next_row and word.endswith(suffix.text) and len(word) - len(suffix.text) >= suffix.min_rest:
                word = word[: -len(suffix.text)]
                pronoun_stripped = pronoun_stripped or suffix.text in PRONOUNS
                next_row = order + 1
                break
        else:
            break
    if pronoun_stripped and word.endswith("ت") and not word.endswith("ات") and len(word) >= TEH_BEFORE_PRONOUN_MIN:
        word = word[:-1]
    return word


# For these, ``min_rest`` counts the letters left once suffixes are gone too (بيوتهم keeps its ب).
# They are also tried after the article, with the same guard: not because Arabic writes ب after
# ال, but so that a word the guard takes as ب/ل/ك + stem stems alike with and without the
# article (كمبيوتر and الكمبيوتر both -> مبيوتر); otherwise the bare form and the article form of
# every such word would never meet.
GUARD_ON_STEM = frozenset({"ب", "ل", "ك"})


def _strip_prefixes(word: str, article: bool = True) -> str:
    """``article=False``: rows that end with the article are not tried."""
    by_first, protected = _GROUPED.prefixes_by_first, _GROUPED.protected_by_first
    next_slot = 0  # the earliest clitic slot still allowed (CLITIC_ORDER)
    for _ in range(MAX_PREFIXES):
        first = word[:1]
        if word.startswith(protected.get(first, ())):
            return word
        for _order, prefix in by_first.get(first, ()):
            slots = _SLOTS[prefix.text]
            if (slots[0] < next_slot and not (next_slot > _ARTICLE_SLOT and prefix.text in GUARD_ON_STEM)) \
                    or not word.startswith(prefix.text) or (not article and slots[1] == _ARTICLE_SLOT):
                continue
            rest = word[len(prefix.text):]
            if _guard_holds(prefix, rest):
                word, next_slot = rest, slots[1] + 1
                break
        else:
            return word
    return word


def _guard_holds(prefix: Affix, rest: str) -> bool:
    """Enough letters left after the prefix (for ب ل ك: once suffixes are gone too)."""
    if len(rest) < prefix.min_rest and not (prefix.text in GUARD_ON_STEM and rest in WORDS_AFTER_PREPOSITION):
        return False
    if prefix.text in GUARD_ON_STEM:
        return rest in WORDS_AFTER_PREPOSITION or len(_strip_suffixes(rest)) >= prefix.min_rest
    return True


class _Grouped(NamedTuple):
    suffixes_by_last: dict[str, tuple[tuple[int, Affix], ...]]
    prefixes_by_first: dict[str, tuple[tuple[int, Affix], ...]]
    protected_by_first: dict[str, tuple[str, ...]]


def regroup() -> None:
    """Rebuild the per-letter views of the tables (call after changing a table at run time)."""
    global _GROUPED, _SLOTS
    protected: dict[str, list[str]] = {}
    for word in PROTECTED:
        protected.setdefault(word[:1], []).append(word)
    _GROUPED = _Grouped(_by_letter(SUFFIXES, -1), _by_letter(PREFIXES, 0),
                        {letter: tuple(words) for letter, words in protected.items()})
    _SLOTS = {prefix.text: _clitic_slots(prefix.text) for prefix in PREFIXES}


_GROUPED: _Grouped
_SLOTS: dict[str, tuple[int, int]]  # prefix row -> (slot of its first clitic, of its last)
regroup()


def light10(word: str, *, article: bool = True) -> str:
    """The default light stemmer (see the module docstring for the rules).

    ``article=False``: the ال after the word's clitics is not the article (the writer spelled
    أل/إل/آل: أليم, وألوان), so it stays: أليم stems like الأليم."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if not word.isalpha() or word.isascii():
        return word  # numbers, Latin and mixed tokens are not Arabic words
    return _strip_suffixes(_strip_prefixes(word, article))


def no_stem(word: str) -> str:
    return word


_snowball = None


def snowball(word: str) -> str:
    """Snowball Arabic (PyStemmer), for comparison."""
    global _snowball
    if _snowball is None:
        import Stemmer  # PyStemmer: imported lazily, most runs never use it

        _snowball = Stemmer.Stemmer("arabic")
    return _snowball.stemWord(word)


STEMMERS: dict[str, Callable[[str], str]] = {"light10": light10, "snowball": snowball, "none": no_stem}


def get_stemmer(name: str) -> Callable[[str], str]:
    try:
        return STEMMERS[name]
    except KeyError:
        raise ValueError(f"unknown stemmer {name!r}; choose one of {', '.join(STEMMERS)}") from None
