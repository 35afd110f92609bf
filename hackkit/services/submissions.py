"""Project submissions: one per team, editable until the deadline, every version kept.

At the team's deadline (the event's, or an organizer's extension) the submission is
frozen: every later edit is refused with 409 and nothing changes. Judges see the
newest version that was *submitted* before that deadline.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Session

from hackkit.licences import SPDX_LICENCES
from hackkit.models import Challenge, Dataset, Submission, SubmissionVersion, Team, User
from hackkit.models.base import UTCDateTime, utcnow
from hackkit.permissions import can
from hackkit.services import validation as v
from hackkit.services import webhooks
from hackkit.services.errors import Conflict, Forbidden, Invalid, NotFound
from hackkit.services.teams import effective_deadline, effective_deadlines, is_member
from hackkit.services.transactions import rolls_back

# The fields a team edits, in the order the form and the API list them.
# The submission's fields, each named once with its kind: "text", "id" (a challenge),
# "dataset_uses" ([{slug, how}]) or "ids" (accounts). The API's accepted keys, the page
# form's text boxes and the OpenAPI schemas (hackkit/api/openapi_hub.py) derive from this.
FIELD_KINDS = {
    "title": "text",
    "tagline": "text",
    "description": "text",
    "repo_url": "text",
    "demo_url": "text",
    "video_url": "text",
    "challenge_id": "id",
    "datasets": "dataset_uses",
    "template": "text",
    "district": "text",
    "licence": "text",
    "credited_user_ids": "ids",
}
FIELDS = tuple(FIELD_KINDS)
TEXT_FIELDS = tuple(name for name, kind in FIELD_KINDS.items() if kind == "text")
# Saved and versioned like the fields above, but changed only through services.screenshots.
MANAGED_FIELDS = ("screenshot_ids",)


def snapshot(submission: Submission) -> dict:
    data = {field: getattr(submission, field) for field in FIELDS + MANAGED_FIELDS}
    data["status"] = submission.status
    return data


_SUBMISSION_OF_TEAM = sa.select(Submission).where(Submission.team_id == sa.bindparam("team_id"))


def get_submission(session: Session, team: Team) -> Submission | None:
    if "submission" in team.__dict__:  # read with the team (teams.get_team's `project`)
        return team.__dict__["submission"]
    return session.scalar(_SUBMISSION_OF_TEAM, {"team_id": team.id})


def can_see_drafts(actor, team: Team) -> bool:
    return is_member(team, actor) or can(actor, "events.manage")


def _clean(session: Session, team: Team, data: dict) -> dict:
    """The accepted values; every field's problem is reported at once (Invalid with all of them)."""
    values: dict = {}
    problems = v.Problems()

    def keep(field: str, parse, *args, **kwargs) -> None:
        try:
            values[field] = parse(*args, **kwargs)
        except Invalid as error:
            problems.add(error)

    limits = {"title": 200, "tagline": 300, "description": 20000, "district": 120}
    for field, limit in limits.items():
        if field in data:
            keep(field, v.text, data, field, max_length=limit)
    for field in ("repo_url", "demo_url", "video_url"):
        if field in data:
            keep(field, v.web_url, data, field)
    if "licence" in data:
        keep("licence", _licence, data)
    if "template" in data:
        keep("template", _template, data)
    if "challenge_id" in data:
        keep("challenge_id", _challenge_id, session, team, data["challenge_id"])
    if "datasets" in data:
        keep("datasets", _catalogue_datasets, session, data["datasets"])
    if "credited_user_ids" in data:
        keep("credited_user_ids", _credited, team, data["credited_user_ids"])
    if "screenshot_ids" in data:
        values["screenshot_ids"] = [int(i) for i in data["screenshot_ids"]]
    problems.raise_if_any()
    return values


def _licence(data: dict) -> str:
    licence = v.text(data, "licence", max_length=80)
    if licence and licence not in SPDX_LICENCES:
        raise v.fail("licence", _l("Choose a licence from the list (SPDX identifiers such as MIT)."))
    return licence


