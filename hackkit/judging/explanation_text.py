"""hackkit.judging.explanation in the reader's language, for the pages.

The text itself lives once, in explanation.py (marked with N_); this module only translates it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from hackkit.judging.explanation import NOTE_TEXT, explanation


def explanation_paragraphs(method: str) -> list:
    """The method in plain words, in the reader's language; pairwise has its own text."""
    return [lazy_gettext(paragraph) for paragraph in explanation(method)]


def note_text(code: str):
    return lazy_gettext(NOTE_TEXT[code]) if code in NOTE_TEXT else code
