"""Text from data made safe to show on a terminal: nothing in a title, snippet, file name,
query or error message may drive the terminal or reorder what is around it.

Documents, file names and queries come from anyone. Written raw to a terminal, their
control characters are commands: ESC and the 8-bit CSI/OSC/DCS (U+009B, U+009D, U+0090)
start sequences that clear the screen, move the cursor, set the window title or write the
clipboard (OSC 52); BS, CR and cursor-up rewrite lines already shown; a newline in a file
name forges a `file:line: reason` line. Bidi embeddings, overrides and isolates reorder the
text around them (`U+202E elif.exe` shows as `exe.file`).

`visible()` maps each of them one for one (offsets and highlight spans stay valid):

| characters | shown as |
|---|---|
| C0 controls U+0000-U+001F (but TAB, CR) | the Control Pictures symbol: ESC -> ␛, LF -> ␊, BEL -> ␇ |
| TAB, CR | a space |
| DEL U+007F | ␡ |
| C1 controls U+0080-U+009F | � (U+FFFD) |
| bidi embeddings/overrides/isolates U+202A-U+202E, U+2066-U+2069 | � (U+FFFD) |
| line/paragraph separators U+2028, U+2029 | a space |
| lone surrogates U+D800-U+DFFF (undecodable bytes) | � (U+FFFD) |

Kept: letters, marks, ZWJ/ZWNJ (Persian and Urdu spelling) and the implicit direction
marks LRM/RLM/ALM, which only act like a strong letter and are common in Arabic text.

The output boundary calls `visible()` on every piece of text (`cli.render`, the REPL, error
and index messages); `escape_json()` keeps JSON exact while writing the same characters as
`\\uXXXX` escapes. Escape sequences that bahth itself writes (colours) are added after.
"""

from __future__ import annotations

import re

from bahth.index.analysis.tables import BIDI_CONTROLS

C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
REPLACEMENT = "\ufffd"

_TABLE: dict[int, str] = {
    **C0_PICTURES,
    ord("\t"): " ",
    ord("\r"): " ",  # harmless as a space; as a picture it would end every line of a CRLF document
    0x7F: "\u2421",
    **{code: REPLACEMENT for code in range(0x80, 0xA0)},
    **{ord(ch): REPLACEMENT for ch in BIDI_CONTROLS},
    0x2028: " ",
    0x2029: " ",
}
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ud800-\udfff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# In JSON text raw TAB/LF/CR can only be layout between tokens (json.dumps escapes them in strings).
_UNSAFE_IN_JSON = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ud800-\udfff]")


def is_safe(text: str) -> bool:
    """True when `text` holds nothing that `visible()` would change."""
    return _UNSAFE.search(text) is None


def visible(text: str) -> str:
    """`text` with every control, bidi override/isolate and lone surrogate made visible or
    neutral, one character for one (see the module table)."""
    if _UNSAFE.search(text) is None:
        return text
    return _SURROGATES.sub(REPLACEMENT, text.translate(_TABLE))


def fragments(line: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A line of (style, text) fragments with every text made `visible`."""
    return [(style, visible(text)) for style, text in line]


def escape_json(document: str) -> str:
    """JSON text with the characters `visible()` would change written as `\\uXXXX` escapes:
    the same JSON value, and nothing a terminal would act on (json.dumps with
    ensure_ascii=False already escapes C0 controls, but not DEL, C1, bidi controls or
    surrogates). Outside strings JSON is ASCII punctuation, so every match is in a string."""
    if _UNSAFE_IN_JSON.search(document) is None:
        return document
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
