"""Search normalization of Arabic (and any) text: ``normalize(text) -> str``.

The rules, in the order they apply (each is a table row below; add a rule = one row here
plus one test row in tests/test_analysis_rules.py):

1. Compatibility forms -> base letters (Unicode NFKC): presentation forms and lam-alef
   ligatures (U+FB50-U+FDFF, U+FE70-U+FEFF), alef + combining hamza/madda -> أ/آ, full-width Latin.
2. Qur'anic (Uthmani) spelling, before the marks that carry it are removed
   (``CONTEXT_RULES``): the superscript (dagger) alef U+0670 after a letter reads as a written
   alef (ٱلْعَـٰلَمِينَ = العالمين), except in the words whose everyday spelling has no alef
   (``SILENT_DAGGER_WORDS``: ذٰلك هٰذا هٰؤلاء الرحمٰن أولٰئك لٰكن إلٰه ...); ىٰ at a word's end reads
   as ى; a bare وٰ or ىٰ inside a word reads as ا (الصلوٰة = الصلاة) but وَٰ keeps its waw
   (السمٰوٰت = السماوات); ءا, and hamza above tatweel + alef, before more letters read as آ
   (القرءان = القرآن, ٱلْـَٔاخِرَة = الآخرة); a vocalized medial hamza takes its imla'i seat from the
   vowels (``_seat_hamza``: شَيْـًٔا = شيئا, أَرَءَيْتُم = أرأيتم); the small waw/yeh after ه are not
   written (بِهِۦ = به), elsewhere they are the letter (دَاوُۥدَ = داوود); the joined vocative يَـٰ
   becomes يا + space (يَـٰٓأَيُّهَا = يا أيها); whole words no letter rule reaches
   (``_QURANIC_WORDS``: ٱلَّيْل = الليل).
3. Removed (``DELETED``): harakat and tanwin U+064B-U+065F, the dagger alef left over,
   Qur'anic annotation marks U+0610-U+061A and U+06D6-U+06ED, tatweel U+0640, zero-width
   joiner/non-joiner, bidi controls (LRM, RLM, ALM, embeddings, isolates), BOM, soft hyphen.
4. Letters folded (``FOLDED``): alef forms أ إ آ ٱ ٲ ٳ ٵ -> ا; alef maksura ى and Farsi yeh ی -> ي;
   keheh ک ڪ -> ك; heh forms ە ۀ ھ ہ -> ه; teh marbuta ة -> ه (as Lucene does: it merges
   مدرسة/مدرسه, spellings that both occur in web text); Arabic-Indic and extended digits -> 0-9.
   Hamza seats as typists write them (measured by bench/analysis_classes.py, docs/EVALUATION.md
   "Issue 11: analysis classes"): ؤ -> و, the seat typists drop (مؤتمر = موتمر, يؤدي = يودي); ئ
   before و -> و, the other spelling of ؤو (مسئول = مسؤول, شئون = شؤون; ``SEAT_SEQUENCES``); ؤ
   after ا -> ء, where the seat only marks the case (أسماؤه = أسمائه = أسماءه);
   any other ئ -> ء, where writers disagree on the seat (شيئ/شيء) but folding to ي would merge
   names with adjectives (فايز/فائز, زايد/زائد, نايف/نائف) and لئلا with ليلا.
5. Latin (and every cased script) lowercased.
"""

from __future__ import annotations

import re
import unicodedata

from .tables import ARABIC_INDIC_DIGITS, ASCII_DIGITS, BIDI_AND_ZERO_WIDTH, CONJUNCTIONS, EXTENDED_DIGITS, TATWEEL

DAGGER_ALEF = "\u0670"
HAMZA = "\u0621"
ALEF = "\u0627"
ALEF_MADDA = "\u0622"
ALEF_MAKSURA = "\u0649"
WAW = "\u0648"
YEH = "\u064a"

