"""Atom documents, written by feedgen (a kept library that writes valid RFC 4287)."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from hackkit.markup import render_markdown
from hackkit.models.base import utcnow


def new_feed(title: str, feed_endpoint: str, page_url: str, subtitle: str, updated: datetime | None, **values):
    """A feed whose id is its own address (stable: readers use it to recognise the feed)."""
    from feedgen.feed import FeedGenerator  # here: lxml is loaded only for feed readers

    feed = FeedGenerator()
    self_url = url_for(feed_endpoint, _external=True, **values)
    feed.id(self_url)
    feed.title(title)
    feed.subtitle(subtitle or title)
    # Atom wants an author; the hub speaks, never a person (no names or addresses of organizers).
    feed.author({"name": "hackkit"})
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.updated(updated or utcnow())
    feed.generator("hackkit")
    return feed


def add_entry(feed, entry_id: str, title: str, link: str, markdown: str, published: datetime, updated=None) -> None:
    entry = feed.add_entry(order="append")
    entry.id(entry_id)
    entry.title(title)
    entry.link(href=link, rel="alternate", type="text/html")
    entry.published(published)
    entry.updated(updated or published)
    if markdown:
        entry.content(str(render_markdown(markdown)), type="html")  # the same sanitiser as the pages


def as_response_body(feed) -> bytes:
    return feed.atom_str(pretty=True)
