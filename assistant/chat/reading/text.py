"""Small text helpers every layer of the chat shares."""

from __future__ import annotations

import re


def escape_user_text(text: str) -> str:
    """User text safe to echo in Markdown rendered as HTML: < > & escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit (emoji and punctuation alone do not count)."""
    return bool(_WORD.search(text))