# Harakat (fatha ... sukun) and the other combining marks of the Arabic block.
HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0660))
QURANIC_MARKS = "".join(chr(c) for c in range(0x0610, 0x061B)) + "".join(
    chr(c) for c in range(0x06D6, 0x06EE)
)
# Everything that may sit on a letter inside a word: tokenizer and context rules use it.
MARKS = HARAKAT + DAGGER_ALEF + QURANIC_MARKS + "".join(chr(c) for c in range(0x08D3, 0x0900))
_MARKS_CLASS = "[" + re.escape(MARKS) + "]"

# Rule 3: characters removed outright.
DELETED = MARKS + TATWEEL + BIDI_AND_ZERO_WIDTH

# Rule 4: one row per folded letter: (characters, replacement, why).
FOLDED: tuple[tuple[str, str, str], ...] = (
    ("\u0623\u0625\u0622\u0671\u0672\u0673\u0675", ALEF, "alef with hamza/madda/wasla -> bare alef"),
    (ALEF_MAKSURA + "\u06cc", YEH, "alef maksura and Farsi yeh -> yeh"),
    ("\u06a9\u06aa", "\u0643", "keheh and swash kaf -> kaf"),
    ("\u06d5\u06c0\u06be\u06c1", "\u0647", "ae, heh with yeh, heh doachashmee, heh goal -> heh"),
    ("\u0629", "\u0647", "teh marbuta -> heh"),
    ("\u0624", WAW, "hamza on waw -> waw: typists drop the hamza (مؤتمر = موتمر)"),
    ("\u0626", HAMZA, "hamza on yeh -> hamza: seat spellings vary (شيئ = شيء)"),
    (ARABIC_INDIC_DIGITS, ASCII_DIGITS, "Arabic-Indic digits"),
    (EXTENDED_DIGITS, ASCII_DIGITS, "extended digits"),
)


# Rule 4, hamza seats decided by their neighbour, before the single letters are folded (marks
# may sit between the letters): (pattern, replacement, why).
_ANY_MARKS = f"[{re.escape(MARKS)}{TATWEEL}]*"
SEAT_SEQUENCES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(f"\u0626(?={_ANY_MARKS}{WAW})"), WAW,
     "ئ before و -> و: the Egyptian seat of ؤو (مسئول = مسؤول, شئون = شؤون)"),
    (re.compile(f"(?<=[\u0627\u0622])({_ANY_MARKS})\u0624"), r"\1" + HAMZA,
     "ؤ after ا -> ء: after a long alef the seat only marks the case "
     "(أسماؤه = أسمائه = أسماءه, شُرَكَآؤُهُمْ = شركائهم, تفاؤل = تفائل)"),
)
_SEATS = frozenset("\u0624\u0626")


def fold_seat_sequences(text: str) -> str:
    if _SEATS.isdisjoint(text):
        return text
    for pattern, replacement, _why in SEAT_SEQUENCES:
        text = pattern.sub(replacement, text)
    return text


# Rule 4 as one mapping per letter (the digit rows map position by position).
LETTER_FOLDS: dict[str, str] = {
    ch: rep for chars, replacement, _why in FOLDED
    for ch, rep in (zip(chars, replacement, strict=True) if len(replacement) > 1 else ((c, replacement) for c in chars))
}
LETTERS_ONLY_FOLDS: dict[str, str] = {ch: rep for ch, rep in LETTER_FOLDS.items() if not rep.isdigit()}


def _translation_table() -> dict[int, str | None]:
    return {**{ord(ch): None for ch in DELETED}, **{ord(ch): rep for ch, rep in LETTER_FOLDS.items()}}


TRANSLATION = _translation_table()

# Rule 2: words of the Qur'anic text (and quran-simple.txt) whose dagger alef is not written
# in everyday spelling. Matched on the word with its marks and tatweel removed, the dagger kept,
# the alef forms folded; a leading clitic (و ف ب ك ل ال) may precede them.
SILENT_DAGGER_WORDS: tuple[str, ...] = (
    "ذٰلك",  # ذلك ذلكم كذلك
    "هٰذ",  # هذا هذه هذان
    "هٰؤلا",  # هؤلاء
    "هٰانتم",  # هأنتم
    "رحمٰن",  # الرحمن
    "اولٰئك",  # أولئك
    "لٰكن",  # لكن لكنّ
    "الٰه",  # إله إلهكم الإله
    "اللٰه",  # اللهم written with dagger in some copies
)

