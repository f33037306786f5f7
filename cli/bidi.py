"""Right-to-left text in the terminal: who reorders it, and reordering it ourselves.

Text stays in logical order everywhere (index, JSON, pipes). Only a line about to be
drawn on a terminal that does not implement the Unicode bidi algorithm is reordered
(`app` mode). Modes:

- ``terminal``: print logical order; the terminal reorders (VTE, Konsole, mlterm, macOS Terminal).
- ``app``: reorder each line here with python-bidi, keep diacritics on their letters and
  highlight spans on the right characters; optionally shape with arabic-reshaper.
- ``off``: no processing at all (pipes, files, debugging).
- ``auto``: pick one of the above from the environment (:data:`AUTO_RULES`).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache


MODES = ("auto", "terminal", "app", "off")
Span = tuple[int, int]

# One row per terminal family: (environment variable, value prefix or None for "set at all", mode).
# First match wins. Terminals that implement bidi reorder by themselves, so we must NOT
# reorder for them (that would reverse the text twice).
AUTO_RULES: tuple[tuple[str, str | None, str], ...] = (
    ("BAHTH_BIDI", "terminal", "terminal"),  # explicit user choice beats detection
    ("BAHTH_BIDI", "app", "app"),
    ("BAHTH_BIDI", "off", "off"),
    ("VTE_VERSION", None, "terminal"),  # GNOME Terminal, Tilix, Terminator (VTE >= 0.58 does bidi)
    ("KONSOLE_VERSION", None, "terminal"),
    ("MLTERM", None, "terminal"),
    ("TERM", "mlterm", "terminal"),
    ("TERM_PROGRAM", "Apple_Terminal", "terminal"),
    ("WT_SESSION", None, "app"),  # Windows Terminal: no bidi
    ("KITTY_WINDOW_ID", None, "app"),
    ("TERM", "xterm-kitty", "app"),
    ("ALACRITTY_WINDOW_ID", None, "app"),
    ("ALACRITTY_SOCKET", None, "app"),
    ("TERM", "alacritty", "app"),
    ("TERM_PROGRAM", "iTerm.app", "app"),
    ("TERM_PROGRAM", "WezTerm", "app"),  # WezTerm's bidi support is off by default
)
DEFAULT_MODE = "terminal"  # unknown terminal: leave it to the terminal, as the issue asks


def resolve_mode(mode: str, env: Mapping[str, str] | None = None, *, is_tty: bool = True) -> str:
    """The concrete mode (terminal/app/off) for a requested one (maybe `auto`)."""
    if mode not in MODES:
        raise ValueError(f"bidi mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode != "auto":
        return mode
    if not is_tty:
        return "off"  # pipes get logical order
    env = os.environ if env is None else env
    for name, prefix, result in AUTO_RULES:
        value = env.get(name)
        if value is None or value == "":
            continue
        if prefix is None or value.startswith(prefix):
            return result
    return DEFAULT_MODE


def _is_mark(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or unicodedata.category(ch) in ("Mn", "Me")


def _clusters(text: str) -> list[list[int]]:
    """Indices grouped as base character + its following combining marks (and tatweel-free)."""
    groups: list[list[int]] = []
    for i, ch in enumerate(text):
        if groups and _is_mark(ch):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _levels(text: str, base_dir: str | None) -> list[int]:
    """Resolved embedding level per character (rules P2-I2 of UAX #9, plus L1 for line ends)."""
    from bidi import algorithm as _bidi  # lazily: python-bidi imports inspect (~15 ms); pipes never need it

    storage = _bidi.get_empty_storage()
    base_level = _bidi.get_base_level(text) if base_dir is None else _bidi.PARAGRAPH_LEVELS[base_dir]
    storage["base_level"], storage["base_dir"] = base_level, ("L", "R")[base_level]
    _bidi.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index  # survives X9 removals, lets us map levels back to offsets
    _bidi.explicit_embed_and_overrides(storage)
    _bidi.resolve_weak_types(storage)
    _bidi.resolve_neutral_types(storage, False)
    _bidi.resolve_implicit_levels(storage, False)
    levels = [base_level] * len(text)
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    # L1: trailing whitespace goes back to the paragraph level.
    for i in range(len(text) - 1, -1, -1):
        if not text[i].isspace():
            break
        levels[i] = base_level
    return levels


def visual_order(text: str, base_dir: str | None = None) -> list[int]:
    """Logical indices in display order (left to right), marks kept after their base letter.

    Reordering clusters instead of characters is what re-attaches diacritics: a plain
    character reversal would put each haraka before its letter.
    """
    return _reorder(text, _levels(text, base_dir)) if text else []


def _reorder(text: str, levels: list[int]) -> list[int]:
    clusters = _clusters(text)
    cluster_levels = [levels[group[0]] for group in clusters]
    order = list(range(len(clusters)))
    highest = max(cluster_levels)
    lowest_odd = min((lv for lv in cluster_levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):  # rule L2
        i = 0
        while i < len(order):
            if cluster_levels[order[i]] >= level:
                j = i
                while j < len(order) and cluster_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return [index for c in order for index in clusters[c]]


@lru_cache(maxsize=1)
def _reshaper():  # imported lazily: only `--shape` needs it
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(
        configuration={"delete_harakat": False, "support_ligatures": False, "shift_harakat_position": False}
    )


def shape(text: str) -> str:
    """Contextual letter forms, one output character per input character (so spans stay valid)."""
    shaped = _reshaper().reshape(text)
    return shaped if len(shaped) == len(text) else text


def display(text: str, *, shaped: bool = False, base_dir: str | None = None) -> tuple[str, list[int]]:
    """One line in display order, and the logical index of each displayed character."""
    if "\n" in text:
        raise ValueError("bidi reordering takes one line; split first")
    source = shape(text) if shaped else text
    levels = _levels(source, base_dir) if source else []
    order = _reorder(source, levels) if source else []
    # Rule L4: brackets in right-to-left runs are drawn mirrored.
    from bidi.mirror import MIRRORED

    chars = [MIRRORED.get(source[i], source[i]) if levels[i] % 2 else source[i] for i in order]
    return "".join(chars), order


def reorder_line(text: str, spans: Sequence[Span] = (), *, shaped: bool = False,
                 base_dir: str | None = None) -> tuple[str, list[Span]]:
    """One line in display order with its highlight spans moved to their visual positions.

    A span that crosses a direction change may come back as several spans.
    """
    shown, order = display(text, shaped=shaped, base_dir=base_dir)
    marked = {i for start, end in spans for i in range(start, end)}
    visual_spans: list[Span] = []
    for position, logical in enumerate(order):
        if logical not in marked:
            continue
        if visual_spans and visual_spans[-1][1] == position:
            visual_spans[-1] = (visual_spans[-1][0], position + 1)
        else:
            visual_spans.append((position, position + 1))
    return shown, visual_spans


def prepare_line(text: str, spans: Sequence[Span], mode: str, *, shaped: bool = False) -> tuple[str, list[Span]]:
    """What to draw for one logical line in a concrete mode (terminal/app/off)."""
    if mode == "app":
        return reorder_line(text, spans, shaped=shaped)
    return text, list(spans)
