"""Events, challenges, announcements and registration."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Session

from hackkit.models import Announcement, Challenge, Dataset, Event, Registration, User
from hackkit.models.base import utcnow
from hackkit.models.collections import Collection
from hackkit.models.event import VISIBILITIES
from hackkit.permissions import can, require
from hackkit.services import notifications, webhooks
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Invalid, NotFound
from hackkit.services.transactions import rolls_back

EVENT_TEXT_FIELDS = {
    "name": 200,
    "tagline": 300,
    "description": 20000,
    "venue": 200,
    "city": 100,
    "code_of_conduct": 20000,
}
EVENT_MOMENTS = ("registration_opens", "registration_closes", "starts_at", "ends_at", "submission_deadline")


def slug_from(name: str) -> str:
    """A web address made from a title, as the form's script does: "Gent fietst 2026!" -> "gent-fietst-2026"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80].rstrip("-")


# Texts an organizer may also give in the other language; shown to visitors who read it.
TRANSLATED_FIELDS = {"name": 200, "tagline": 300, "description": 20000}
TEXT_LANGUAGES = ("en", "nl")


def translations(value, fields: dict[str, int]) -> dict:
    """{"nl": {"name": ...}} with only the known languages and fields, empty texts left out."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict) or not set(value) <= set(TEXT_LANGUAGES):
        raise v.fail("translations", _l("Give the texts per language: en or nl."))
    cleaned: dict = {}
    for language, texts in value.items():
        if not isinstance(texts, dict) or not set(texts) <= set(fields):
            raise v.fail("translations", _l("Give the texts per language: en or nl."))
        kept = {}
        for field, limit in fields.items():
            try:
                found = v.text(texts, field, max_length=limit)
            except Invalid as error:
                raise v.fail(f"{field}_{language}", error.message) from None
            if found:
                kept[field] = found
        if kept:
            cleaned[language] = kept
    return cleaned


def _event_values(session: Session, data: dict, current: Event | None) -> dict:
    """Validate the fields present in `data` (all required ones when creating).

    Every field's problem is reported at once (one Invalid listing them all, the schedule's
    order and a taken address among them); a taken address alone is a Conflict."""
    creating = current is None
    values: dict = {}
    problems = v.Problems()

    def keep(field: str, parse, *args, **kwargs) -> None:
        try:
            values[field] = parse(*args, **kwargs)
        except Invalid as error:
            problems.add(error)

    if creating and not str(data.get("slug") or "").strip():  # made from the name, as the form does
        data = {**data, "slug": slug_from(str(data.get("name") or ""))}
    if creating or "slug" in data:
        keep("slug", v.slug, data)
    for field, limit in EVENT_TEXT_FIELDS.items():
        if creating or field in data:
            keep(field, v.text, data, field, max_length=limit, required=field == "name")
    if "translations" in data:
        keep("translations", translations, data["translations"], TRANSLATED_FIELDS)
    if creating or "timezone" in data:
        keep("timezone", v.timezone_name, {"timezone": data.get("timezone", "Europe/Brussels")})
    zone = values.get("timezone") or (current.timezone if current else "Europe/Brussels")
    for field in EVENT_MOMENTS:
        if creating or field in data:
            required = field in ("starts_at", "ends_at", "submission_deadline")
            keep(field, v.moment, data, field, zone, required=required)
    if creating or "max_team_size" in data:
        keep("max_team_size", v.integer, data, "max_team_size", minimum=1, maximum=50, default=5)
    if creating or "visibility" in data:
        keep("visibility", v.choice, data, "visibility", VISIBILITIES, default="draft")
    if not any(field in problems.errors for field in EVENT_MOMENTS):  # the order, once each date reads well
        merged = {f: values[f] if f in values else getattr(current, f, None) for f in EVENT_MOMENTS}
        keep("schedule", _require_schedule_in_order, merged)
    taken = "slug" in values and _slug_taken(session, values["slug"], except_id=current.id if current else None)
    if taken and problems.errors:
        problems.errors.setdefault("slug", []).append(SLUG_TAKEN)
    problems.raise_if_any()
    if taken:
        raise Conflict(_l("Another event already uses this address."), {"slug": [SLUG_TAKEN]})
    values.pop("schedule", None)
    return values


SLUG_TAKEN = _l("This address is taken by another event; choose another.")


# Each pair must come in this order; `strict` means "before", otherwise "at or before". Registration
# may run into the event (walk-ins) but not past its end.
SCHEDULE_ORDER = (
    ("registration_opens", "registration_closes", True),
    ("registration_opens", "starts_at", True),
    ("registration_closes", "ends_at", False),
    ("starts_at", "ends_at", True),
    ("starts_at", "submission_deadline", True),
    ("submission_deadline", "ends_at", False),
)
MOMENT_LABELS = {
    "registration_opens": _l("registration opens"),
    "registration_closes": _l("registration closes"),
    "starts_at": _l("hacking starts"),
    "ends_at": _l("hacking ends"),
    "submission_deadline": _l("submission deadline"),
}


def _require_schedule_in_order(moments: dict) -> None:
    """Refuse a schedule out of order, naming every pair of fields that is (one message each)."""
    errors: dict[str, list] = {}
    for first, then, strict in SCHEDULE_ORDER:
        a, b = moments.get(first), moments.get(then)
        if a is None or b is None or (a < b if strict else a <= b):
            continue
        names = {"first": MOMENT_LABELS[first], "then": MOMENT_LABELS[then]}
        message = (
            _l(
                "“%(then)s” (%(then_field)s) must come after “%(first)s” (%(first_field)s).",
                then_field=then,
                first_field=first,
                **names,
            )
            if strict
            else _l(
                "“%(first)s” (%(first_field)s) must be at or before “%(then)s” (%(then_field)s).",
                then_field=then,
                first_field=first,
                **names,
            )
        )
        errors.setdefault(then, []).append(message)
    if errors:
        fields = ", ".join(errors)
        raise v.Invalid(
            _l(
                "The schedule is out of order (%(fields)s): %(first)s",
                fields=fields,
                first=next(iter(errors.values()))[0],
            ),
            errors,
        )


def event_problems(session: Session, data: dict, current: Event | None = None) -> dict[str, list]:
    """Every field's problem in an event's values, writing nothing: lets a form that failed its
    own checks still list the rest at once."""
    try:
        _event_values(session, data, current)
    except (Invalid, Conflict) as error:
        return error.errors or {}
    return {}


def _slug_taken(session: Session, slug: str, except_id: int | None = None) -> bool:
    query = sa.select(Event.id).where(Event.slug == slug)
    if except_id:
        query = query.where(Event.id != except_id)
    return session.scalar(query) is not None


@rolls_back
def create_event(session: Session, actor: User, data: dict) -> Event:
    require(actor, "events.manage")
    event = Event(**_event_values(session, data, None))
    session.add(event)
    session.commit()
    return event


@rolls_back
def update_event(session: Session, actor: User, event: Event, data: dict) -> Event:
    require(actor, "events.manage")
    for field, value in _event_values(session, data, event).items():
        setattr(event, field, value)
    session.commit()
    return event


def is_visible(actor, event: Event) -> bool:
    return event.visibility != "draft" or can(actor, "events.manage")


# Built once: every page of an event asks on each request (building the statement cost more
# CPU than running it). Whether the results are published comes with the event (a subquery on
# one indexed row): the event page and the gallery need it (judging.results_are_published),
# and a statement of its own cost them more than the subquery costs the other pages.
_EVENT_BY_SLUG = (
    sa.select(Event).where(Event.slug == sa.bindparam("slug")).options(orm.undefer(Event.judging_results_published))
)
# What the event's own pages show of it, loaded before the template asks: lazily, each
# challenge's resident proposal was a statement of its own, on every view.
CHALLENGES = Collection(Event.challenges)
CHALLENGES_AND_PROPOSALS = Collection(Event.challenges, orm.joinedload(Challenge.proposal))
ANNOUNCEMENTS = Collection(Event.announcements)


def get_event(session: Session, actor, slug: str, *, showing: tuple[Collection, ...] = ()) -> Event:
    """The event at this slug; drafts exist only for organizers. `showing`: the collections the
    page shows (CHALLENGES, CHALLENGES_AND_PROPOSALS, ANNOUNCEMENTS), loaded with it, a statement each."""
    event = session.scalar(_EVENT_BY_SLUG, {"slug": slug})
    if event is None or not is_visible(actor, event):
        raise NotFound(_l("There is no event at this address."))
    for collection in showing:
        collection.load(session, [event])
    return event


def list_events(session: Session, actor) -> list[Event]:
    query = sa.select(Event).order_by(Event.starts_at.desc())
    if not can(actor, "events.manage"):
        query = query.where(Event.visibility != "draft")
    return list(session.scalars(query))


# Challenges ---------------------------------------------------------------------------------


def _challenge_values(session: Session, data: dict, creating: bool) -> dict:
    values = {}
    limits = {"title": 200, "department": 200, "description": 20000, "success": 20000}
    for field, limit in limits.items():
        if creating or field in data:
            values[field] = v.text(data, field, max_length=limit, required=field == "title")
    if creating or "datasets" in data:
        values["datasets"] = v.string_list(data.get("datasets"), "datasets", max_items=30, max_length=80)
        _require_in_catalogue(session, values["datasets"])
    return values


def _require_in_catalogue(session: Session, slugs: list[str]) -> None:
    """A challenge offers datasets participants can open: published catalogue entries only
    (as projects credit them), so that no link on the challenge leads nowhere."""
    known = set(session.scalars(sa.select(Dataset.slug).where(Dataset.slug.in_(slugs), Dataset.status == "published")))
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise v.fail(
            "datasets",
            _l("Not in the data catalogue: %(slugs)s. Pick datasets from the catalogue.", slugs=", ".join(unknown)),
        )


def challenge_dataset_choices(session: Session) -> list[tuple[str, str]]:
    """(slug, title) of every published dataset, for the challenge form's picker."""
    return [
        (slug, title)
        for slug, title in session.execute(
            sa.select(Dataset.slug, Dataset.title)
            .where(Dataset.status == "published")
            .order_by(Dataset.title, Dataset.slug)
        )
    ]