# Rule 2 as regular expressions over the raw word (marks may sit between the letters).
_M = _MARKS_CLASS + "*"
FATHA, DAMMA, KASRA, SUKUN, SHADDA = "\u064e", "\u064f", "\u0650", "\u0652", "\u0651"
HAMZA_ABOVE, MADDA_ABOVE, SMALL_WAW, SMALL_YEH, SMALL_HIGH_YEH = "\u0654", "\u0653", "\u06e5", "\u06e6", "\u06e7"
_NOT_AFTER_WORD = f"(?<![\\w{re.escape(MARKS)}])"
CONTEXT_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    # وٰ / ىٰ inside a word, the dagger straight on the carrier: the carrier is silent
    # (ٱلصَّلَوٰةَ = الصلاة, مُزْجَىٰةٍ). With a fatha between (ٱلسَّمَـٰوَٰتِ) the و is read: rule below.
    (re.compile(f"[{WAW}{ALEF_MAKSURA}]{DAGGER_ALEF}(?={_M}{TATWEEL}?\\w)"), ALEF,
     "bare waw/alef maksura + dagger alef inside a word -> alef"),
    # ىٰ at a word's end: the alef maksura stays (موسىٰ = موسى); the dagger goes.
    (re.compile(f"{ALEF_MAKSURA}({_M}){DAGGER_ALEF}(?!{_M}{TATWEEL}?\\w)"), ALEF_MAKSURA + r"\1",
     "alef maksura + dagger alef at a word's end -> alef maksura"),
    # The vocative يا written joined to its noun (يَـٰٓأَيُّهَا, يَـٰقَوْمِ): two words, as in imla'i text.
    (re.compile(f"{_NOT_AFTER_WORD}([{''.join(CONJUNCTIONS)}]{_M})?{YEH}{FATHA}?{TATWEEL}{DAGGER_ALEF}{MADDA_ABOVE}?(?=\\w)"),
     r"\1" + YEH + ALEF + " ", "joined vocative ya -> ya + space"),
    # ءا inside a word (hamza + optional marks + alef + a following letter) -> آ (القرءان).
    # The hamza may sit on the line or above a tatweel (ٱلْـَٔاخِرَةِ, بِـَٔايَـٰتِنَا, ءَادَمَ).
    (re.compile(f"(?:{TATWEEL}{_M}{HAMZA_ABOVE}|{HAMZA})({_M}){ALEF}(?={_M}\\w)"), ALEF_MADDA + r"\1",
     "hamza + alef before more letters -> alef madda"),
    # Small yeh / small waw: a lengthened pronoun vowel after ه (بِهِۦ, إِنَّهُۥ) is not written in
    # imla'i spelling; elsewhere they stand for the letter (يُحْىِۦ = يحيي, دَاوُۥدَ = داوود, إبرٰهـۧم).
    (re.compile(f"(?<=\u0647)({_M})[{SMALL_WAW}{SMALL_YEH}]"), r"\1", "small waw/yeh after heh -> nothing"),
    (re.compile(f"{TATWEEL}?[{SMALL_YEH}{SMALL_HIGH_YEH}]"), YEH, "small yeh -> yeh"),
    (re.compile(SMALL_WAW), WAW, "small waw -> waw"),
)

