"""Text members write, made safe to store and show: one cleaning rule for every app that takes member text.

Why: control characters (BEL, ESC, NUL ...) do nothing visible on a page but reach terminals, logs and exports,
and NUL breaks PostgreSQL text; bidirectional overrides, embeddings and isolates (U+202A-U+202E,
U+2066-U+2069) make text display in another order than it was written, which can disguise a link or a name.
Newline and tab stay; Windows and old-Mac line endings become newlines. Directional marks (U+200E, U+200F,
U+061C) stay: writers of right-to-left languages need them, and they reorder nothing on their own.
Lone surrogates (half of a UTF-16 pair) cannot be stored as UTF-8 at all, so they go too.
"""

import re

_UNSAFE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls except tab (\x09) and newline (\x0a); \r is handled below
    "\x7f-\x9f"  # DEL and the C1 controls
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI
    "\ud800-\udfff"  # lone surrogates
    "]"
)
_LINE_ENDINGS = re.compile(r"\r\n?")


def clean_member_text(text: str | None) -> str:
    """`text` without control characters (newline and tab kept) and without bidi overrides or isolates."""
    if not text:
        return ""
    return _UNSAFE.sub("", _LINE_ENDINGS.sub("\n", text))