def _catalogue_datasets(session: Session, value) -> list:
    datasets = _datasets(value)
    _check_in_catalogue(session, datasets)
    return datasets


def _challenge_id(session: Session, team: Team, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        challenge_id = int(value)
    except (TypeError, ValueError):
        raise v.fail("challenge_id", _l("Choose one of this event's challenges.")) from None
    challenge = session.get(Challenge, challenge_id)
    if challenge is None or challenge.event_id != team.event_id:
        raise v.fail("challenge_id", _l("Choose one of this event's challenges."))
    return challenge_id


def _template(data: dict) -> str:
    """One of the sample apps in the gallery (/apps), or empty."""
    from hackkit.apps.registry import template_names

    name = v.text(data, "template", max_length=80)
    if name and name not in template_names():
        raise v.fail(
            "template",
            _l("Choose one of the sample apps: %(names)s (or leave it empty).", names=", ".join(template_names())),
        )
    return name


def _datasets(value) -> list[dict]:
    if not isinstance(value, list) or len(value) > 30:
        raise v.fail("datasets", _l("List at most 30 datasets, each with a slug and how you used it."))
    cleaned, seen = [], set()
    for item in value:
        if isinstance(item, str):
            item = {"slug": item, "how": ""}
        if not isinstance(item, dict):
            raise v.fail("datasets", _l("List at most 30 datasets, each with a slug and how you used it."))
        slug = v.text(item, "slug", max_length=80, required=True)
        how = v.text(item, "how", max_length=300)
        if slug not in seen:
            seen.add(slug)
            cleaned.append({"slug": slug, "how": how})
    return cleaned


def _check_in_catalogue(session: Session, datasets: list[dict]) -> None:
    """Projects credit datasets of the catalogue: a typo would break the usage reports."""
    slugs = {d["slug"] for d in datasets}
    known = set(session.scalars(sa.select(Dataset.slug).where(Dataset.slug.in_(slugs), Dataset.status == "published")))
    unknown = sorted(slugs - known)
    if unknown:
        raise v.fail(
            "datasets",
            _l(
                "Not in the data catalogue: %(slugs)s. Use the slug shown on the dataset's page.",
                slugs=", ".join(unknown),
            ),
        )


def _credited(team: Team, value) -> list[int]:
    if not isinstance(value, list):
        raise v.fail("credited_user_ids", _l("Credit members of your team."))
    members = {m.user_id for m in team.memberships}
    ids: list[int] = []
    for item in value:
        try:
            user_id = int(item)
        except (TypeError, ValueError):
            raise v.fail("credited_user_ids", _l("Credit members of your team.")) from None
        if user_id not in members:
            raise v.fail("credited_user_ids", _l("Credit members of your team."))
        if user_id not in ids:
            ids.append(user_id)
    return ids


_UNREAD = object()


@rolls_back
def save_submission(
    session: Session,
    actor: User,
    team: Team,
    data: dict,
    *,
    status: str | None = None,
    now: datetime | None = None,
    current: Submission | None | object = _UNREAD,
) -> Submission:
    """Create or update the team's submission and record the new version.

    `status` moves it between "draft" and "submitted"; None keeps the current one. `current`:
    the team's submission (or None) as the caller read it in this session a moment ago; asking
    again would return the same object from the session, at the cost of a statement.
    """
    if not is_member(team, actor):
        raise Forbidden(_l("Only members of the team can edit its submission."))
    now = now or utcnow()
    if now >= effective_deadline(team):
        raise Conflict(_l("The submission deadline has passed. The submitted version is final."))
    values = _clean(session, team, data)
    if status not in (None, "draft", "submitted"):
        raise v.fail("status", _l("Choose draft or submitted."))

    submission = get_submission(session, team) if current is _UNREAD else current
    if submission is None:
        submission = Submission(
            team_id=team.id,
            event_id=team.event_id,
            status="draft",
            datasets=[],
            screenshot_ids=[],
            credited_user_ids=[m.user_id for m in team.memberships],
        )
        session.add(submission)
        # The team may have been read with its project (none then): it has one now.
        orm.attributes.set_committed_value(team, "submission", submission)
        before: dict = {}
    else:
        before = snapshot(submission)
    for field, value in values.items():
        setattr(submission, field, value)
    if status is not None:
        submission.status = status
    if submission.status == "submitted":
        if not submission.title:
            raise v.fail("title", _l("Give your project a title before you submit it."))
        submission.submitted_at = submission.submitted_at or now
    after = snapshot(submission)
    changed = [field for field in after if before.get(field) != after[field]]
    if not changed and before:
        return submission  # nothing changed: no empty version in the history
    submission.version = (submission.version or 0) + 1
    submission.updated_at = now
    try:
        session.flush()  # the first save of two members at once: the second project row is refused here
        session.add(
            SubmissionVersion(
                submission_id=submission.id,
                number=submission.version,
                author_id=actor.id,
                created_at=now,
                changed=changed,
                data=after,
            )
        )
        webhooks.submission_saved(session, submission)
        session.commit()
    except sa.exc.IntegrityError as error:  # two members saved at the same moment: one wins, one retries
        session.rollback()
        raise Conflict(_l("Someone else in your team saved at the same moment. Reload and try again.")) from error
    return submission


def history(session: Session, actor, team: Team) -> list[SubmissionVersion]:
    if not can_see_drafts(actor, team):
        raise Forbidden(_l("Only the team and organizers see the history."))
    submission = get_submission(session, team)
    return list(reversed(submission.versions)) if submission else []


# The last version of one submission saved before a moment (its deadline): frozen_versions'
# rule for a single project, prepared once (building the many-project statement costs more
# than running it).
_LAST_BEFORE_DEADLINE = (
    sa.select(SubmissionVersion)
    .where(
        SubmissionVersion.submission_id == sa.bindparam("submission_id"),
        SubmissionVersion.created_at < sa.bindparam("deadline", type_=UTCDateTime()),
    )
    .order_by(SubmissionVersion.number.desc())
    .limit(1)
)


def frozen_versions(session: Session, projects: list[Submission]) -> dict[int, SubmissionVersion]:
    """What judges see of each submission (id -> version; absent: nothing frozen): the last
    version saved before the team's deadline, if it was submitted. A team that moved its
    project back to draft before the deadline has nothing frozen.

    The one home of this rule; one query for any number of submissions.
    """
    team_deadlines = effective_deadlines(s.team for s in projects)
    deadlines = {s.id: team_deadlines[s.team_id] for s in projects}
    if not deadlines:
        return {}
    if len(deadlines) == 1:  # one project's page: the same rule, in a statement built once
        ((submission_id, deadline),) = deadlines.items()
        found = session.scalars(_LAST_BEFORE_DEADLINE, {"submission_id": submission_id, "deadline": deadline})
        return {version.submission_id: version for version in found if version.data.get("status") == "submitted"}
    # Only the last version before each submission's own deadline is read, however often the
    # team saved (a team saving every few seconds has thousands by the end of the day).
    deadline_of = sa.case(
        *((SubmissionVersion.submission_id == sid, sa.literal(when, UTCDateTime())) for sid, when in deadlines.items())
    )
    last = (
        sa.select(SubmissionVersion.submission_id, sa.func.max(SubmissionVersion.number).label("number"))
        .where(SubmissionVersion.submission_id.in_(deadlines), SubmissionVersion.created_at < deadline_of)
        .group_by(SubmissionVersion.submission_id)
        .subquery()
    )
    latest = session.scalars(
        sa.select(SubmissionVersion).join(
            last,
            (SubmissionVersion.submission_id == last.c.submission_id) & (SubmissionVersion.number == last.c.number),
        )
    )
    return {version.submission_id: version for version in latest if version.data.get("status") == "submitted"}


def frozen_version(session: Session, submission: Submission) -> SubmissionVersion | None:
    """frozen_versions for one submission."""
    return frozen_versions(session, [submission]).get(submission.id)


def public_views(session: Session, projects: list[Submission], now: datetime | None = None) -> dict[int, dict]:
    """What the public sees of each submission (id -> content; absent: nothing public).

    The submitted content, frozen after the team's deadline. The frozen versions of all the
    submissions come from one query, so a gallery or a report costs the same for 5 or 500.
    """
    now = now or utcnow()
    deadlines = effective_deadlines(s.team for s in projects)
    frozen = frozen_versions(session, [s for s in projects if now >= deadlines[s.team_id]])
    views: dict[int, dict] = {}
    for submission in projects:
        if now >= deadlines[submission.team_id]:
            version = frozen.get(submission.id)
            content = version.data if version is not None else None
        else:
            content = snapshot(submission) if submission.status == "submitted" else None
        if content is not None:
            views[submission.id] = content
    return views


def public_view(session: Session, submission: Submission, now: datetime | None = None) -> dict | None:
    """What the gallery shows of one submission: the submitted content, frozen after the deadline."""
    return public_views(session, [submission], now).get(submission.id)


def shown_project(
    session: Session, actor, team: Team, *, current: Submission | None | object = _UNREAD
) -> tuple[dict, bool]:
    """What `actor` sees of `team`'s project and whether that is its public version.

    The one rule for the project page and its screenshots: the submitted content (frozen
    after the deadline) for everyone who may see the event; the team and organizers see
    their draft until then; NotFound for anyone else. `team` comes from teams.get_team,
    which already hides the teams of events this person may not see. `current`: the team's
    submission as the caller just read it (see save_submission)."""
    if current is _UNREAD:
        current = get_submission(session, team)
    content = public_view(session, current) if current else None
    if content is not None:
        return content, True
    if current is None or not can_see_drafts(actor, team):
        raise NotFound(_l("This project is not submitted yet."))
    return snapshot(current), False


def get_submission_by_id(session: Session, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(_l("There is no such project."))
    return submission


# Teams in one query, not one per card, in a statement built once (building it cost more CPU
# than running it): the gallery is the busiest page of an event day.
_GALLERY = (
    sa.select(Submission)
    .where(Submission.event_id == sa.bindparam("event_id"))
    .options(orm.joinedload(Submission.team, innerjoin=True))
    .order_by(Submission.submitted_at, Submission.id)
)


def gallery(
    session: Session, event, *, challenge_id: int | None = None, dataset: str | None = None, query: str | None = None
) -> list[tuple[Submission, dict]]:
    """Submitted projects of an event as the public sees them, filtered."""
    projects = session.scalars(_GALLERY, {"event_id": event.id}).all()
    views = public_views(session, projects)
    every = [(submission, views[submission.id]) for submission in projects if submission.id in views]
    return filter_gallery(every, challenge_id=challenge_id, dataset=dataset, query=query)


def filter_gallery(
    projects: list[tuple[Submission, dict]],
    *,
    challenge_id: int | None = None,
    dataset: str | None = None,
    query: str | None = None,
) -> list[tuple[Submission, dict]]:
    """The gallery's (submission, public content) pairs that match every filter given."""
    words = query.lower().split() if query else []
    found = []
    for submission, content in projects:
        if challenge_id is not None and content.get("challenge_id") != challenge_id:
            continue
        if dataset and dataset not in {d["slug"] for d in content.get("datasets") or []}:
            continue
        if words:
            haystack = " ".join(str(content.get(k) or "") for k in ("title", "tagline", "description")).lower()
            haystack += " " + submission.team.name.lower()
            if not all(word in haystack for word in words):
                continue
        found.append((submission, content))
    return found