def build_challenge(session: Session, actor: User, event: Event, data: dict) -> Challenge:
    """A new challenge added to the session, not committed: callers that link it to
    something else (a resident proposal) commit both together."""
    require(actor, "events.manage")
    challenge = Challenge(event=event, **_challenge_values(session, data, creating=True))
    session.add(challenge)
    return challenge


@rolls_back
def add_challenge(session: Session, actor: User, event: Event, data: dict) -> Challenge:
    challenge = build_challenge(session, actor, event, data)
    session.commit()
    return challenge


@rolls_back
def update_challenge(session: Session, actor: User, challenge: Challenge, data: dict) -> Challenge:
    require(actor, "events.manage")
    for field, value in _challenge_values(session, data, creating=False).items():
        setattr(challenge, field, value)
    session.commit()
    return challenge


def get_challenge(session: Session, actor, challenge_id: int) -> Challenge:
    challenge = session.get(Challenge, challenge_id)
    if challenge is None or not is_visible(actor, challenge.event):
        raise NotFound(_l("There is no such challenge."))
    return challenge


# Announcements ------------------------------------------------------------------------------


ANNOUNCEMENT_FIELDS = {"body": 5000}


def _announcement_values(data: dict) -> dict:
    problems = v.Problems()
    values = {"body": problems.check(v.text, data, "body", max_length=5000, required=True)}
    if "translations" in data:
        values["translations"] = problems.check(translations, data["translations"], ANNOUNCEMENT_FIELDS)
    problems.raise_if_any()
    return values


