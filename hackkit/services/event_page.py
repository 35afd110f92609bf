"""What an event's page shows, asked in one call: `event_page` returns an EventPage, the part
every visitor of the same role sees; `viewer_in_event` the viewer's own part (their team, their
registration, whether they judge), which hackkit/shared_pages.py fills in on every request.

Each part comes from the service that owns its rule; each is one query (or none), whatever
the number of teams and people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.models import Event, EventJudge, Membership, Registration, Team, User
from hackkit.models.base import utcnow
from hackkit.services import events, participation, teams


@dataclass(frozen=True)
class EventPage:
    event: Event
    now: datetime
    registration_open: bool
    looking_teams: list[Team]
    looking_people: list[User]
    results_visible: bool  # depends on the role only (organizers see them before publication)


def event_page(session: Session, actor, slug: str, now: datetime | None = None) -> EventPage:
    """The page as everyone of the actor's role sees it: nothing here may depend on who they are."""
    event = events.get_event(session, actor, slug, showing=(events.ANNOUNCEMENTS, events.CHALLENGES_AND_PROPOSALS))
    now = now or utcnow()
    return EventPage(
        event=event,
        now=now,
        registration_open=events.registration_is_open(event, now),
        looking_teams=teams.teams_looking_for_members(session, event),
        looking_people=teams.people_looking_for_team(session, event),
        results_visible=participation.results_visible(session, actor, event),
    )


@dataclass(frozen=True)
class ViewerInEvent:
    team_id: int | None  # the viewer's team in this event
    team_name: str | None
    deadline_override: datetime | None  # their team's own deadline, when an organizer extended it
    registered: bool
    is_judge: bool


NOBODY = ViewerInEvent(None, None, None, False, False)


def _viewer_in_event_query() -> sa.Select:
    """Built once: the same statement each request, with the event and the person as parameters."""
    event_id, user_id = sa.bindparam("event_id"), sa.bindparam("user_id")

    def of_my_team(column):
        mine = Membership.event_id == event_id, Membership.user_id == user_id
        return sa.select(column).join(Membership).where(*mine).scalar_subquery()

    registered = sa.exists().where(Registration.event_id == event_id, Registration.user_id == user_id)
    judge = sa.exists().where(EventJudge.event_id == event_id, EventJudge.user_id == user_id)
    return sa.select(of_my_team(Team.id), of_my_team(Team.name), of_my_team(Team.deadline_override), registered, judge)


_VIEWER_IN_EVENT = _viewer_in_event_query()


def viewer_in_event(session: Session, actor, event_id: int) -> ViewerInEvent:
    """The viewer's own part of an event's page, in one query. The rules stay where they are
    (teams.team_of, events.is_registered, judging.is_judge): this asks the same three things at once."""
    if not getattr(actor, "is_authenticated", False):
        return NOBODY

    row = session.execute(_VIEWER_IN_EVENT, {"event_id": event_id, "user_id": actor.id}).one()
    return ViewerInEvent(row[0], row[1], row[2], bool(row[3]), bool(row[4]))
