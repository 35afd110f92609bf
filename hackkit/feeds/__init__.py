"""Feeds, calendars and sharing: the hub's public side in forms other programs read.

Atom feeds (atom.py), iCalendar files (ical.py), share images (share_image.py) and the
links and metadata pages use to be shared (share.py). The routes live in views.py and
calendar_views.py; the data comes from services.feeds and services.calendars.
"""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from hackkit.feeds import calendar_views, share, views  # noqa: E402,F401  (routes and template globals register on bp)
