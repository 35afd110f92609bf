"""Running a jury: the facts every part of judging reads.

The event's judging settings and window, its criteria, who its judges are, which
submissions are judged (those with a frozen version), and conflicts of interest.
Changing them is in services.judging_setup (settings, criteria, judges, conflicts) and
services.assignments (who judges what); scores, progress and results in
services.scoring; pairwise and public votes in services.voting. Every rule is checked
in those services, so the pages and the API obey it alike.

Who is a judge: a user an organizer added to the event's jury (EventJudge), whatever their
account role. Conflicts: declared ones (JudgeConflict) plus, always, membership of the
judged team, which is computed live so that a judge who joins a team later is covered too.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Session, selectinload

from hackkit.models import (
    Criterion,
    Event,
    EventJudge,
    JudgeConflict,
    JudgingSettings,
    Membership,
    Submission,
    SubmissionVersion,
    User,
)
from hackkit.models.base import utcnow
from hackkit.services import submissions as submission_service
from hackkit.services.errors import Conflict, NotFound
from hackkit.services.teams import is_member

# Settings ------------------------------------------------------------------------------------


def settings_of(session: Session, event: Event) -> JudgingSettings:
    """The event's settings row, created with the defaults on first use (not committed)."""
    settings = session.scalar(sa.select(JudgingSettings).where(JudgingSettings.event_id == event.id))
    if settings is None:
        settings = JudgingSettings(event_id=event.id, results_published=False, per_submission=3, mode="rubric")
        session.add(settings)
        session.flush()
    return settings


def read_settings(session: Session, event: Event) -> JudgingSettings:
    """The settings for reading: the stored row, or an unsaved one with the defaults (a page
    view must not write)."""
    stored = session.scalar(sa.select(JudgingSettings).where(JudgingSettings.event_id == event.id))
    return stored or JudgingSettings(event_id=event.id, results_published=False, per_submission=3, mode="rubric")


# Built once: the event page and the badges ask on every request. The flag as the model
# defines it (Event.judging_results_published), also read with the event by events.get_event and
# with a team by teams.get_team.
_RESULTS_PUBLISHED = sa.select(Event.judging_results_published).where(Event.id == sa.bindparam("event_id"))


def results_are_published(session: Session, event: Event) -> bool:
    """Only that one flag: the settings row carries the frozen results, large to read. A page
    that read the event with it (events.get_event, teams.get_team) asks nothing more, and once asked, the event
    keeps the answer as if read with it (the event page and the gallery ask twice), until the
    session expires it as it would the column."""
    if "judging_results_published" in event.__dict__:
        return bool(event.judging_results_published)
    published = bool(session.scalar(_RESULTS_PUBLISHED, {"event_id": event.id}))
    if event in session:
        note_published(event, published)
    return published


def note_published(event: Event, published: bool) -> None:
    """The event holds the flag as if read with it; publishing and withdrawing call this too,
    so a flag read earlier in the same session (kept by results_are_published, or read with
    the team) never says the old thing, even where a commit does not expire it."""
    orm.attributes.set_committed_value(event, "judging_results_published", published)


def judging_is_open(session: Session, event: Event, now: datetime | None = None) -> bool:
    """Scoring is open from `opens_at` (default: the submission deadline) until `closes_at`.

    Without a closing time, judging ends when the results are published.
    """
    settings = settings_of(session, event)
    now = now or utcnow()
    opens = settings.opens_at or event.submission_deadline
    if now < opens:
        return False
    if settings.closes_at is not None:
        return now < settings.closes_at
    return not settings.results_published


def require_not_frozen(session: Session, event: Event) -> None:
    """Published results are frozen: nothing that feeds them may change until they are withdrawn.

    Criteria, judges, conflicts, assignments, scores, pairwise votes and the judging mode all
    move the ranking; changing one silently after publication would make the public ranking
    differ from what the organizer published.
    """
    if settings_of(session, event).results_published:
        raise Conflict(
            _l(
                "The results are published, so the judging is frozen. An organizer must withdraw the "
                "results first (this is logged), then make the change and publish again."
            )
        )


