"""Reminders that come due with time, queued by the mail worker before each pass.

`enqueue_due(now)` is idempotent: each reminder's dedupe key names the team or event, the
stage and the deadline it was for, so a worker that runs every few seconds (or several
workers) queue it once, and a deadline that moves gets its reminders again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from hackkit.models import Assignment, Event, EventJudge, JudgingSettings, Score, Submission, Team, User
from hackkit.models.base import UTCDateTime, utcnow
from hackkit.services import notifications

DEADLINE_STAGES = (("1h", timedelta(hours=1)), ("24h", timedelta(hours=24)))
JUDGING_REMINDER_BEFORE = timedelta(hours=24)


def enqueue_due(session: Session, now: datetime | None = None) -> int:
    """Queue the reminders due at `now`; idempotent (dedupe keys), so every pass may call it."""
    now = now or utcnow()
    return _deadline_reminders(session, now) + _judging_reminders(session, now) + _outcome_reminders(session, now)


def _deadline_reminders(session: Session, now: datetime) -> int:
    # Typed, so `now` is bound as naive UTC like the columns (SQLite compares the text).
    deadline = sa.func.coalesce(Team.deadline_override, Event.submission_deadline, type_=UTCDateTime)
    submitted = sa.select(Submission.id).where(Submission.team_id == Team.id, Submission.status == "submitted")
    teams = session.execute(
        sa.select(Team, Event)
        .join(Event, Event.id == Team.event_id)
        .where(Event.visibility == "published", deadline > now, deadline <= now + DEADLINE_STAGES[-1][1])
        .where(~submitted.exists())
    ).all()
    queued = 0
    for team, event in teams:
        due = team.deadline_override or event.submission_deadline
        stage = next(name for name, before in DEADLINE_STAGES if due - now <= before)
        members = [m.user for m in team.memberships]

        def make(_user: User, team=team, event=event, due=due, stage=stage) -> tuple[str, str]:
            text = _(
                "Your team %(team)s has not submitted its project for %(event)s yet. The deadline is %(when)s.",
                team=team.name,
                event=event.name,
                when=notifications.when(due, event),
            )
            text += "\n\n" + notifications.link("teams.submission", team_id=team.id)
            if stage == "1h":
                return _("%(event)s: one hour until the deadline", event=event.name), text
            return _("%(event)s: one day until the deadline", event=event.name), text

        key = f"deadline:{team.id}:{stage}:{int(due.timestamp())}"
        queued += notifications.notify_all(session, members, "deadlines", key, make, event_id=event.id, now=now)
    session.commit()
    return queued


def judges_missing_scores(session: Session, event: Event) -> dict[int, list[Submission]]:
    """Judge id -> the assigned projects they have not scored on every criterion (rubric judging;
    conflicts excepted)."""
    from hackkit.services import judging

    criteria = {c.id for c in judging.criteria_of(session, event)}
    if not criteria or judging.settings_of(session, event).mode != "rubric":
        return {}
    judged = {s.id: s for s in judging.judged_submissions(session, event)}
    conflicts = judging.all_conflicts(session, event)
    scored: dict[tuple[int, int], set[int]] = {}
    for judge_id, submission_id, criterion_id in session.execute(
        sa.select(Score.judge_id, Score.submission_id, Score.criterion_id).where(
            Score.submission_id.in_(list(judged) or [0])
        )
    ):
        scored.setdefault((judge_id, submission_id), set()).add(criterion_id)
    judges = set(session.scalars(sa.select(EventJudge.user_id).where(EventJudge.event_id == event.id)))
    missing: dict[int, list[Submission]] = {}
    for judge_id, submission_id in session.execute(
        sa.select(Assignment.judge_id, Assignment.submission_id)
        .where(Assignment.submission_id.in_(list(judged) or [0]))
        .order_by(Assignment.judge_id, Assignment.submission_id)
    ):
        if judge_id not in judges or (judge_id, submission_id) in conflicts:
            continue
        if not criteria <= scored.get((judge_id, submission_id), set()):
            missing.setdefault(judge_id, []).append(judged[submission_id])
    return missing


def _judging_reminders(session: Session, now: datetime) -> int:
    from hackkit.services.judging import frozen_title

    due = session.execute(
        sa.select(Event, JudgingSettings.closes_at)
        .join(JudgingSettings, JudgingSettings.event_id == Event.id)
        .where(
            JudgingSettings.results_published.is_(False),
            JudgingSettings.closes_at > now,
            JudgingSettings.closes_at <= now + JUDGING_REMINDER_BEFORE,
        )
    ).all()
    queued = 0
    for event, closes_at in due:
        missing = judges_missing_scores(session, event)
        if not missing:
            continue
        judges = list(session.scalars(sa.select(User).where(User.id.in_(list(missing)))))

        def make(user: User, event=event, closes_at=closes_at, missing=missing) -> tuple[str, str]:
            lines = "\n".join(f"- {frozen_title(session, s)} (#{s.id})" for s in missing[user.id])
            text = _(
                "Judging of %(event)s closes %(when)s. You still have scores to give for:",
                event=event.name,
                when=notifications.when(closes_at, event),
            )
            text += "\n" + lines + "\n\n" + notifications.link("judging.dashboard", slug=event.slug)
            return _("%(event)s: scores still missing", event=event.name), text

        key = f"judging-closes:{event.id}:{int(closes_at.timestamp())}"
        queued += notifications.notify_all(session, judges, "judge_reminders", key, make, event_id=event.id, now=now)
    session.commit()
    return queued


def _outcome_reminders(session: Session, now: datetime) -> int:
    """Organizers get one mail per event and milestone (3 and 12 months after it ended) listing
    the projects whose status nobody has recorded since; the dashboard shows the same list."""
    from hackkit.services.impact import due_outcome_reminders

    per_event: dict[tuple[int, int], list] = {}
    for due in due_outcome_reminders(session, now):
        per_event.setdefault((due.event.id, due.milestone), []).append(due)
    if not per_event:
        return 0
    organizers = list(session.scalars(sa.select(User).where(User.role == "organizer")))
    queued = 0
    for (_event_id, milestone), projects in per_event.items():
        event = projects[0].event

        def make(_user: User, event=event, milestone=milestone, projects=projects) -> tuple[str, str]:
            lines = "\n".join(f"- {p.title} (#{p.submission_id})" for p in projects)
            text = _(
                "%(event)s ended %(months)d months ago. What became of these projects? Record it on their pages:",
                event=event.name,
                months=milestone,
            )
            text += "\n" + lines + "\n\n" + notifications.link("events.manage", slug=event.slug)
            return _("%(event)s: what became of the projects?", event=event.name), text

        key = f"outcomes:{event.id}:{milestone}"
        queued += notifications.notify_all(
            session, organizers, "outcome_reminders", key, make, event_id=event.id, now=now
        )
    session.commit()
    return queued
