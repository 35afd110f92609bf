"""What a person's own hackathons look like to them: their events, teams, projects and the
jury's feedback, and whether links to the project page, the results and the feedback lead
somewhere yet (so no page links to a 403 or a 404).

Read-only: nothing here changes the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.models import Event, Submission, Team
from hackkit.models.event import Registration
from hackkit.models.judging import EventJudge, JudgingSettings
from hackkit.models.team import Membership
from hackkit.permissions import can
from hackkit.services import judging, submissions
from hackkit.services.teams import is_member, team_of


def results_visible(session: Session, actor, event: Event) -> bool:
    """Whether a "Results" link would lead to the results rather than to a refusal."""
    return can(actor, "judging.manage") or judging.results_are_published(session, event)


def is_judged(session: Session, submission: Submission | None) -> bool:
    """The jury judges the version frozen at the deadline; a project without one got no feedback."""
    return submission is not None and submissions.frozen_version(session, submission) is not None


def feedback_ready(
    session: Session, actor, team: Team, submission: Submission | None, *, judged: bool | None = None
) -> bool:
    """Whether this person can read the jury's feedback on the team's project now. `judged`:
    is_judged of the submission, when the caller has it already."""
    if submission is None or not getattr(actor, "is_authenticated", False):
        return False
    if not (is_member(team, actor) or can(actor, "judging.manage")):
        return False
    if not judging.results_are_published(session, team.event):
        return False
    return is_judged(session, submission) if judged is None else judged


def own_judged_project(session: Session, actor, event: Event) -> Submission | None:
    """The person's own team's project in this event, when its feedback can be read."""
    team = team_of(session, event, actor)
    project = submissions.get_submission(session, team) if team else None
    return project if feedback_ready(session, actor, team, project) else None


def has_project_page(session: Session, actor, team: Team, submission: Submission | None) -> bool:
    """The project page shows the submitted project to everyone, and a draft to its team."""
    if submission is None:
        return False
    # The team's own check first: it needs no database (after the deadline the other reads versions).
    return submissions.can_see_drafts(actor, team) or submissions.public_view(session, submission) is not None


@dataclass
class MyEvent:
    event: Event
    registered: bool = False
    judge: bool = False
    team: Team | None = None
    submission: Submission | None = None
    results_published: bool = False
    judged: bool = False


def my_hackathons(session: Session, user) -> list[MyEvent]:
    """Every event the person registered for, is in a team of, or judges; newest first.

    A handful of queries, plus one per project of an event whose results are out."""
    registered = set(session.scalars(sa.select(Registration.event_id).where(Registration.user_id == user.id)))
    judging = set(session.scalars(sa.select(EventJudge.event_id).where(EventJudge.user_id == user.id)))
    team_rows = session.scalars(
        sa.select(Team).join(Membership, Membership.team_id == Team.id).where(Membership.user_id == user.id)
    ).all()
    teams_by_event = {team.event_id: team for team in team_rows}
    event_ids = registered | judging | set(teams_by_event)
    if not event_ids:
        return []
    found = session.scalars(sa.select(Event).where(Event.id.in_(event_ids)).order_by(Event.starts_at.desc())).all()
    projects = {
        s.team_id: s
        for s in session.scalars(sa.select(Submission).where(Submission.team_id.in_([t.id for t in team_rows])))
    }
    published = set(
        session.scalars(
            sa.select(JudgingSettings.event_id).where(
                JudgingSettings.event_id.in_(event_ids), JudgingSettings.results_published.is_(True)
            )
        )
    )
    rows = []
    for event in found:
        team = teams_by_event.get(event.id)
        project = projects.get(team.id) if team else None
        rows.append(
            MyEvent(
                event=event,
                registered=event.id in registered,
                judge=event.id in judging,
                team=team,
                submission=project,
                results_published=event.id in published,
                judged=event.id in published and is_judged(session, project),
            )
        )
    return rows
