"""The projector view of an event and the prize ceremony it runs.

Before and during the event the projector shows the countdown to the next moment of the
schedule, the latest announcements, how many teams and submitted projects there are and the
datasets most used. At the ceremony an organizer steps through the prizes from a presenter
view; the step is stored here (in PrizeSettings), so a laptop can drive the projector of
another machine. Each prize takes two steps: first the prize is shown, then its winners.

Why the audience state never carries a winner before its step: the projector page is public
and polls this state, so anything in it can be read by anyone before it is revealed.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.i18n import format_datetime_in
from hackkit.markup import render_markdown
from hackkit.models import Dataset, Event, Prize, Team, User
from hackkit.models.base import utcnow
from hackkit.permissions import require
from hackkit.services import prizes as prize_service
from hackkit.services.errors import Conflict, Invalid

LATEST_ANNOUNCEMENTS = 3
TOP_DATASETS = 5
ACTIONS = ("start", "next", "previous", "stop")


def _milestone(event: Event, now: datetime) -> dict | None:
    moments = [
        (event.registration_opens, _l("Registration opens")),
        (event.registration_closes, _l("Registration closes")),
        (event.starts_at, _l("Hacking starts")),
        (event.submission_deadline, _l("Submission deadline")),
        (event.ends_at, _l("Hacking ends")),
    ]
    upcoming = sorted((at, label) for at, label in moments if at is not None and at > now)
    if not upcoming:
        return None
    at, label = upcoming[0]
    # `local`: what the page shows before its script counts down (and without the script).
    return {"label": str(label), "at": at.isoformat(), "local": format_datetime_in(at, event.timezone)}


def _datasets_used(session: Session, contents: list[dict]) -> list[dict]:
    counts = Counter(d.get("slug") for content in contents for d in content.get("datasets") or [] if d.get("slug"))
    top = counts.most_common(TOP_DATASETS)
    query = sa.select(Dataset.slug, Dataset.title).where(Dataset.slug.in_([s for s, _n in top] or [""]))
    titles = {slug: title for slug, title in session.execute(query)}
    return [{"slug": slug, "title": titles.get(slug) or slug, "projects": n} for slug, n in top]


def _prize_card(prize: Prize) -> dict:
    return {
        "id": prize.id,
        "name": prize.name,
        "value": prize.value,
        "sponsor": prize.sponsor_name,
        "logo": prize.has_logo,
        "challenge": prize.challenge.title if prize.challenge else "",
    }


def _winner_cards(prize: Prize, projects: dict[int, dict]) -> list[dict]:
    cards = []
    for winner in prize.winners:
        found = projects.get(winner.submission_id)
        cards.append(
            {
                "title": found["title"] if found else winner.submission.title,
                "team": found["team"].name if found else winner.submission.team.name,
                "reason": winner.reason,
            }
        )
    return cards


def _ceremony(session: Session, event: Event, projects: dict, *, presenter: bool) -> dict | None:
    step = prize_service.read_settings(session, event).ceremony_step
    if step is None:
        return None
    prizes = prize_service.prizes_of(session, event)
    if not prizes:
        return {"step": 0, "total": 0, "prize": None, "revealed": False, "winners": [], "next": None}
    step = min(step, 2 * len(prizes) - 1)
    current, revealed = prizes[step // 2], step % 2 == 1
    state = {
        "step": step,
        "total": 2 * len(prizes),
        "number": step // 2 + 1,
        "count": len(prizes),
        "prize": _prize_card(current),
        "revealed": revealed,
        # Only what the presenter has revealed: the audience page is public.
        "winners": _winner_cards(current, projects) if revealed or presenter else [],
        "next": None,
    }
    if presenter:
        following = prizes[step // 2 + 1] if step // 2 + 1 < len(prizes) else None
        state["next"] = _prize_card(following) if following else None
    return state


def live_state(session: Session, event: Event, now: datetime | None = None, *, presenter: bool = False) -> dict:
    """What the projector shows now, as JSON-ready data (no permission check: the event page is public)."""
    now = now or utcnow()
    projects = prize_service.eligible_projects(session, event)
    teams = session.scalar(sa.select(sa.func.count(Team.id)).where(Team.event_id == event.id)) or 0
    return {
        "event": {"name": event.name, "slug": event.slug},
        "now": now.isoformat(),
        "milestone": _milestone(event, now),
        "announcements": [
            {"id": a.id, "html": str(render_markdown(a.body)), "created_at": a.created_at.isoformat()}
            for a in event.announcements[:LATEST_ANNOUNCEMENTS]
        ],
        "teams": teams,
        "submitted": len(projects),
        "datasets": _datasets_used(session, list(projects.values())),
        "ceremony": _ceremony(session, event, projects, presenter=presenter),
    }


def presenter_state(session: Session, actor: User, event: Event) -> dict:
    """The projector's state with the current prize's winners and the next prize (organizers)."""
    require(actor, "events.manage")
    return live_state(session, event, presenter=True)


def step_ceremony(session: Session, actor: User, event: Event, action: str) -> dict:
    """Start, advance, go back or stop the ceremony; returns the presenter's state."""
    require(actor, "events.manage")
    if action not in ACTIONS:
        raise Invalid(_l("Choose one of: %(options)s.", options=", ".join(ACTIONS)), {"action": [_l("Unknown.")]})
    settings = prize_service.settings_of(session, event)
    total = 2 * len(prize_service.prizes_of(session, event))
    if action == "start":
        if not total:
            raise Conflict(_l("This event has no prizes yet: add them before the ceremony."))
        settings.ceremony_step = 0
    elif action == "stop":
        settings.ceremony_step = None
    elif settings.ceremony_step is None:
        raise Conflict(_l("The ceremony has not started."))
    elif action == "next":
        settings.ceremony_step = min(settings.ceremony_step + 1, max(total - 1, 0))
    else:
        settings.ceremony_step = max(settings.ceremony_step - 1, 0)
    settings.ceremony_updated_at = utcnow()
    session.commit()
    return live_state(session, event, presenter=True)