def require_judging_open(session: Session, event: Event, now: datetime | None = None) -> None:
    if not judging_is_open(session, event, now):
        raise Conflict(_l("Judging is not open: scores and votes are accepted only inside the judging window."))


# Criteria ------------------------------------------------------------------------------------


def criteria_of(session: Session, event: Event) -> list[Criterion]:
    return list(
        session.scalars(
            sa.select(Criterion).where(Criterion.event_id == event.id).order_by(Criterion.position, Criterion.id)
        )
    )


def get_criterion(session: Session, criterion_id: int) -> Criterion:
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise NotFound(_l("There is no such criterion."))
    return criterion


# Judges --------------------------------------------------------------------------------------


def is_judge(session: Session, event: Event, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    query = sa.select(EventJudge.id).where(EventJudge.event_id == event.id, EventJudge.user_id == user.id)
    return session.scalar(query) is not None


def judges_of(session: Session, event: Event) -> list[User]:
    return list(
        session.scalars(
            sa.select(User).join(EventJudge).where(EventJudge.event_id == event.id).order_by(User.display_name, User.id)
        )
    )


# Submissions under judgement -----------------------------------------------------------------


def judged_versions(session: Session, event: Event) -> list[tuple[Submission, SubmissionVersion]]:
    """Submissions that have a frozen (submitted) version, each with that version: only those
    are judged. Three queries (submissions, their teams, the versions), however many there are."""
    found = list(
        session.scalars(
            sa.select(Submission)
            .where(Submission.event_id == event.id)
            .options(selectinload(Submission.team))
            .order_by(Submission.id)
        )
    )
    frozen = submission_service.frozen_versions(session, found)
    return [(s, frozen[s.id]) for s in found if s.id in frozen]


def judged_submissions(session: Session, event: Event) -> list[Submission]:
    """Submissions that have a frozen (submitted) version: only those are judged."""
    return [submission for submission, _version in judged_versions(session, event)]


def title_of(submission: Submission, version: SubmissionVersion | None) -> str:
    """The title as submitted before the deadline (`version`, the frozen one): what the jury and the public see."""
    return (version.data.get("title") if version else None) or submission.title


def frozen_title(session: Session, submission: Submission) -> str:
    """The title as submitted before the deadline: what the jury and the public see."""
    return title_of(submission, submission_service.frozen_version(session, submission))


def get_judged_submission(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None or submission_service.frozen_version(session, submission) is None:
        raise NotFound(_l("There is no submitted project with this number."))
    return submission


# Conflicts of interest -----------------------------------------------------------------------


def member_conflicts(session: Session, event: Event) -> set[tuple[int, int]]:
    """(judge, submission) pairs where the judge is in the submission's team."""
    rows = session.execute(
        sa.select(Membership.user_id, Submission.id)
        .join(Submission, Submission.team_id == Membership.team_id)
        .join(EventJudge, (EventJudge.user_id == Membership.user_id) & (EventJudge.event_id == event.id))
        .where(Submission.event_id == event.id)
    )
    return {(user_id, submission_id) for user_id, submission_id in rows}


def all_conflicts(session: Session, event: Event) -> set[tuple[int, int]]:
    declared = session.execute(
        sa.select(JudgeConflict.judge_id, JudgeConflict.submission_id)
        .join(Submission, Submission.id == JudgeConflict.submission_id)
        .where(Submission.event_id == event.id)
    )
    return {(j, s) for j, s in declared} | member_conflicts(session, event)


def is_conflicted(session: Session, user, submission: Submission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_member(submission.team, user):
        return True
    query = sa.select(JudgeConflict.id).where(
        JudgeConflict.judge_id == user.id, JudgeConflict.submission_id == submission.id
    )
    return session.scalar(query) is not None
