"""iCalendar documents, written by the icalendar library (RFC 5545).

Times are given in the event's own time zone with its VTIMEZONE, so a calendar app shows
the opening at the right hour whatever zone its owner is in. Each entry's UID is made of
the event's id and the moment's kind: an app that subscribes sees a moved deadline move,
not a second deadline appear.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import url_for

from hackkit.models.base import utcnow
from hackkit.services.calendars import Moment

if TYPE_CHECKING:
    from icalendar import Event

REFRESH = timedelta(hours=1)  # how often subscribed apps should ask again


def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def build_calendar(name: str, moments: list[Moment], host: str, zone_name: str | None = None) -> bytes:
    from icalendar import Calendar  # here: only calendar subscribers need it

    calendar = Calendar()
    calendar.add("prodid", "-//hackkit//schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if zone_name:
        calendar.add("x-wr-timezone", zone_name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the same, for apps that predate RFC 7986
    stamp = utcnow()
    for moment in moments:
        calendar.add_component(_entry(moment, host, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _local(moment_time: datetime, zone) -> datetime:
    return moment_time.astimezone(zone)


def _entry(moment: Moment, host: str, stamp: datetime) -> Event:
    event = moment.event
    zone = _zone(event.timezone)
    from icalendar import Event

    entry = Event()
    entry.add("uid", f"hackkit-event-{event.id}-{moment.key}@{host}")
    entry.add("dtstamp", stamp)
    entry.add("summary", moment.summary)
    entry.add("dtstart", _local(moment.starts, zone))
    if moment.ends is not None:
        entry.add("dtend", _local(moment.ends, zone))
    else:
        entry.add("transp", "TRANSPARENT")  # a deadline takes no time in anyone's day
    place = ", ".join(part for part in (event.venue, event.city) if part)
    if place:
        entry.add("location", place)
    page = url_for("events.detail", slug=event.slug, _external=True)
    entry.add("url", page)
    entry.add("description", f"{event.tagline}\n{page}".strip())
    return entry