# A vocalized hamza in the middle of a word (on the line, or above a tatweel: شَيْـًٔا) takes the
# seat imla'i spelling gives it: the strongest of its own vowel and the previous letter's
# (kasra or a preceding ي > damma > fatha) picks ئ, ؤ or أ; after a word-initial alef (أَءِذَا)
# and at a word's start (ءَأَنتُمْ) it is an alef.
_VOWEL_SEAT = ((KASRA + "\u064d", "\u0626"), (DAMMA + "\u064c", "\u0624"), (FATHA + "\u064b", "\u0623"))
_MEDIAL_HAMZA = re.compile(
    f"(?P<prev>[\\w]{_M})?(?P<hamza>{TATWEEL}{_M}{HAMZA_ABOVE}|{HAMZA})(?P<marks>{_M})(?=\\w)"
)
_ALEFS = "\u0627\u0623\u0625\u0622\u0671"


def _seat_hamza(match: re.Match[str]) -> str:
    prev, marks = match.group("prev") or "", match.group("marks")
    if match.group("hamza") == HAMZA and not (set(marks) & set(FATHA + DAMMA + KASRA + "\u064b\u064c\u064d")):
        return match.group()  # unvocalized text: no vowel to decide by, leave it
    if not prev or prev[0] in _ALEFS and match.start() == 0:
        return prev + ALEF + marks
    # The hamza's own vowel may sit before it on the tatweel (مَسْـُٔولًا): it counts too.
    vowels = marks + match.group("hamza") + prev[1:] + (KASRA if prev[0] in YEH + ALEF_MAKSURA else "")
    seat = next((s for vs, s in _VOWEL_SEAT if set(vs) & set(vowels)), "\u0623")
    return prev + seat + marks


# The dagger alef after a letter (possibly with marks and tatweel between) reads as alef.
_DAGGER_AFTER_LETTER = re.compile(f"(?<=\\w)({_M}){TATWEEL}?{DAGGER_ALEF}")
_SILENT_KEY_DROP = str.maketrans({**{ord(c): None for c in MARKS.replace(DAGGER_ALEF, "") + TATWEEL},
                                  **{ord(c): ALEF for c in FOLDED[0][0]}})
_WORD_WITH_DAGGER = re.compile(f"[\\w{re.escape(MARKS)}]*{DAGGER_ALEF}[\\w{re.escape(MARKS)}]*")


def _dagger_alef(word_match: re.Match[str]) -> str:
    """Rewrite one word holding a dagger alef: silent in SILENT_DAGGER_WORDS, else an alef."""
    word = word_match.group(0)
    key = word.translate(_SILENT_KEY_DROP)
    if any(silent in key for silent in SILENT_DAGGER_WORDS):
        return word  # the dagger is deleted by rule 3
    return _DAGGER_AFTER_LETTER.sub(r"\1" + ALEF, word)


# Whole Qur'anic words whose spelling no letter rule can reach (after the other rules).
_QURANIC_WORDS = {"اليل": "الليل"}
_QURANIC_WORD = re.compile(r"(?<!\w)([وفب]?)(" + "|".join(_QURANIC_WORDS) + r")(?!\w)")

# One written word that stands for two or three (rule 2, after the letter folds): typed
# joined forms of the vocative and the ها of attention, and the one Uthmani word no split
# of the tokenizer reaches (its letters do not divide: يَبْنَؤُمَّ = يا ابن أم). The tokenizer
# splits the Uthmani يَـٰٓأَيُّهَا / هَـٰٓأَنتُمْ itself (tokenize.JOINED_FIRST_WORDS); these
# rows give the same words to a query typed ياأيها, يأيها or يايها.
JOINED_WORDS: tuple[tuple[str, str, str], ...] = (
    ("ياأيها", "يا أيها", "vocative typed joined"),
    ("يأيها", "يا أيها", "vocative typed joined, one alef (as in Uthmani)"),
    ("يايها", "يا أيها", "vocative typed joined, hamza dropped"),
    ("ياأيتها", "يا أيتها", "vocative (feminine) typed joined"),
    ("يأيتها", "يا أيتها", "vocative (feminine) typed joined, one alef"),
    ("يايتها", "يا أيتها", "vocative (feminine) typed joined, hamza dropped"),
    ("هأنتم", "ها أنتم", "ها of attention typed joined (هَـٰٓأَنتُمْ)"),
    ("هاأنتم", "ها أنتم", "ها of attention typed joined"),
    ("يبنؤم", "يا ابن أم", "Uthmani يَبْنَؤُمَّ"),
)
_JOINED_WORDS: dict[str, str] = {written.translate(TRANSLATION): words.translate(TRANSLATION)
                                 for written, words, _why in JOINED_WORDS}