def post_announcement(
    session: Session, actor: User, event: Event, body: str, texts: dict | None = None
) -> Announcement:
    """`texts`: the announcement in the other language(s), {"nl": {"body": ...}}."""
    require(actor, "events.manage")
    values = _announcement_values({"body": body, "translations": texts or {}})
    announcement = Announcement(event=event, author_id=actor.id, **values)
    session.add(announcement)
    webhooks.announcement_published(session, announcement)
    notifications.announcement_posted(session, announcement)
    session.commit()
    return announcement


def get_announcement(session: Session, actor, event: Event, announcement_id: int) -> Announcement:
    announcement = session.get(Announcement, announcement_id)
    if announcement is None or announcement.event_id != event.id or not is_visible(actor, event):
        raise NotFound(_l("There is no such announcement."))
    return announcement


def update_announcement(session: Session, actor: User, announcement: Announcement, data: dict) -> Announcement:
    """Correct an announcement; the page and the feed say it was edited (updated_at)."""
    require(actor, "events.manage")
    values = _announcement_values({"body": announcement.body, **data})
    for field, value in values.items():
        setattr(announcement, field, value)
    announcement.updated_at = utcnow()
    session.commit()
    return announcement


def delete_announcement(session: Session, actor: User, announcement: Announcement) -> None:
    require(actor, "events.manage")
    session.delete(announcement)
    session.commit()


# Registration -------------------------------------------------------------------------------


def registration_is_open(event: Event, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if event.visibility != "published":
        return False
    opens = event.registration_opens or event.created_at
    closes = event.registration_closes or event.submission_deadline
    return opens <= now < closes


def is_registered(session: Session, event: Event, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    query = sa.select(Registration.id).where(Registration.event_id == event.id, Registration.user_id == user.id)
    return session.scalar(query) is not None


def register(session: Session, actor: User, event: Event, now: datetime | None = None) -> Registration:
    require(actor, "events.register")
    if is_registered(session, event, actor):
        raise Conflict(_l("You are already registered for this event."))
    if not registration_is_open(event, now):
        raise Conflict(_l("Registration for this event is closed."))
    registration = Registration(event_id=event.id, user_id=actor.id)
    session.add(registration)
    try:
        session.commit()
    except sa.exc.IntegrityError as error:  # a double click: the first one won
        session.rollback()
        raise Conflict(_l("You are already registered for this event.")) from error
    return registration


def registrations(session: Session, actor: User, event: Event) -> list[Registration]:
    require(actor, "events.manage")
    query = sa.select(Registration).where(Registration.event_id == event.id).order_by(Registration.created_at)
    return list(session.scalars(query))


def ensure_registered(session: Session, actor: User, event: Event, now: datetime | None = None) -> None:
    """Register someone who follows an invite link while registration is open."""
    if is_registered(session, event, actor):
        return
    if not registration_is_open(event, now):
        raise Conflict(_l("Registration for this event is closed."))
    register(session, actor, event, now)
