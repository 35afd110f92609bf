"""What an event's page shows, asked in one call: `event_page` returns an EventPage.

Each part comes from the service that owns its rule; each is one query (or none), whatever
the number of teams and people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from hackkit.models import Event, Team, User
from hackkit.models.base import utcnow
from hackkit.services import events, judging, participation, teams


@dataclass(frozen=True)
class EventPage:
    event: Event
    now: datetime
    my_team: Team | None  # the viewer's team in this event
    team_deadline: datetime | None  # the viewer's team's own deadline (extensions included)
    registration_open: bool
    registered: bool
    looking_teams: list[Team]
    looking_people: list[User]
    is_judge: bool
    results_visible: bool


def event_page(session: Session, actor, slug: str, now: datetime | None = None) -> EventPage:
    event = events.get_event(session, actor, slug)
    my_team = teams.team_of(session, event, actor)
    now = now or utcnow()
    return EventPage(
        event=event,
        now=now,
        my_team=my_team,
        team_deadline=teams.effective_deadline(my_team) if my_team else None,
        registration_open=events.registration_is_open(event, now),
        registered=events.is_registered(session, event, actor),
        looking_teams=teams.teams_looking_for_members(session, event),
        looking_people=teams.people_looking_for_team(session, event),
        is_judge=judging.is_judge(session, event, actor),
        results_visible=participation.results_visible(session, actor, event),
    )