_JOINED_WORD = re.compile(r"(?<!\w)(" + "|".join(_JOINED_WORDS) + r")(?!\w)")


def apply_word_rules(normalized: str) -> str:
    """Whole-word spellings on normalized text: Uthmani ٱلَّيْل = الليل, joined words."""
    if "اليل" in normalized:
        normalized = _QURANIC_WORD.sub(lambda m: m.group(1) + _QURANIC_WORDS[m.group(2)], normalized)
    if normalized in _JOINED_WORDS:  # the usual case: one word
        return _JOINED_WORDS[normalized]
    if " " in normalized:
        normalized = _JOINED_WORD.sub(lambda m: _JOINED_WORDS[m.group(1)], normalized)
    return normalized


def apply_context_rules(text: str) -> str:
    """Rule 2: Qur'anic spellings that depend on neighbouring letters."""
    for pattern, replacement, _why in CONTEXT_RULES:
        text = pattern.sub(replacement, text)
    if HAMZA in text or HAMZA_ABOVE in text:
        text = _MEDIAL_HAMZA.sub(_seat_hamza, text)
    if DAGGER_ALEF in text:
        text = _WORD_WITH_DAGGER.sub(_dagger_alef, text)
    return text


_HAMZA_ALEF_INSIDE = re.compile(f"{HAMZA}{ALEF}(?=\\w)")  # what the ءا -> آ rule of CONTEXT_RULES matches, unvocalized
_NEEDS_CONTEXT = frozenset(DAGGER_ALEF + HAMZA + HAMZA_ABOVE + SMALL_WAW + SMALL_YEH + SMALL_HIGH_YEH)


# Bare Arabic letters (no hamza on the line, no marks, no compatibility forms): only the
# letter folding of rule 4 can apply. Most words of unvocalized text take this fast path.
_PLAIN_ARABIC_WORD = re.compile("[\u0622-\u0626\u0627-\u063a\u0641-\u064a]+")


def fold_plain_word(text: str) -> str | None:
    """``normalize(text)`` for a word of bare Arabic letters, cheaply; None for anything else."""
    if _PLAIN_ARABIC_WORD.fullmatch(text) and not text.endswith("اليل"):
        folded = fold_seat_sequences(text).translate(TRANSLATION)
        if HAMZA + ALEF in folded and _HAMZA_ALEF_INSIDE.search(folded):
            return None  # ئا folded to ءا reads as آ: the full path applies rule 2 again
        return _JOINED_WORDS.get(folded, folded)
    return None


def normalize(text: str) -> str:
    """Search normalization of any text (rules 1-5 of the module docstring).

    Idempotent: ``normalize(normalize(x)) == normalize(x)`` (tests/test_analysis_idempotence.py
    checks it on every verse of both Tanzil scripts and on arbitrary text).
    """
    folded = fold_plain_word(text)
    if folded is not None:
        return folded
    for _ in range(4):  # a fixpoint: folding or lowercasing can make a rule apply again, rarely
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if not _NEEDS_CONTEXT.isdisjoint(text):
            text = apply_context_rules(text)
        text = apply_word_rules(fold_seat_sequences(text).translate(TRANSLATION).lower())
        # ئا folded to ءا (سيئات -> سيءات) reads as آ like the Uthmani ءا: one more round.
        if unicodedata.is_normalized("NFKC", text) and not (HAMZA + ALEF in text and _HAMZA_ALEF_INSIDE.search(text)):
            break
    return text


def strip_marks(text: str) -> str:
    """Remove diacritics and tatweel only (no letter folding)."""
    return text.translate({ord(c): None for c in MARKS + TATWEEL})
