"""Teams: create, join by code or request, leave, captaincy, and the size limit.

The maximum team size must hold when several people join at the same moment. A
member joins only through `_add_member`, which claims a seat with one conditional
UPDATE (`member_count < max`); the database serialises concurrent UPDATEs of the
same row, so exactly the free seats are handed out, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import hmac
import math
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Session

from hackkit.models import DeadlineExtension, Event, JoinRequest, Membership, Registration, Submission, Team, User
from hackkit.models.base import utcnow
from hackkit.models.collections import Collection
from hackkit.permissions import can, require
from hackkit.services import notifications, webhooks
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Forbidden, NotFound
from hackkit.services.events import ensure_registered, is_registered, is_visible
from hackkit.services.transactions import rolls_back

DEFAULT_JOIN_COOLDOWN = timedelta(hours=24)  # HACKKIT_JOIN_REQUEST_COOLDOWN_HOURS in the app


def effective_deadline(team: Team) -> datetime:
    return effective_deadlines([team])[team.id]


def effective_deadlines(teams: Iterable[Team]) -> dict[int, datetime]:
    """team id -> its deadline: the organizer's extension for that team, else the event's.

    The one home of the rule. Each event is asked once: `team.event` is a lazy load on every
    team, even when the event is already in the session (a gallery of 60 teams spent a tenth of
    its time there)."""
    event_deadlines: dict[int, datetime] = {}
    found: dict[int, datetime] = {}
    for team in teams:
        if team.deadline_override:
            found[team.id] = team.deadline_override
            continue
        if team.event_id not in event_deadlines:
            event_deadlines[team.event_id] = team.event.submission_deadline
        found[team.id] = event_deadlines[team.event_id]
    return found


def _require_before_deadline(team_or_event, now: datetime | None) -> None:
    deadline = (
        effective_deadline(team_or_event) if isinstance(team_or_event, Team) else team_or_event.submission_deadline
    )
    if (now or utcnow()) >= deadline:
        raise Conflict(_l("The submission deadline has passed; teams can no longer change."))


# The statements of the busiest pages, built once (building one costs more than running it).
# The event and the memberships come with the team, in one statement: every permission
# check reads them, and the project page, the team page and each save start here.
_TEAM = sa.select(Team).where(Team.id == sa.bindparam("team_id"))
_TEAM_ONLY = _TEAM.options(orm.joinedload(Team.event), orm.joinedload(Team.memberships))
_TEAM_WITH_MEMBERS = _TEAM.options(
    orm.joinedload(Team.event), orm.joinedload(Team.memberships).joinedload(Membership.user)
)
# By (members, project): with the team's project too, one statement where a save or a project
# page sent two. The team page and the project page (members and project) also read whether
# the results are published (prize badges, feedback) and whether the project has outcomes or
# updates: two small subqueries instead of two or three statements of their own.
_TEAM_READS = {
    (False, False): _TEAM_ONLY,
    (True, False): _TEAM_WITH_MEMBERS,
    (False, True): _TEAM_ONLY.options(orm.joinedload(Team.submission)),
    (True, True): _TEAM_WITH_MEMBERS.options(
        orm.joinedload(Team.event).undefer(Event.judging_results_published),
        orm.joinedload(Team.submission).undefer(Submission.has_follow_up),
    ),
}
_PENDING_REQUESTS = (
    sa.select(JoinRequest)
    .where(JoinRequest.team_id == sa.bindparam("team_id"), JoinRequest.status == "pending")
    .order_by(JoinRequest.created_at)
)


def get_team(session: Session, actor, team_id: int, *, members: bool = False, project: bool = False) -> Team:
    """`members`: the members' accounts too, for a page that names them (the team page and the
    project page); `project`: the team's submission (submissions.get_submission then asks
    nothing more). Both in the same statement."""
    team = session.execute(_TEAM_READS[members, project], {"team_id": team_id}).unique().scalar_one_or_none()
    if team is None or not is_visible(actor, team.event):
        raise NotFound(_l("There is no such team."))
    return team


def team_by_invite_code(session: Session, actor, code: str) -> Team:
    """The team an invite link points to. Codes are 72 random bits: not guessable."""
    team = session.scalar(sa.select(Team).where(Team.invite_code == (code or "")))
    if team is None or not is_visible(actor, team.event):
        raise NotFound(_l("This invite link is not valid. Ask the team for a new one."))
    return team


def team_of(session: Session, event: Event, user) -> Team | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(
        sa.select(Team).join(Membership).where(Membership.event_id == event.id, Membership.user_id == user.id)
    )


def member_names(session: Session, team: Team) -> dict[int, str]:
    """user id -> display name of the team's members, in one query (not one per member), or
    none when their accounts came with the team (get_team's `members`)."""
    if all("user" in membership.__dict__ for membership in team.memberships):
        return {membership.user_id: membership.user.display_name for membership in team.memberships}
    query = sa.select(Membership.user_id, User.display_name).join(User).where(Membership.team_id == team.id)
    return {user_id: name for user_id, name in session.execute(query)}


def is_member(team: Team, user) -> bool:
    return getattr(user, "is_authenticated", False) and any(m.user_id == user.id for m in team.memberships)


def sees_invite_code(team: Team, user) -> bool:
    """Who sees a team's invite code (and link), on its page and in the API: its members only.
    An organizer who is not in the team has no use for it: it would let them join."""
    return is_member(team, user)


def _name_values(session: Session, event: Event, data: dict, team: Team | None) -> dict:
    values = {}
    if team is None or "name" in data:
        name = " ".join(v.text(data, "name", max_length=80, required=True).split())
        query = sa.select(Team.id).where(Team.event_id == event.id, Team.name_key == name.lower())
        if team is not None:
            query = query.where(Team.id != team.id)
        if session.scalar(query):
            message = _l("A team with this name already exists in this event.")
            raise Conflict(message, {"name": [message]})
        values.update(name=name, name_key=name.lower())
    if team is None or "description" in data:
        values["description"] = v.text(data, "description", max_length=500)
    if team is None or "missing_skills" in data:
        values["missing_skills"] = v.string_list(data.get("missing_skills"), "missing_skills")
    return values


def create_team(session: Session, actor: User, event: Event, data: dict, now: datetime | None = None) -> Team:
    if not is_registered(session, event, actor):
        raise Forbidden(_l("Register for the event before you create a team."))
    _require_before_deadline(event, now)
    if team_of(session, event, actor):
        raise Conflict(_l("You are already in a team for this event; leave it first."))
    team = Team(event=event, captain_id=actor.id, member_count=0, **_name_values(session, event, data, None))
    session.add(team)
    try:
        session.flush()
        _add_member(session, team, actor)
        webhooks.team_created(session, team)
        session.commit()
    except sa.exc.IntegrityError as error:  # the same name or a second team at the same moment
        session.rollback()
        raise Conflict(_l("That team name was just taken, or you joined another team.")) from error
    return team


@rolls_back
def update_team(session: Session, actor: User, team: Team, data: dict, now: datetime | None = None) -> Team:
    if not is_member(team, actor) and not can(actor, "events.manage"):
        raise Forbidden(_l("Only members can change their team."))
    if not can(actor, "events.manage"):
        _require_before_deadline(team, now)
    for field, value in _name_values(session, team.event, data, team).items():
        setattr(team, field, value)
    session.commit()
    return team


def _add_member(session: Session, team: Team, user: User) -> Membership:
    """Claim a seat atomically, then record the membership; the caller commits."""
    limit = team.event.max_team_size
    claimed = session.execute(
        sa.update(Team)
        .where(Team.id == team.id, Team.member_count < limit)
        .values(member_count=Team.member_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        session.rollback()
        raise Conflict(_l("This team is full (at most %(n)d members).", n=limit))
    membership = Membership(team_id=team.id, event_id=team.event_id, user_id=user.id)
    session.add(membership)
    try:
        session.flush()
    except sa.exc.IntegrityError as error:
        session.rollback()
        raise Conflict(_l("You are already in a team for this event; leave it first.")) from error
    session.expire(team, ["member_count", "memberships"])
    return membership


def join_team(session: Session, actor: User, team: Team, invite_code: str, now: datetime | None = None) -> Membership:
    # Compare in constant time: the code is the only secret between a team and strangers.
    if not hmac.compare_digest((invite_code or "").encode(), team.invite_code.encode()):
        raise Forbidden(_l("This invite code is not right for this team."))
    _require_before_deadline(team, now)
    if is_member(team, actor):
        raise Conflict(_l("You are already a member of this team."))
    ensure_registered(session, actor, team.event, now)
    membership = _add_member(session, team, actor)
    _close_pending_requests(session, team.event, actor)
    session.commit()
    return membership


def _close_pending_requests(session: Session, event: Event, user: User) -> None:
    """Someone who found a team no longer waits on the others."""
    pending = session.scalars(
        sa.select(JoinRequest)
        .join(Team)
        .where(Team.event_id == event.id, JoinRequest.user_id == user.id, JoinRequest.status == "pending")
    )
    for request in pending:
        request.status = "withdrawn"
        request.decided_at = utcnow()


def request_to_join(
    session: Session,
    actor: User,
    team: Team,
    message: str,
    now: datetime | None = None,
    cooldown: timedelta = DEFAULT_JOIN_COOLDOWN,
) -> JoinRequest:
    """Ask to join a team: one open request per person per event (so nobody asks every team
    at once), and after a captain declines, not that team again until `cooldown` has passed."""
    if not is_registered(session, team.event, actor):
        raise Forbidden(_l("Register for the event before you ask to join a team."))
    _require_before_deadline(team, now)
    if team_of(session, team.event, actor):
        raise Conflict(_l("You are already in a team for this event; leave it first."))
    _lock_registration(session, team.event, actor)
    _require_no_open_request(session, team, actor, now or utcnow(), cooldown)
    _require_cooled_down(session, team, actor, now or utcnow(), cooldown)
    request = JoinRequest(
        team_id=team.id, user_id=actor.id, message=v.text({"message": message}, "message", max_length=1000)
    )
    session.add(request)
    notifications.join_requested(session, request)
    session.commit()
    return request


def _lock_registration(session: Session, event: Event, user: User) -> None:
    """Two requests sent at once must not both pass the one-open-request check: on PostgreSQL
    the second waits here for the first to commit (SQLite writes one at a time anyway)."""
    session.execute(
        sa.select(Registration.id)
        .where(Registration.event_id == event.id, Registration.user_id == user.id)
        .with_for_update()
    )


def _require_no_open_request(session: Session, team: Team, user: User, now: datetime, cooldown: timedelta) -> None:
    """One open request per person per event. A captain who never answers must not keep
    the asker from every other team: after `cooldown` an unanswered request stops counting."""
    open_request = session.scalar(
        sa.select(JoinRequest)
        .join(Team)
        .where(Team.event_id == team.event_id, JoinRequest.user_id == user.id, JoinRequest.status == "pending")
        .order_by(JoinRequest.created_at.desc())
    )
    if open_request is None:
        return
    if open_request.team_id == team.id:
        raise Conflict(_l("You already asked to join this team; the captain will answer."))
    if open_request.created_at + cooldown <= now:
        return
    raise Conflict(
        _l(
            "You already asked to join %(team)s. One request at a time: wait for the captain's answer "
            "(at most %(hours)d hours) before you ask another team.",
            team=open_request.team.name,
            hours=_hours_left(open_request.created_at + cooldown, now),
        )
    )


def _hours_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 3600))


def _require_cooled_down(session: Session, team: Team, user: User, now: datetime, cooldown: timedelta) -> None:
    last_decline = session.scalar(
        sa.select(sa.func.max(JoinRequest.decided_at)).where(
            JoinRequest.team_id == team.id, JoinRequest.user_id == user.id, JoinRequest.status == "declined"
        )
    )
    if last_decline is None or last_decline + cooldown <= now:
        return
    hours = _hours_left(last_decline + cooldown, now)
    raise Conflict(
        _l(
            "The captain of %(team)s declined your request. You can ask this team again in %(hours)d hours; "
            "other teams you can ask now.",
            team=team.name,
            hours=hours,
        )
    )


def get_join_request(session: Session, request_id: int) -> JoinRequest:
    request = session.get(JoinRequest, request_id)
    if request is None:
        raise NotFound(_l("There is no such request."))
    return request


def decide_join_request(
    session: Session, actor: User, request: JoinRequest, accept: bool, now: datetime | None = None
) -> JoinRequest:
    team = request.team
    if team.captain_id != actor.id:
        raise Forbidden(_l("Only the captain answers requests to join."))
    if request.status != "pending":
        raise Conflict(_l("This request has already been answered."))
    if accept:
        _require_before_deadline(team, now)
        _add_member(session, team, request.user)
        _close_pending_requests(session, team.event, request.user)
    request.status = "accepted" if accept else "declined"
    request.decided_at = utcnow()
    request.decided_by_id = actor.id
    notifications.join_answered(session, request)
    session.commit()
    return request


def pending_requests(session: Session, team: Team) -> list[JoinRequest]:
    return list(session.scalars(_PENDING_REQUESTS, {"team_id": team.id}))


def check_removal(team: Team, actor: User, user_id: int, now: datetime | None = None) -> Membership:
    """The membership `actor` may end (leave, or remove as captain), or the refusal, changing
    nothing: the page asks "are you sure?" only when the answer could be yes."""
    membership = next((m for m in team.memberships if m.user_id == user_id), None)
    if membership is None:
        raise NotFound(_l("This person is not in the team."))
    leaving = actor.id == user_id
    if not leaving and team.captain_id != actor.id:
        raise Forbidden(_l("Only the captain can remove members."))
    _require_before_deadline(team, now)
    if leaving and team.captain_id == actor.id and team.member_count > 1:
        raise Conflict(_l("Hand the captaincy to another member before you leave."))
    return membership


def remove_member(session: Session, actor: User, team: Team, user_id: int, now: datetime | None = None) -> None:
    """Leave (yourself) or remove someone (the captain). The team goes when its last member does."""
    membership = check_removal(team, actor, user_id, now)
    session.delete(membership)
    session.execute(sa.update(Team).where(Team.id == team.id).values(member_count=Team.member_count - 1))
    session.flush()
    session.expire(team, ["member_count", "memberships"])
    if team.member_count == 0:
        if session.scalar(sa.select(Submission.id).where(Submission.team_id == team.id)) is None:
            session.delete(team)
        else:
            team.captain_id = None  # keep the project; an organizer can see who made it in its history
    session.commit()


def transfer_captaincy(session: Session, actor: User, team: Team, new_captain_id: int) -> Team:
    if team.captain_id != actor.id:
        raise Forbidden(_l("Only the captain can hand over the captaincy."))
    if not any(m.user_id == new_captain_id for m in team.memberships):
        raise v.fail("captain_id", _l("The new captain must be a member of the team."))
    team.captain_id = new_captain_id
    session.commit()
    return team


def extend_deadline(session: Session, actor: User, team: Team, new_deadline: datetime, reason: str) -> Team:
    require(actor, "events.manage")
    reason = v.text({"reason": reason}, "reason", max_length=1000, required=True)
    if new_deadline.tzinfo is None:
        raise v.fail("new_deadline", _l("Give the new deadline with its time zone."))
    if new_deadline <= team.event.submission_deadline:
        raise v.fail("new_deadline", _l("An extension must end after the event's own deadline."))
    team.deadline_override = new_deadline
    session.add(DeadlineExtension(team_id=team.id, organizer_id=actor.id, new_deadline=new_deadline, reason=reason))
    session.commit()
    return team


def teams_of_event(session: Session, event: Event) -> list[Team]:
    return list(session.scalars(sa.select(Team).where(Team.event_id == event.id).order_by(Team.name_key)))


_MEMBERS = Collection(Team.memberships, orm.joinedload(Membership.user))


def load_members(session: Session, shown: Iterable[Team]) -> None:
    """The members of each team a list shows, with their accounts, in one statement (not one
    per team and person)."""
    _MEMBERS.load(session, shown)


# The event page's two lists, built once (building a statement cost more CPU than running it).
# Counts and captains are filtered by the database. Whether the list of missing skills is
# empty is a JSON question each database answers differently (and PostgreSQL's answer fails on
# a value that is not a list), so the rule is asked in Python; the database only leaves out
# the values written for "nothing" (an empty list and null, as the hub writes them), which on
# an event day are most teams: the page then loads none of them.
_NOTHING_MISSING = ("[]", "null")
_OPEN_TEAMS = (
    sa.select(Team)
    .where(
        Team.event_id == sa.bindparam("event_id"),
        Team.member_count > 0,
        Team.member_count < sa.bindparam("max_team_size"),
        Team.captain_id.is_not(None),
        sa.cast(Team.missing_skills, sa.Text).not_in(_NOTHING_MISSING),
    )
    .order_by(Team.name_key)
)
_LOOKING_FOR_TEAM = (
    sa.select(User)
    .join(Registration, Registration.user_id == User.id)
    .where(
        Registration.event_id == sa.bindparam("event_id"),
        User.looking_for_team.is_(True),
        User.id.not_in(sa.select(Membership.user_id).where(Membership.event_id == sa.bindparam("event_id"))),
    )
    .order_by(User.display_name)
)


def teams_looking_for_members(session: Session, event: Event) -> list[Team]:
    open_teams = session.scalars(_OPEN_TEAMS, {"event_id": event.id, "max_team_size": event.max_team_size})
    return [team for team in open_teams if team.missing_skills]


def people_looking_for_team(session: Session, event: Event) -> list[User]:
    """Registered people without a team who said they are looking for one."""
    return list(session.scalars(_LOOKING_FOR_TEAM, {"event_id": event.id}))


def forget_member(session: Session, user: User) -> None:
    """Take a deleted account out of its teams, keeping counts and captaincy right.

    The caller deletes the account and commits. A captain's team passes to the member who
    joined first; a team left empty without a submission goes too.
    """
    for membership in session.scalars(sa.select(Membership).where(Membership.user_id == user.id)).all():
        team = membership.team
        session.delete(membership)
        team.member_count -= 1
        if team.captain_id == user.id:
            successors = [m for m in team.memberships if m.user_id != user.id]
            team.captain_id = successors[0].user_id if successors else None
        if (
            team.member_count == 0
            and session.scalar(sa.select(Submission.id).where(Submission.team_id == team.id)) is None
        ):
            session.delete(team)
    session.flush()
