"""Prizes: what can be won, the proposal from the results, and the confirmed winners.

Rules, all enforced here for the pages and the API alike:
- Organizers define prizes (challenges have a department, not an owner account, so the
  challenge's prizes are decided by organizers too). A prize definition is public at once.
- The proposal comes from the ranking within the prize's scope: the frozen published results
  (services.publication) once published, the live ranking for the organizer before that;
  a challenge prize ranks only that challenge's projects; a public-vote prize counts votes;
  a jury's special mention has no proposal. Ties at the cut-off are all proposed.
- Confirming: at most `max_winners` submitted projects of the event; a reason is required for
  every winner outside the proposal (it is published with the result); a project wins one
  prize of the event unless the event allows several.
- Winners (and the proposal) are shown to others only once the results are published.
"""

from __future__ import annotations

import io
import warnings
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.orm import Session

from hackkit.models import Event, Prize, PrizeSettings, PrizeWinner, PublicVote, Submission, User
from hackkit.models.base import utcnow
from hackkit.models.collections import Collection
from hackkit.models.prize import PRIZE_KINDS, PRIZE_SCOPES
from hackkit.permissions import can, require
from hackkit.services import events, judging, scoring, submissions
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Invalid, NotFound, Unprocessable

MAX_WINNERS = 50
MAX_REASON = 2000
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_BOX = (600, 300)  # big enough for the projector, small enough to keep in the database


# Settings and definitions --------------------------------------------------------------------


def settings_of(session: Session, event: Event) -> PrizeSettings:
    """The event's prize settings, created with the defaults on first use (not committed)."""
    settings = session.scalar(sa.select(PrizeSettings).where(PrizeSettings.event_id == event.id))
    if settings is None:
        settings = PrizeSettings(event_id=event.id, several_prizes_per_project=False)
        session.add(settings)
        session.flush()
    return settings


# Built once: the event page and the gallery's badges read them on every view.
_SETTINGS = sa.select(PrizeSettings).where(PrizeSettings.event_id == sa.bindparam("event_id"))
_PRIZES = sa.select(Prize).where(Prize.event_id == sa.bindparam("event_id")).order_by(Prize.position, Prize.id)
_WINNERS = Collection(Prize.winners)


def read_settings(session: Session, event: Event) -> PrizeSettings:
    """The settings for reading: the stored row, or an unsaved one with the defaults (a page
    view must not write)."""
    stored = session.scalar(_SETTINGS, {"event_id": event.id})
    return stored or PrizeSettings(event_id=event.id, several_prizes_per_project=False, ceremony_step=None)


def prizes_of(session: Session, event: Event) -> list[Prize]:
    """The event's prizes in their order, with their winners."""
    found = list(session.scalars(_PRIZES, {"event_id": event.id}))
    _WINNERS.load(session, found)
    return found


def get_prize(session: Session, actor, prize_id: int) -> Prize:
    """A prize of an event `actor` may see (drafts' prizes are the organizers')."""
    prize = session.get(Prize, prize_id)
    if prize is None or not events.is_visible(actor, prize_event(session, prize)):
        raise NotFound(_l("There is no such prize."))
    return prize


def get_event_prize(session: Session, actor, slug: str, prize_id: int) -> tuple[Event, Prize]:
    """The event by its slug and one of its prizes (pages address a prize under its event)."""
    event = events.get_event(session, actor, slug)
    prize = session.get(Prize, prize_id)
    if prize is None or prize.event_id != event.id:
        raise NotFound(_l("There is no such prize."))
    return event, prize


def prize_event(session: Session, prize: Prize) -> Event:
    return session.get(Event, prize.event_id)


def _challenge_id(event: Event, data: dict, scope: str, current: Prize | None) -> int | None:
    if scope != "challenge":
        return None
    value = data.get("challenge_id", current.challenge_id if current else None)
    if value in (None, ""):
        raise v.fail("challenge_id", _l("Choose the challenge this prize is for."))
    challenge_id = v.integer({"challenge_id": value}, "challenge_id", minimum=1, maximum=2**31 - 1)
    if challenge_id not in {c.id for c in event.challenges}:
        raise v.fail("challenge_id", _l("Choose a challenge of this event."))
    return challenge_id


