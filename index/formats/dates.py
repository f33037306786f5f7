"""Dates as the corpora write them -> datetimes, or None.

Policy: the local time as written. A value with a UTC offset (``2017-01-20T21:43:00+01:00``,
``...Z``) keeps it (an aware datetime: JSON shows ``2017-01-20T21:43:00+01:00``, the screen
``2017-01-20 21:43``); a value without offset is naive, taken as written (the source's local
time). The index compares and sorts dates by their local time as written (Whoosh drops the
offset), so ``date:2017-01-20`` means the day the source printed. Epoch numbers are UTC. Slashed and dashed numeric
dates are year-first (``2021/07/27``) or day-first (``25/05/2017``, the Arab and European
order); month-first US order is not guessed. Month names: Egyptian/Gulf (يناير... ديسمبر),
Levantine/Iraqi (كانون الثاني... كانون الأول), Maghrebi (جانفي... ديسمبر) and English.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from bahth.index.analysis.tables import DIGIT_FOLDS, TATWEEL

_MARKS = re.compile(f"[\u064b-\u0652\u0670{TATWEEL}]")  # harakat, dagger alef, tatweel

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "january", "jan"),
    2: ("فبراير", "شباط", "فيفري", "february", "feb"),
    3: ("مارس", "اذار", "march", "mar"),
    4: ("ابريل", "افريل", "نيسان", "april", "apr"),
    5: ("مايو", "ماي", "ايار", "may"),
    6: ("يونيو", "يونيه", "جوان", "حزيران", "june", "jun"),
    7: ("يوليو", "يوليه", "جويلية", "تموز", "july", "jul"),
    8: ("اغسطس", "اغشت", "اوت", "اب", "august", "aug"),
    9: ("سبتمبر", "شتنبر", "ايلول", "september", "sept", "sep"),
    10: ("اكتوبر", "تشرين الاول", "october", "oct"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر", "november", "nov"),
    12: ("ديسمبر", "كانون الاول", "دجنبر", "december", "dec"),
}


def _fold(text: str) -> str:
    """Spelling variants of month names to one form: no marks, bare alef, ya for alef maqsura."""
    text = _MARKS.sub("", text).lower()
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return re.sub(r"\s+", " ", text)


MONTHS: dict[str, int] = {_fold(name): month for month, names in _MONTH_NAMES.items() for name in names}
_MONTH_ALT = "|".join(sorted((re.escape(n) for n in MONTHS), key=len, reverse=True))
# "23 أغسطس 2020", "الأحد 23 أغسطس 2020 10:30", "July 21, 2015" (name first).
_DAY_MONTH_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({_MONTH_ALT})\s*,?\s*(\d{{4}})(?!\d)")
_MONTH_DAY_YEAR = re.compile(rf"(?<![^\W\d_])({_MONTH_ALT})\s+(\d{{1,2}})\s*,?\s*(\d{{4}})(?!\d)")
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)")
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T,]+(.*))?$")


def parse_date(value: object) -> datetime | None:
    """A datetime for ``value`` (str, int/float epoch seconds, datetime), else None; aware
    only when the value carries a UTC offset (kept as written, never converted).

    Never raises: an unparseable or out-of-range value gives None.
    """
    try:
        return _parse(value)
    except (ValueError, OverflowError, OSError, TypeError):
        return None


def _parse(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=timezone.utc).replace(tzinfo=None)
    if not isinstance(value, str):
        return None
    text = value.strip().translate(DIGIT_FOLDS)
    if not text or len(text) > 200:
        return None
    return _parse_iso(text) or _parse_numeric(text) or _parse_named(text)


def _parse_iso(text: str) -> datetime | None:
    if not text[:1].isdigit():
        return None
    try:
        return datetime.fromisoformat(text)  # an offset, when written, is kept
    except ValueError:
        return None


def _parse_numeric(text: str) -> datetime | None:
    """2021/07/27, 2021-7-27, 25/05/2017, 25.05.2017, optionally followed by a time."""
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, month, last, rest = match.groups()
    if len(first) == 4:
        year, day = int(first), int(last)
    elif len(last) == 4:
        year, day = int(last), int(first)
    else:
        return None
    return _with_time(datetime(year, int(month), day), rest or "")


def _parse_named(text: str) -> datetime | None:
    folded = _fold(text)
    if match := _DAY_MONTH_YEAR.search(folded):
        day, name, year = match.groups()
    elif match := _MONTH_DAY_YEAR.search(folded):
        name, day, year = match.groups()
    else:
        return None
    moment = datetime(int(year), MONTHS[name], int(day))
    return _with_time(moment, folded[match.end():])


def _with_time(day: datetime, rest: str) -> datetime:
    """Add a following hh:mm[:ss] when there is one (and it is a valid time)."""
    match = _TIME.search(rest)
    if not match:
        return day
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return day
    return day.replace(hour=hour, minute=minute, second=second)
