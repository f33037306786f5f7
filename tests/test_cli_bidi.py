"""Right-to-left display: the `--bidi auto` table, and reordering in `app` mode."""

from __future__ import annotations

import unicodedata

import pytest
from bidi.algorithm import get_display
from hypothesis import given
from hypothesis import strategies as st

from bahth.cli.bidi import AUTO_RULES, DEFAULT_MODE, display, reorder_line, resolve_mode, shape, visual_order


@pytest.mark.parametrize("env, expected", [
    ({}, "terminal"),  # unknown terminal: leave it to the terminal
    ({"TERM": "xterm-256color"}, "terminal"),
    ({"VTE_VERSION": "7600", "TERM": "xterm-256color"}, "terminal"),  # GNOME Terminal, Tilix
    ({"KONSOLE_VERSION": "230805"}, "terminal"),
    ({"MLTERM": "3.9.3"}, "terminal"),
    ({"TERM": "mlterm-256color"}, "terminal"),
    ({"TERM_PROGRAM": "Apple_Terminal"}, "terminal"),
    ({"WT_SESSION": "b2f0"}, "app"),  # Windows Terminal
    ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, "app"),
    ({"TERM": "xterm-kitty"}, "app"),
    ({"ALACRITTY_WINDOW_ID": "94"}, "app"),
    ({"ALACRITTY_SOCKET": "/run/user/1000/Alacritty.sock"}, "app"),
    ({"TERM": "alacritty"}, "app"),
    ({"TERM_PROGRAM": "iTerm.app"}, "app"),
    ({"TERM_PROGRAM": "WezTerm"}, "app"),
    ({"BAHTH_BIDI": "app", "VTE_VERSION": "7600"}, "app"),  # the user's choice beats detection
    ({"BAHTH_BIDI": "off", "WT_SESSION": "x"}, "off"),
    ({"BAHTH_BIDI": "terminal", "WT_SESSION": "x"}, "terminal"),
    ({"VTE_VERSION": "", "WT_SESSION": "x"}, "app"),  # empty means unset
])
def test_auto_mode_table(env, expected):
    assert resolve_mode("auto", env, is_tty=True) == expected


def test_auto_is_off_when_not_a_terminal_and_explicit_modes_are_kept():
    assert resolve_mode("auto", {"WT_SESSION": "x"}, is_tty=False) == "off"
    assert [resolve_mode(m, {}, is_tty=False) for m in ("terminal", "app", "off")] == ["terminal", "app", "off"]
    assert DEFAULT_MODE == "terminal" and all(mode in ("terminal", "app", "off") for _, _, mode in AUTO_RULES)
    with pytest.raises(ValueError):
        resolve_mode("sideways", {})


@pytest.mark.parametrize("text", [
    "مرحبا بالعالم",
    "abc مرحبا 123 بالعالم (x)",
    "قال الكاظمي: hello world 2021",
    "العدد ٣٤٥ في (بغداد)",
])
def test_reordering_without_diacritics_equals_python_bidi(text):
    assert display(text)[0] == get_display(text)


def test_diacritics_stay_after_their_letters_once_reordered():
    shown, _ = reorder_line("الكاظميّ يقولُ")
    # Words swap and letters run right to left, but shadda stays on ي and damma on ل.
    assert shown == "لُوقي يّمظاكلا"
    assert get_display("الكاظميّ يقولُ") == "ُلوقي ّيمظاكلا"  # what plain reordering would draw


def test_highlight_spans_follow_their_characters():
    text = "قال الكاظمي في واشنطن"
    shown, spans = reorder_line(text, [(4, 11)])
    assert [shown[s:e] for s, e in spans] == ["الكاظمي"[::-1]]


def test_a_span_across_a_direction_change_comes_back_in_pieces():
    shown, spans = reorder_line("abc مرحبا", [(2, 6)])
    assert sorted(shown[s:e] for s, e in spans) == sorted(["c ", "رم"])


def test_shaping_keeps_one_character_per_character():
    text = "لا إله إلا الله ٱلرَّحْمَـٰنِ"
    shaped = shape(text)
    assert len(shaped) == len(text) and shaped != text


@given(st.text(alphabet=st.sampled_from("ابتثجحخ َُِّْ abc123()،.\u0640"), max_size=40))
def test_visual_order_is_a_permutation_with_each_mark_right_after_its_letter(text):
    order = visual_order(text)
    assert sorted(order) == list(range(len(text)))
    for position, logical in enumerate(order):
        if unicodedata.combining(text[logical]) and logical > 0:
            assert order[position - 1] == logical - 1
