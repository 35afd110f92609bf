"""E-mail notifications: each happening queues one mail per person who wants it, in their language.

Every trigger is one call from the service that makes the change, inside its transaction
(the outbox row commits with the change, or not at all). A dedupe key names the happening and
the person, so a retried request, a second worker pass or a re-run never mails twice.
Reminders that depend on the clock (deadlines, judging closing) are queued by
hackkit/services/reminders.py, which the mail worker runs before each delivery pass.

kind (the switch)    trigger (the service that calls in) -> who gets it
announcements        events.post_announcement -> everyone registered for the event
team_requests        teams.request_to_join -> the team's captain;
                     teams.decide_join_request -> the person who asked
deadlines            reminders.enqueue_due, 24 h and 1 h before a team's deadline -> members of teams
                     that have not submitted
results              publication.publish_results -> everyone registered; members of judged
                     teams also get the link to the jury's feedback
cocreation_answers   feedback.answer_feedback -> the reporter; proposals.moderate (closed) and
                     proposals.adopt -> the proposal's author
judge_assignments    assignments.run_assignment, assignments.assign_manually -> each judge whose
                     list of projects changed
judge_reminders      reminders.enqueue_due, 24 h before judging closes -> judges with scores missing
organizer_messages   event_messages.send_message -> the segment the organizer chose
outcome_reminders    reminders.enqueue_due, 3 and 12 months after an event ended -> every organizer,
                     listing the projects with no outcome recorded since
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from hackkit.i18n import format_datetime_in
from hackkit.models import (
    Assignment,
    DataFeedback,
    Event,
    JoinRequest,
    JudgingSettings,
    Membership,
    OutboxItem,
    Proposal,
    Registration,
    Submission,
    User,
)
from hackkit.services import notification_settings, outbox

log = logging.getLogger(__name__)

# A development hub without HACKKIT_PUBLIC_URL: links point where `make run` serves.
DEVELOPMENT_URL = "http://127.0.0.1:5000"


# Links and mail text ---------------------------------------------------------------------------


def link(endpoint: str, **values) -> str:
    """An absolute address on HACKKIT_PUBLIC_URL. Mails are made outside requests too (the
    worker), and never from the Host header, which a stranger chooses."""
    base = current_app.config["HACKKIT_PUBLIC_URL"] or DEVELOPMENT_URL
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base.rstrip("/") + path + (f"#{anchor}" if anchor else "")


def _footer(user: User, kind: str, unsubscribe_url: str) -> str:
    return "-- \n" + _(
        "You get this e-mail because of your hackkit account's setting “%(setting)s”.\n"
        "Stop these e-mails with one click: %(unsubscribe)s\n"
        "Choose what you receive on your account page: %(account)s",
        setting=str(notification_settings.LABELS[kind]),
        unsubscribe=unsubscribe_url,
        account=link("auth.profile", _anchor="notifications"),
    )


def notify(
    session: Session,
    user: User | None,
    kind: str,
    key: str,
    make: Callable[[], tuple[str, str]],
    *,
    event_id: int | None = None,
    skip: set[int] | None = None,
    now: datetime | None = None,
) -> OutboxItem | None:
    """Queue one mail of `kind` to `user` unless they turned it off; `make` writes (subject,
    text) and runs in the person's language. `skip`: ids known to have it off or already queued;
    `now`: the worker's clock, when it is the one queueing (reminders)."""
    if user is None or not user.email:
        return None
    key = f"{key}:user:{user.id}"
    if skip is None:  # alone; notify_all has asked both questions for everyone at once
        skip = notification_settings.switched_off(session, [user.id], kind)
        if session.scalar(sa.select(OutboxItem.id).where(OutboxItem.dedupe_key == key)) is not None:
            return None  # already queued: do not even write it again
    if user.id in skip:
        return None
    config = current_app.config
    unsubscribe_url = link(
        "notifications.unsubscribe",
        token=notification_settings.unsubscribe_token(user.id, kind, config["SECRET_KEY"]),
    )
    with force_locale(user.locale or "en"):
        subject, text = make()
        body = "\n\n".join(
            [_("Hello %(name)s,", name=user.display_name), text.strip(), _footer(user, kind, unsubscribe_url)]
        )
    payload = {"kind": kind, "body": body + "\n", "unsubscribe_url": unsubscribe_url, "locale": user.locale or "en"}
    return outbox.enqueue(
        session,
        "mail",
        user.email,
        payload,
        subject=subject,
        dedupe_key=key,
        event_id=event_id,
        user_id=user.id,
        not_before=now,
    )


