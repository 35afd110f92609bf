"""User-written Markdown, rendered and then sanitised: no script, no event handler,
no javascript: URL survives, whatever the author typed."""

from __future__ import annotations

from functools import lru_cache

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# No <img>: a remote image in a description would leak visitors to another server.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def render_markdown(text: str | None) -> Markup:
    return Markup(_sanitized_html(text or ""))  # noqa: S704 (sanitised by nh3 in _sanitized_html)


# The same event description or project text is shown on every page view: converting and
# sanitising it once per distinct text, not once per request, takes a millisecond off each.
@lru_cache(maxsize=2048)
def _sanitized_html(text: str) -> str:
    html = markdown_lib.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",  # user links must not pass reputation or window access
    )