def _prize_values(session: Session, event: Event, data: dict, current: Prize | None) -> dict:
    """The clean fields of a new prize or a change; fields left out keep their value."""

    def old(name: str, default):
        return getattr(current, name) if current is not None else default

    values = {
        "name": v.text(data, "name", max_length=200, required=True, default=old("name", "")),
        "description": v.text(data, "description", max_length=5000, default=old("description", "")),
        "kind": v.choice(data, "kind", PRIZE_KINDS, old("kind", "item")),
        "value": v.text(data, "value", max_length=200, default=old("value", "")),
        "sponsor_name": v.text(data, "sponsor_name", max_length=200, default=old("sponsor_name", "")),
        "scope": v.choice(data, "scope", PRIZE_SCOPES, old("scope", "event")),
        "max_winners": v.integer(data, "max_winners", minimum=1, maximum=MAX_WINNERS, default=old("max_winners", 1)),
        "position": v.integer(data, "position", minimum=0, maximum=10_000, default=old("position", 0)),
    }
    if "sponsor_url" in data or current is None:
        values["sponsor_url"] = v.web_url(data, "sponsor_url")
    values["challenge_id"] = _challenge_id(event, data, values["scope"], current)
    if current is not None and values["max_winners"] < len(current.winners):
        raise v.fail(
            "max_winners",
            _l("This prize already has %(n)d winners: remove some first.", n=len(current.winners)),
        )
    return values


