"""The world the route matrix runs in, built once through the real services.

One published event before its submission deadline, with:
- team A (captain = the "member" role, plus a second member) and team B (captain = "other_team"),
  each with a submitted project; A's project has a screenshot, a join request is pending for A;
- an outcome recorded for A's project and an update posted by its team;
- a challenge, two criteria, a judge assigned to A's project who scored it with a private note
  and feedback for the team (results unpublished), a judge who declared a conflict with A;
- a published dataset with rows and a draft dataset; a feedback item; a challenge proposal;
- an organizer, a registered participant without a team, an API token per role.

Every person has a distinctive e-mail address and the jury's private words carry marker
strings, so that "does this response leak it" is a plain substring search.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from hackkit.datasets.commands import ShellActor
from hackkit.extensions import db
from hackkit.models import ApiToken
from hackkit.services import (
    accounts,
    assignments,
    calendars,
    datasets,
    events,
    feedback,
    judging_setup,
    outcomes,
    prizes,
    proposals,
    scoring,
    screenshots,
    submissions,
    teams,
    tokens,
    webhooks,
)
from tests import factories as f

ROLES = ("anonymous", "participant", "member", "other_team", "judge", "conflicted_judge", "organizer")
SIGNED_IN = ROLES[1:]

# What must not leak. The judge's words for A's team stay with the jury until publication.
PRIVATE_NOTE = "PRIVATE-NOTE-7f3a"
JURY_FEEDBACK = "JURY-FEEDBACK-c41d"
DRAFT_DATASET_TITLE = "DRAFT-DATASET-9b2e"
DRAFT_VERSION_ROW = "DRAFT-VERSION-5e0a"  # a row of the published dataset's unpublished version
UNPUBLISHED_SCORE = "87.35"  # the judge's score for A on a 0-100 criterion, found nowhere else
WEBHOOK_SECRET = "WEBHOOK-SECRET-3c9d"  # signs the event's webhook deliveries: organizers only
# The reason given with A's prize: public with the results, the organizers' until then.
WINNER_REASON = "WINNER-REASON-3d9c"
EMAILS = {
    "participant": "rm-participant@example.org",
    "member": "rm-member-a@example.org",
    "member2": "rm-second-member-a@example.org",
    "other_team": "rm-member-b@example.org",
    "judge": "rm-judge@example.org",
    "conflicted_judge": "rm-conflicted-judge@example.org",
    "organizer": "rm-organizer@example.org",
    "joiner": "rm-joiner@example.org",
}

PLACES_CSV = "name,lat,lon\nStadspark,51.2140,4.4130\nPark Spoor Noord,51.2320,4.4270\n"
# The draft's rows carry the marker too, so that a leak of its rows is found like its title.
DRAFT_CSV = f"name,lat,lon\n{DRAFT_DATASET_TITLE},51.2200,4.4000\n"
# The published dataset has an earlier version (to roll back to) and a draft version.
PLACES_V2_CSV = PLACES_CSV + "Park Brederode,51.1950,4.3920\n"
PLACES_DRAFT_CSV = PLACES_V2_CSV + f"{DRAFT_VERSION_ROW},51.2000,4.4000\n"


@dataclass
class World:
    ids: dict = field(default_factory=dict)  # URL values by name, e.g. team_a -> 3
    tokens: dict = field(default_factory=dict)  # role -> bearer token


def _person(session, key: str, role: str = "participant"):
    return accounts.register_user(session, EMAILS[key], f"RM {key}", f.TEST_PASSWORD, role=role)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def build(app, tmp: Path) -> World:
    world = World()
    session = db.session
    organizer = _person(session, "organizer", "organizer")
    event = f.event(session, organizer)
    deadline = event.submission_deadline
    people = {"organizer": organizer}
    for key in ("participant", "member", "member2", "other_team", "joiner"):
        people[key] = _person(session, key)
        events.register(session, people[key], event)
    people["judge"] = _person(session, "judge", "judge")
    people["conflicted_judge"] = _person(session, "conflicted_judge", "judge")

    challenge = events.add_challenge(session, organizer, event, {"title": "Cooler streets"})
    # Registered before the teams, so their creation queues deliveries (the log has rows).
    hook = {"url": "https://93.184.215.14/hook", "events": ["team.created"]}
    webhook = webhooks.register(session, organizer, event, hook, allow_private=False)
    webhook.secret = WEBHOOK_SECRET
    session.commit()
    announcement = events.post_announcement(
        session, organizer, event, "Doors open at nine.", {"nl": {"body": "Om negen uur open."}}
    )
    # Both sides of "looking for each other" have someone in them, so those lists are searched too.
    accounts.update_profile(
        session,
        people["participant"],
        display_name="RM participant",
        skills=["cartography"],
        languages=["nl"],
        bio="Maps.",
        looking_for_team=True,
    )
    team_a = teams.create_team(session, people["member"], event, {"name": "Team A", "missing_skills": ["design"]})
    teams.join_team(session, people["member2"], team_a, team_a.invite_code)
    team_b = teams.create_team(session, people["other_team"], event, {"name": "Team B"})
    join_request = teams.request_to_join(session, people["joiner"], team_a, "May I?")

    sub_a = submissions.save_submission(
        session, people["member"], team_a, {"title": "Project A", "description": "Shade."}, status="submitted"
    )
    sub_b = submissions.save_submission(
        session, people["other_team"], team_b, {"title": "Project B", "description": "Benches."}, status="submitted"
    )
    # What became of A's project: the city's first outcome and the team's first update.
    outcomes.record_outcome(session, organizer, sub_a, {"status": "contacted", "note": "Mobility called."})
    outcomes.post_update(
        session, people["member"], sub_a, {"text": "We met **Mobility**.", "url": "https://example.org/log"}
    )
    shot = screenshots.add_screenshot(session, people["member"], team_a, png(), "A map")

    criteria = [
        judging_setup.add_criterion(
            session, organizer, event, {"name": "Impact", "weight": 2, "scale_min": 0, "scale_max": 100}
        ),
        judging_setup.add_criterion(session, organizer, event, {"name": "Use of data", "weight": 1}),
    ]
    for key in ("judge", "conflicted_judge"):
        judging_setup.add_judge(session, organizer, event, people[key].email)
    judging_setup.declare_conflict(session, people["conflicted_judge"], sub_a, {"reason": "relation"})
    assignment = assignments.assign_manually(session, organizer, event, people["judge"].id, sub_a.id)
    # Judging opens at the deadline; the score is written as if just after it, then the
    # world stays before the deadline so that teams can still edit.
    scoring.save_scores(
        session,
        people["judge"],
        sub_a,
        {
            "scores": {str(criteria[0].id): float(UNPUBLISHED_SCORE), str(criteria[1].id): 4},
            "feedback": JURY_FEEDBACK,
            "private_note": PRIVATE_NOTE,
        },
        now=deadline + timedelta(minutes=1),
    )

    # A prize with a sponsor's logo, and A (first in the live ranking) as its confirmed winner.
    prize = prizes.create_prize(
        session, organizer, event, {"name": "Golden bench", "sponsor_name": "Parks department"}, logo=png()
    )
    prizes.confirm_winners(
        session, organizer, prize, {"winners": [{"submission_id": sub_a.id, "reason": WINNER_REASON}]}
    )

    places = tmp / "places.csv"
    places.write_text(PLACES_CSV, encoding="utf-8")
    published = datasets.import_dataset(session, ShellActor(), places, metadata={"slug": "rm-places"})
    for text, draft in ((PLACES_V2_CSV, False), (PLACES_DRAFT_CSV, True)):
        places.write_text(text, encoding="utf-8")
        datasets.import_dataset(session, ShellActor(), places, metadata={"slug": "rm-places"}, draft=draft)
    draft_file = tmp / "draft.csv"
    draft_file.write_text(DRAFT_CSV, encoding="utf-8")
    draft = datasets.import_dataset(
        session,
        ShellActor(),
        draft_file,
        metadata={"slug": "rm-draft", "title": DRAFT_DATASET_TITLE},
        draft=True,
    )
    item = feedback.create_feedback(
        session, people["participant"], {"dataset": "rm-places", "title": "Wrong park name"}
    )
    # Proposals close when an event starts; this one was made the week before.
    proposal = proposals.propose(
        session, people["participant"], event, {"title": "Drinking fountains"}, now=event.starts_at - timedelta(days=1)
    )

    world.ids = {
        "event": event.slug,
        "dataset": published.dataset.slug,
        "draft_dataset": draft.dataset.slug,
        "resource": published.dataset.id,
        "team_a": team_a.id,
        "team_b": team_b.id,
        "sub_a": sub_a.id,
        "sub_b": sub_b.id,
        "screenshot": shot.id,
        "challenge": challenge.id,
        "announcement": announcement.id,
        "criterion": criteria[0].id,
        "assignment": assignment.id,
        "join_request": join_request.id,
        "invite_a": team_a.invite_code,
        "feedback": item.id,
        "proposal": proposal.id,
        "prize": prize.id,
        "judge_id": people["judge"].id,
        "member2_id": people["member2"].id,
        "participant_id": people["participant"].id,
        "later": (deadline + timedelta(hours=2)).isoformat(),
        "webhook": webhook.id,
        "webhook_delivery": webhooks.deliveries(session, organizer, webhook)[-1].id,
    }
    world.tokens = {role: tokens.issue_token(session, people[role]) for role in SIGNED_IN}
    # The member's personal calendar address (its secret), searched like every other read.
    world.ids["calendar_secret"] = calendars.reset_calendar_secret(session, people["member"])
    # The member's own API token: the one token routes revoke (others' are "not found").
    world.ids["member_token_id"] = session.scalar(
        sa.select(ApiToken.id).where(ApiToken.user_id == people["member"].id).order_by(ApiToken.id.desc())
    )
    return world
