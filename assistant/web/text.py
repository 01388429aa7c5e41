"""The user's words on the page: shown as text, never as HTML or Markdown (issue 13 item 4)."""

from __future__ import annotations

import html
import re

# ASCII punctuation Markdown may read as syntax; "&<>" are HTML-escaped instead, quotes mean nothing in text.
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~:;=/$%?@^,")
_MD_UNESCAPE = re.compile(r"\\([" + re.escape("".join(sorted(_MD_SPECIAL))) + r"])")


def escape_user_text(text: str) -> str:
    """The user's words as Markdown that renders exactly those words: no HTML (`<img ...>` is shown, never
    fetched), no Markdown syntax (links, images, emphasis, lists). `unescape_user_text` undoes it exactly."""
    marked = "".join("\\" + char if char in _MD_SPECIAL else char for char in text)
    return html.escape(marked, quote=False)


def unescape_user_text(shown: str) -> str:
    """The inverse of `escape_user_text`: the words as typed, from the chat's displayed history."""
    return _MD_UNESCAPE.sub(r"\1", html.unescape(shown))