def notify_all(
    session: Session,
    users: Iterable[User],
    kind: str,
    key: str,
    make: Callable[[User], tuple[str, str]],
    *,
    event_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """`notify` for many people with one preference query; the number of mails queued."""
    users = list({u.id: u for u in users if u is not None}.values())
    skip = notification_settings.switched_off(session, [u.id for u in users], kind)
    # Who already has it, in one query: the worker asks again every few seconds for reminders.
    keys = {f"{key}:user:{u.id}": u.id for u in users}
    queued_before = session.scalars(sa.select(OutboxItem.dedupe_key).where(OutboxItem.dedupe_key.in_(list(keys))))
    skip |= {keys[k] for k in queued_before}
    queued = 0
    for user in users:
        if notify(session, user, kind, key, lambda user=user: make(user), event_id=event_id, skip=skip, now=now):
            queued += 1
    return queued


def when(moment: datetime, event: Event) -> str:
    return format_datetime_in(moment, event.timezone)


def registered_people(session: Session, event: Event) -> list[User]:
    return list(
        session.scalars(
            sa.select(User).join(Registration, Registration.user_id == User.id).where(Registration.event_id == event.id)
        )
    )


# Triggers called by other services (one line each, before their commit) -----------------------


def announcement_posted(session: Session, announcement) -> int:
    session.flush()
    event = announcement.event

    def make(_user: User) -> tuple[str, str]:
        subject = _("%(event)s: a new announcement", event=event.name)
        return subject, announcement.body + "\n\n" + link("events.detail", slug=event.slug)

    people = registered_people(session, event)
    return notify_all(session, people, "announcements", f"announcement:{announcement.id}", make, event_id=event.id)


def join_requested(session: Session, request: JoinRequest) -> None:
    session.flush()
    team = request.team
    captain = session.get(User, team.captain_id) if team.captain_id else None

    def make() -> tuple[str, str]:
        text = _(
            "%(person)s asks to join your team %(team)s at %(event)s.",
            person=request.user.display_name,
            team=team.name,
            event=team.event.name,
        )
        if request.message:
            text += "\n\n> " + request.message.replace("\n", "\n> ")
        text += "\n\n" + _("Accept or decline on your team's page: %(url)s", url=link("teams.detail", team_id=team.id))
        return _("%(person)s asks to join %(team)s", person=request.user.display_name, team=team.name), text

    notify(session, captain, "team_requests", f"join-request:{request.id}", make, event_id=team.event_id)


def join_answered(session: Session, request: JoinRequest) -> None:
    team = request.team

    def make() -> tuple[str, str]:
        if request.status == "accepted":
            subject = _("You are in team %(team)s", team=team.name)
            text = _("The captain of %(team)s accepted your request: you are in the team.", team=team.name)
        else:
            subject = _("Your request to join %(team)s", team=team.name)
            text = _(
                "The captain of %(team)s declined your request. Other teams are looking for people: %(url)s",
                team=team.name,
                url=link("events.detail", slug=team.event.slug),
            )
        return subject, text + "\n\n" + link("teams.detail", team_id=team.id)

    notify(session, request.user, "team_requests", f"join-answer:{request.id}", make, event_id=team.event_id)


def results_published(session: Session, event: Event, is_judged: Callable[[Session, Submission], bool]) -> int:
    """Everyone registered hears that the results are out; a member of a judged team also gets
    the link to the jury's feedback on their project. `is_judged` comes from the caller, so this
    module, which the rule-keeping services call, imports none of them back."""
    feedback_links: dict[int, str] = {}
    rows = session.execute(
        sa.select(Membership.user_id, Submission)
        .join(Submission, Submission.team_id == Membership.team_id)
        .where(Membership.event_id == event.id)
    ).all()
    for user_id, submission in rows:
        if is_judged(session, submission):
            feedback_links[user_id] = link("judging.feedback", slug=event.slug, submission_id=submission.id)

    def make(user: User) -> tuple[str, str]:
        text = _(
            "The results of %(event)s are published: %(url)s",
            event=event.name,
            url=link("judging.results", slug=event.slug),
        )
        if user.id in feedback_links:
            text += "\n\n" + _("The jury's feedback on your team's project: %(url)s", url=feedback_links[user.id])
        return _("%(event)s: the results are published", event=event.name), text

    published = session.scalar(sa.select(JudgingSettings.published_at).where(JudgingSettings.event_id == event.id))
    stamp = int(published.timestamp()) if published else 0
    people = registered_people(session, event)
    return notify_all(session, people, "results", f"results:{event.id}:{stamp}", make, event_id=event.id)


def feedback_answered(session: Session, item: DataFeedback, status_label) -> None:
    """`status_label`: the (lazily translated) name of the item's status, from the caller."""
    if item.status == "open" or not item.answer or item.reporter_id == item.answered_by_id:
        return

    def make() -> tuple[str, str]:
        text = _(
            "Your feedback “%(title)s” has an answer (status: %(status)s):",
            title=item.title,
            status=str(status_label),
        )
        text += "\n\n" + item.answer + "\n\n" + link("cocreation.feedback_detail", feedback_id=item.id)
        return _("An answer to your feedback “%(title)s”", title=item.title), text

    stamp = int(item.answered_at.timestamp()) if item.answered_at else 0
    notify(session, item.reporter, "cocreation_answers", f"feedback:{item.id}:{item.status}:{stamp}", make)


def proposal_answered(session: Session, proposal: Proposal) -> None:
    """The author hears when their proposal became a challenge or was closed."""
    session.flush()
    if proposal.challenge_id is not None:
        outcome = "challenge"
    elif proposal.status == "closed":
        outcome = "closed"
    else:
        return
    event = proposal.event

    def make() -> tuple[str, str]:
        if outcome == "challenge":
            text = _(
                "The organizers of %(event)s turned your proposal “%(title)s” into a challenge of the event.",
                event=event.name,
                title=proposal.title,
            )
        else:
            text = _(
                "The organizers of %(event)s closed your proposal “%(title)s” for votes.",
                event=event.name,
                title=proposal.title,
            )
        url = link("cocreation.proposal_detail", slug=event.slug, proposal_id=proposal.id)
        return _("Your proposal “%(title)s”", title=proposal.title), text + "\n\n" + url

    notify(session, proposal.author, "cocreation_answers", f"proposal:{proposal.id}:{outcome}", make, event_id=event.id)


def assignments_changed(session: Session, event: Event, frozen_title: Callable[[Session, Submission], str]) -> int:
    """Each judge whose set of projects is new (not mailed before) gets the current list.
    `frozen_title` (the title judges see) comes from the caller, as `is_judged` above does."""
    session.flush()
    found = session.execute(
        sa.select(Assignment.judge_id, Submission)
        .join(Submission, Submission.id == Assignment.submission_id)
        .where(Submission.event_id == event.id)
        .order_by(Assignment.judge_id, Submission.id)
    ).all()
    per_judge: dict[int, list[Submission]] = {}
    for judge_id, submission in found:
        per_judge.setdefault(judge_id, []).append(submission)
    queued = 0
    skip = notification_settings.switched_off(session, per_judge, "judge_assignments")
    for judge_id, projects in per_judge.items():
        titles = [f"- {frozen_title(session, s)} (#{s.id})" for s in projects]
        digest = hashlib.sha256(",".join(str(s.id) for s in projects).encode()).hexdigest()[:16]

        def make(projects=projects, titles=titles) -> tuple[str, str]:
            text = _(
                "You are assigned %(count)d projects to judge at %(event)s:",
                count=len(projects),
                event=event.name,
            )
            text += "\n" + "\n".join(titles) + "\n\n" + link("judging.dashboard", slug=event.slug)
            return _("%(event)s: your projects to judge", event=event.name), text

        key = f"assignments:{event.id}:{digest}"
        judge = session.get(User, judge_id)
        if notify(session, judge, "judge_assignments", key, make, event_id=event.id, skip=skip):
            queued += 1
    return queued
