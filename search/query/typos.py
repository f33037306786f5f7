"""What Arabic typists get wrong, as edit costs: `typing_distance(typed, meant)` is an
optimal-string-alignment distance where the usual slips cost less than an arbitrary edit
(table `EDIT_COSTS`): a neighbouring key on the Arabic (PC 101) keyboard, a confusable
letter (hamza seats, teh marbuta as ت/ه/ا, letters alike by sound), a dropped or doubled
letter, a long vowel added or dropped, two neighbouring letters swapped. Did-you-mean
(search/suggest.py) and fuzzy words (`word~`, vocab.fuzzy_terms) both rank by it. Works on
normalized text (search/../index/analysis.normalize).
"""

from __future__ import annotations

from bahth.index.analysis import normalize

# The Arabic keyboard (PC 101 layout), rows top to bottom; "\0" is the لا key. Keys at the
# same index of two rows touch (each row sits half a key to the right of the one above).
KEYBOARD_ROWS = ("ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤر\0ىةوزظ")
# Letters typists confuse by sound or spelling convention (normalized forms).
CONFUSABLE = (
    ("ا", "ء"), ("ء", "ؤ"), ("ء", "ئ"), ("ؤ", "و"), ("ئ", "ي"),   # hamza and its seats
    ("ه", "ت"), ("ا", "ه"),                                      # teh marbuta as ت, ه or ا
    ("ض", "ظ"), ("ذ", "ز"), ("ث", "س"), ("ص", "س"), ("د", "ذ"), ("ط", "ت"), ("ق", "ك"), ("ح", "ه"),
)
LONG_VOWELS = "اوي"
# The cost of one edit, by kind; 1.0 is an arbitrary edit.
EDIT_COSTS = {
    "doubled": 0.4,      # a letter typed twice or a doubled letter typed once (اليمنن -> اليمن)
    "swap": 0.5,         # two neighbouring letters swapped (وشانطن -> واشنطن)
    "near": 0.5,         # a neighbouring key or a confusable letter (الحكومه / الحكومت)
    "vowel": 0.6,        # a long vowel added or dropped (واشنطون -> واشنطن)
    "other": 1.0,
}
def _keyboard_neighbours() -> dict[str, set[str]]:
    keys = {}
    for r, row in enumerate(KEYBOARD_ROWS):
        for i, key in enumerate(row):
            keys[(r, i)] = key
    near: dict[str, set[str]] = {}
    for (r, i), key in keys.items():
        touching = [(r, i - 1), (r, i + 1), (r - 1, i), (r - 1, i + 1), (r + 1, i - 1), (r + 1, i)]
        for other in (keys.get(t) for t in touching):
            if other and key != "\0" and other != "\0":
                a, b = normalize(key), normalize(other)
                if a != b:
                    near.setdefault(a, set()).add(b)
    for a, b in CONFUSABLE:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    return near


NEAR = _keyboard_neighbours()


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return EDIT_COSTS["near"] if b in NEAR.get(a, ()) else EDIT_COSTS["other"]


def _indel(word: str, i: int) -> float:
    """Cost of adding/dropping word[i] (given its neighbours in that word)."""
    letter = word[i]
    if (i > 0 and word[i - 1] == letter) or (i + 1 < len(word) and word[i + 1] == letter):
        return EDIT_COSTS["doubled"]
    return EDIT_COSTS["vowel"] if letter in LONG_VOWELS else EDIT_COSTS["other"]


def typing_distance(typed: str, meant: str) -> float:
    """Weighted optimal-string-alignment distance from `meant` to what was `typed`."""
    rows = [[0.0] * (len(meant) + 1) for _ in range(len(typed) + 1)]
    for i in range(1, len(typed) + 1):
        rows[i][0] = rows[i - 1][0] + _indel(typed, i - 1)
    for j in range(1, len(meant) + 1):
        rows[0][j] = rows[0][j - 1] + _indel(meant, j - 1)
    for i in range(1, len(typed) + 1):
        for j in range(1, len(meant) + 1):
            best = min(rows[i - 1][j] + _indel(typed, i - 1), rows[i][j - 1] + _indel(meant, j - 1),
                       rows[i - 1][j - 1] + _substitution(typed[i - 1], meant[j - 1]))
            if i > 1 and j > 1 and typed[i - 1] == meant[j - 2] and typed[i - 2] == meant[j - 1]:
                best = min(best, rows[i - 2][j - 2] + EDIT_COSTS["swap"])
            rows[i][j] = best
    return rows[len(typed)][len(meant)]