def _logo(data: bytes | None) -> bytes | None:
    """An uploaded logo, re-encoded as PNG (nothing of the original file is kept)."""
    if not data:
        return None
    # Pillow is loaded here, not at start: most requests of a web worker never see an image.
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_LOGO_BYTES:
        raise v.fail("sponsor_logo", _l("A logo may be at most %(mb)d MB.", mb=MAX_LOGO_BYTES // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ("PNG", "JPEG", "WEBP", "GIF"):
                raise v.fail("sponsor_logo", _l("Upload a PNG, JPEG or WebP image."))
            image.load()
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise v.fail("sponsor_logo", _l("This file is not an image we can read. Upload a PNG, JPEG or WebP.")) from None
    image = ImageOps.exif_transpose(image)
    image.thumbnail(LOGO_BOX)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def create_prize(session: Session, actor: User, event: Event, data: dict, logo: bytes | None = None) -> Prize:
    require(actor, "events.manage")
    values = _prize_values(session, event, data, None)
    prize = Prize(event_id=event.id, sponsor_logo=_logo(logo), **values)
    session.add(prize)
    session.commit()
    return prize


def update_prize(session: Session, actor: User, prize: Prize, data: dict, logo: bytes | None = None) -> Prize:
    require(actor, "events.manage")
    values = _prize_values(session, prize_event(session, prize), data, prize)
    if values["scope"] != prize.scope and prize.winners:
        raise Conflict(
            _l("This prize has winners: remove them before changing what the prize is for."),
            {"scope": [_l("Remove the winners first.")]},
        )
    for name, value in values.items():
        setattr(prize, name, value)
    if logo:
        prize.sponsor_logo = _logo(logo)
    elif data.get("remove_logo") in (True, "y", "on", "1"):
        prize.sponsor_logo = None
    session.commit()
    return prize


def delete_prize(session: Session, actor: User, prize: Prize) -> None:
    require(actor, "events.manage")
    session.delete(prize)
    session.commit()


def prize_logo(session: Session, actor, prize_id: int) -> bytes:
    logo = get_prize(session, actor, prize_id).sponsor_logo
    if not logo:
        raise NotFound(_l("This prize has no logo."))
    return logo


def set_several_prizes(session: Session, actor: User, event: Event, allowed: bool) -> PrizeSettings:
    """Allow or forbid one project winning several prizes; forbidding it is refused while one does."""
    require(actor, "events.manage")
    if not isinstance(allowed, bool):
        raise v.fail("several_prizes_per_project", _l("Answer true or false."))
    settings = settings_of(session, event)
    if not allowed:
        doubles = _multiple_winners(session, event)
        if doubles:
            raise Conflict(
                _l("Some projects already won several prizes: change those winners first."),
                {"several_prizes_per_project": [_l("Project #%(id)d has several prizes.", id=i) for i in doubles]},
            )
    settings.several_prizes_per_project = allowed
    session.commit()
    return settings


def _multiple_winners(session: Session, event: Event) -> list[int]:
    query = (
        sa.select(PrizeWinner.submission_id)
        .join(Prize, Prize.id == PrizeWinner.prize_id)
        .where(Prize.event_id == event.id)
        .group_by(PrizeWinner.submission_id)
        .having(sa.func.count(PrizeWinner.id) > 1)
    )
    return list(session.scalars(query))


# Proposals -----------------------------------------------------------------------------------


def results_published(session: Session, event: Event) -> bool:
    return judging.results_are_published(session, event)


def can_see_winners(session: Session, actor, event: Event) -> bool:
    """Organizers always; everyone else once the results are published."""
    return can(actor, "events.manage") or results_published(session, event)


def _ranking(session: Session, event: Event) -> list[dict]:
    """The overall ranking: the frozen snapshot once published, else the live computation."""
    settings = judging.read_settings(session, event)
    if settings.results_published and settings.results_snapshot:
        methods = settings.results_snapshot["methods"]
        return (methods.get("pairwise") or methods.get("normalised") or {"results": []})["results"]
    return scoring.live_results(session, event)["results"]


def _vote_counts(session: Session, event: Event) -> dict[int, int]:
    query = (
        sa.select(PublicVote.submission_id, sa.func.count(PublicVote.id))
        .where(PublicVote.event_id == event.id)
        .group_by(PublicVote.submission_id)
    )
    return dict(session.execute(query).all())


def eligible_projects(session: Session, event: Event) -> dict[int, dict]:
    """Submitted projects of the event, as the public sees them (id -> content): the only possible winners."""
    projects = session.scalars(
        sa.select(Submission)
        .where(Submission.event_id == event.id)
        .options(orm.joinedload(Submission.team, innerjoin=True))
        .order_by(Submission.id)
    ).all()
    views = submissions.public_views(session, list(projects))
    teams = {p.id: p.team for p in projects}
    return {
        sid: {
            "title": content.get("title") or "",
            "challenge_id": content.get("challenge_id"),
            "datasets": content.get("datasets") or [],
            "team": teams[sid],
        }
        for sid, content in views.items()
    }


def _competition_ranks(keyed: list[tuple[int, float]]) -> list[dict]:
    """[(submission_id, sort key, smaller first)] -> [{submission_id, rank}], equal keys share a rank."""
    ordered = sorted(keyed, key=lambda item: (item[1], item[0]))
    ranked, previous, rank = [], None, 0
    for index, (submission_id, key) in enumerate(ordered, start=1):
        if key != previous:
            rank, previous = index, key
        ranked.append({"submission_id": submission_id, "rank": rank})
    return ranked


def _cut(ranked: list[dict], max_winners: int) -> list[dict]:
    """The first `max_winners`, and every project tied with the last of them."""
    if len(ranked) <= max_winners:
        return ranked
    cutoff = ranked[max_winners - 1]["rank"]
    return [row for row in ranked if row["rank"] <= cutoff]


class _Sources:
    """What proposals are made from, read once per page (not once per prize)."""

    def __init__(self, session: Session, event: Event):
        self.session, self.event = session, event
        self._projects: dict[int, dict] | None = None
        self._ranking: list[dict] | None = None
        self._votes: dict[int, int] | None = None

    @property
    def projects(self) -> dict[int, dict]:
        """Read when a prize asks (an event without prizes shows none of it)."""
        if self._projects is None:
            self._projects = eligible_projects(self.session, self.event)
        return self._projects

    def ranking(self) -> list[dict]:
        if self._ranking is None:
            self._ranking = [r for r in _ranking(self.session, self.event) if r.get("rank") is not None]
        return self._ranking

    def votes(self) -> dict[int, int]:
        if self._votes is None:
            self._votes = _vote_counts(self.session, self.event)
        return self._votes

    def _challenge_of(self, submission_id: int) -> int | None:
        return self.projects[submission_id]["challenge_id"]

    def proposal(self, prize: Prize) -> list[dict]:
        if prize.scope == "jury_choice":
            return []
        if prize.scope == "public_vote":
            keyed = [(sid, -n) for sid, n in self.votes().items() if n > 0 and sid in self.projects]
        else:
            keyed = [
                (row["submission_id"], row["rank"])
                for row in self.ranking()
                if row["submission_id"] in self.projects
                and (prize.scope == "event" or self._challenge_of(row["submission_id"]) == prize.challenge_id)
            ]
        return _cut(_competition_ranks(keyed), prize.max_winners)


def proposal(session: Session, event: Event, prize: Prize) -> list[dict]:
    """The proposed winners `[{submission_id, rank}]` (no permission check: callers check)."""
    return _Sources(session, event).proposal(prize)


def _project(projects: dict[int, dict], submission_id: int) -> dict:
    found = projects.get(submission_id)
    if found is None:  # a winner whose project was withdrawn since: still listed, by number
        return {"title": "", "team": "", "team_id": None}
    return {"title": found["title"], "team": found["team"].name, "team_id": found["team"].id}


def prize_board(session: Session, actor, event: Event) -> dict:
    """Every prize of the event with its proposal and winners, as `actor` may see them.

    `{prizes: [...], winners_visible, results_published, projects}`; each prize carries
    `proposed` and `winners` (empty for others until the results are published). The settings
    are not in it: the event page shows the board on every view and needs none of them
    (read_settings, for the setup page and the API).
    """
    published = results_published(session, event)
    visible = can(actor, "events.manage") or published  # can_see_winners, without asking twice
    sources = _Sources(session, event)
    board = []
    for prize in prizes_of(session, event):
        proposed = sources.proposal(prize) if visible else []
        winners = prize.winners if visible else []
        board.append(
            {
                "prize": prize,
                "proposed": [{**row, **_project(sources.projects, row["submission_id"])} for row in proposed],
                "ties": _has_tie(proposed, prize.max_winners),
                "tied": tied_at_cut_off(proposed, prize.max_winners),
                "winners": [_winner_row(w, sources.projects) for w in winners],
            }
        )
    return {
        "prizes": board,
        "winners_visible": visible,
        "results_published": published,
        "projects": sources.projects if can(actor, "events.manage") else {},
    }


def board_entry(session: Session, actor, prize: Prize) -> dict:
    """One prize as prize_board lists it."""
    board = prize_board(session, actor, prize_event(session, prize))
    return next(item for item in board["prizes"] if item["prize"].id == prize.id)


def _winner_row(winner: PrizeWinner, projects: dict[int, dict]) -> dict:
    return {"submission_id": winner.submission_id, "reason": winner.reason, **_project(projects, winner.submission_id)}


def _has_tie(proposed: list[dict], max_winners: int) -> bool:
    return len(proposed) > max_winners


def tied_at_cut_off(proposed: list[dict], max_winners: int) -> set[int]:
    """The projects sharing the last place when they outnumber the places left (else none)."""
    if len(proposed) <= max_winners:
        return set()
    last = proposed[-1]["rank"]
    return {row["submission_id"] for row in proposed if row["rank"] == last}


def prize_detail(session: Session, actor, prize: Prize) -> dict:
    """One prize with its proposal, winners and the projects an organizer may choose from."""
    require(actor, "events.manage")
    event = prize_event(session, prize)
    board = prize_board(session, actor, event)
    entry = next(item for item in board["prizes"] if item["prize"].id == prize.id)
    return {**entry, "event": event, "projects": board["projects"], "results_published": board["results_published"]}


# Confirming winners --------------------------------------------------------------------------


def _parse_winners(data: dict) -> list[dict]:
    chosen = data.get("winners")
    if not isinstance(chosen, list):
        raise v.fail("winners", _l("Give the winners as a list of {submission_id, reason}."))
    parsed = []
    for index, item in enumerate(chosen):
        if not isinstance(item, dict):
            raise v.fail(f"winners.{index}", _l("Give each winner as {submission_id, reason}."))
        submission_id = v.integer(item, "submission_id", minimum=1, maximum=2**31 - 1)
        try:
            reason = v.text(item, "reason", max_length=MAX_REASON)
        except Invalid as error:
            raise v.fail(f"winners.{index}.reason", error.message) from None
        parsed.append({"submission_id": submission_id, "reason": reason})
    return parsed


def confirm_winners(session: Session, actor: User, prize: Prize, data: dict) -> list[PrizeWinner]:
    """Replace the prize's winners with `data["winners"]`; an empty list withdraws them."""
    require(actor, "events.manage")
    event = prize_event(session, prize)
    chosen = _parse_winners(data)
    sources = _Sources(session, event)
    proposal_rows = sources.proposal(prize)
    proposed = {row["submission_id"] for row in proposal_rows}
    # More tied projects than places: whoever is chosen among them was chosen by hand.
    tied = tied_at_cut_off(proposal_rows, prize.max_winners)
    errors: dict[str, list] = {}
    if len(chosen) > prize.max_winners:
        errors["winners"] = [_l("This prize has at most %(n)d winners.", n=prize.max_winners)]
    seen: set[int] = set()
    for index, item in enumerate(chosen):
        sid = item["submission_id"]
        if sid in seen:
            errors.setdefault(f"winners.{index}.submission_id", []).append(_l("This project is chosen twice."))
        seen.add(sid)
        if sid not in sources.projects:
            errors.setdefault(f"winners.{index}.submission_id", []).append(
                _l("Project #%(id)d is not a submitted project of this event.", id=sid)
            )
        elif sid not in proposed and not item["reason"]:
            errors.setdefault(f"winners.{index}.reason", []).append(
                _l("Say why you chose %(title)s: it differs from the proposal.", title=sources.projects[sid]["title"])
            )
        elif sid in tied and not item["reason"]:
            errors.setdefault(f"winners.{index}.reason", []).append(
                _l("Say why %(title)s wins the tie.", title=sources.projects[sid]["title"])
            )
    if errors:
        first = next(iter(errors.values()))[0]
        raise Unprocessable(first, errors)
    if not read_settings(session, event).several_prizes_per_project:
        _require_one_prize_each(session, event, prize, [item["submission_id"] for item in chosen], sources.projects)
    now = utcnow()
    prize.winners.clear()
    session.flush()
    for item in chosen:
        prize.winners.append(
            PrizeWinner(
                submission_id=item["submission_id"], reason=item["reason"], confirmed_by_id=actor.id, confirmed_at=now
            )
        )
    session.commit()
    return prize.winners


def _require_one_prize_each(session: Session, event: Event, prize: Prize, chosen: list[int], projects: dict) -> None:
    query = (
        sa.select(PrizeWinner.submission_id, Prize.name)
        .join(Prize, Prize.id == PrizeWinner.prize_id)
        .where(Prize.event_id == event.id, Prize.id != prize.id, PrizeWinner.submission_id.in_(chosen or [0]))
    )
    taken = session.execute(query).all()
    if taken:
        errors = {
            f"winners.{chosen.index(sid)}.submission_id": [
                _l("%(title)s already won %(prize)s.", title=projects[sid]["title"], prize=name)
            ]
            for sid, name in taken
        }
        raise Conflict(
            _l("In this event a project wins one prize at most (an organizer can change this setting)."), errors
        )


# Badges and certificates ---------------------------------------------------------------------


def wins_by_submission(session: Session, actor, event: Event) -> dict[int, list[str]]:
    """Submission id -> names of the prizes it won, for badges; empty until the results are published."""
    if not results_published(session, event):
        return {}
    query = (
        sa.select(PrizeWinner.submission_id, Prize.name)
        .join(Prize, Prize.id == PrizeWinner.prize_id)
        .where(Prize.event_id == event.id)
        .order_by(Prize.position, Prize.id)
    )
    wins: dict[int, list[str]] = {}
    for submission_id, name in session.execute(query):
        wins.setdefault(submission_id, []).append(name)
    return wins


def certificates(session: Session, actor: User, prize: Prize) -> dict:
    """One certificate per member of each winning team (organizers): event, prize, project, name, date."""
    require(actor, "events.manage")
    event = prize_event(session, prize)
    projects = eligible_projects(session, event)
    sheets = []
    for winner in prize.winners:
        project = projects.get(winner.submission_id)
        team = winner.submission.team
        title = project["title"] if project else winner.submission.title
        for membership in sorted(team.memberships, key=lambda m: m.user.display_name.lower()):
            sheets.append({"name": membership.user.display_name, "project": title, "team": team.name})
    # The day the event ended, in its own time zone and the reader's language.
    day = format_date(event.ends_at.astimezone(ZoneInfo(event.timezone)), "long")
    return {"event": event, "prize": prize, "sheets": sheets, "date": day}
