"""Sharing a page: plain links to Mastodon, Bluesky, LinkedIn and e-mail, and the Mastodon
step that asks for the person's own server.

Plain links only: no third-party script or button, so nothing tells another site who looks
at a page until the person chooses to share it.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from flask import render_template, request
from flask_babel import gettext as _

from hackkit.feeds import bp
from hackkit.markup import render_markdown

# A host name, as typed by a person who knows their Mastodon server ("mastodon.social").
INSTANCE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_TEXT = 500


def share_text(title: str, url: str) -> str:
    return f"{title} {url}".strip()


def share_links(title: str, url: str) -> list[tuple[str, str]]:
    """(label, address) of each way to share `url`; used by the pages' share list."""
    text = share_text(title, url)
    return [
        ("Mastodon", f"{request.host_url.rstrip('/')}/share/mastodon?{urlencode({'text': text})}"),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": text})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        (_("E-mail"), f"mailto:?subject={quote(title)}&body={quote(text)}"),
    ]


bp.add_app_template_global(share_links, "share_links")


@bp.route("/share/mastodon")
def mastodon():
    """Which Mastodon server? Then a plain link to its share page (no redirect, no script)."""
    text = request.args.get("text", "")[:MAX_TEXT]
    instance = request.args.get("instance", "").strip().lower().removeprefix("https://").rstrip("/")
    error, target = None, None
    if instance:
        if INSTANCE.match(instance):
            target = f"https://{instance}/share?" + urlencode({"text": text})
        else:
            error = _("Enter the name of your Mastodon server, like mastodon.social.")
    status = 400 if error else 200
    return render_template("feeds/mastodon.html", text=text, instance=instance, error=error, target=target), status


def plain_summary(text: str | None, limit: int = 200) -> str:
    """A page's Markdown as one line of plain text, for descriptions other sites show."""
    plain = " ".join(render_markdown(text or "").striptags().split())
    return plain if len(plain) <= limit else plain[: limit - 1].rsplit(" ", 1)[0] + "…"


bp.add_app_template_filter(plain_summary, "plain_summary")
