"""The event page and the gallery ask the database a fixed number of questions, however many
challenges, resident proposals, announcements and prizes the event has: one more challenge or
prize must not mean one more statement on every view (counted with SQLAlchemy's cursor event
on the real database). A city's event has several of each; the load test's seeded event had
none, which hid a statement per challenge (its proposal) and per prize (its logo's bytes)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.services import events, prizes, proposals
from tests import factories as f
from tests.conftest import counted_queries
from tests.judging.world import close_submissions, submitted
from tests.security.route_world import png


def furnished_event(session, each: int) -> str:
    """An event with `each` challenges (each from a resident's proposal), announcements and
    prizes (each with a logo; one for a challenge): its slug."""
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    resident = f.user(session)
    challenges = []
    for n in range(each):
        before_the_start = event.starts_at - timedelta(days=3)  # proposals close when it starts
        idea = proposals.propose(session, resident, event, {"title": f"Idea {n}"}, now=before_the_start)
        challenges.append(proposals.adopt(session, organizer, idea, {"department": "Mobility"}))
        events.post_announcement(session, organizer, event, f"News {n}")
    for n in range(each):
        scope = {"scope": "challenge", "challenge_id": challenges[n].id} if n == 0 else {}
        prizes.create_prize(session, organizer, event, {"name": f"Prize {n}", **scope}, logo=png())
    return event.slug


def page_statements(app, client, path: str, each: int) -> tuple[int, str]:
    with app.app_context():
        slug = furnished_event(db.session, each)
    client.get(path.format(slug=slug))  # warm: the first request loads templates and settings rows
    with counted_queries(app) as statements:
        page = client.get(path.format(slug=slug))
    assert page.status_code == 200
    return len(statements), page.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/events/{slug}", "/events/{slug}/projects"])
def test_a_page_costs_the_same_statements_for_one_or_four_of_everything(app, client, path):
    one, _ = page_statements(app, client, path, 1)
    four, page = page_statements(app, client, path, 4)
    assert "Idea 3" in page  # the fourth challenge is on the page (the gallery's challenge filter)
    assert one == four, (one, four)


def test_the_event_page_shows_what_it_loaded_with_the_event(app, client):
    _, page = page_statements(app, client, "/events/{slug}", 2)
    assert page.count('class="card challenge"') == 2
    assert "Proposed by residents:" in page
    assert page.index("News 1") < page.index("News 0")  # the newest announcement first
    assert page.index("Idea 0") < page.index("Idea 1")  # challenges in the order they were made
    assert page.count('class="prize-logo"') == 2  # each prize links its logo
    assert "For the best project of the challenge Idea 0" in page


# Every public page and API answer of an event, as a visitor asks them once projects are in.
PUBLIC = [
    "/events/{slug}",
    "/events/{slug}/projects",
    "/events/{slug}/proposals",
    "/events/{slug}/impact",
    "/events/{slug}/vote",
    "/events/{slug}/announcements.atom",
    "/events/{slug}/projects.atom",
    "/events/{slug}/proposals.atom",
    "/events/{slug}/schedule.ics",
    "/teams/{team}/project",
    "/api/v1/events/{slug}",
    "/api/v1/events/{slug}/challenges",
    "/api/v1/events/{slug}/prizes",
    "/api/v1/events/{slug}/projects",
    "/api/v1/events/{slug}/proposals",
    "/api/v1/events/{slug}/teams",
    "/api/v1/events/{slug}/looking",
    "/api/v1/events/{slug}/impact",
]


def statements_of_every_page(app, client, each: int) -> dict[str, int]:
    """A furnished event with `each` teams of two (each looking for a skill) whose projects
    were submitted before the deadline, which has passed: statements a visitor's request sends."""
    with app.app_context():
        slug = furnished_event(db.session, each)
        event = events.get_event(db.session, None, slug)
        made = [submitted(db.session, event, f"Team {n}", f"Project {n}", members=2)[0] for n in range(each)]
        for submission in made:
            submission.team.missing_skills = ["GIS"]
        close_submissions(db.session, event)
        team_id = made[0].team_id
    counts = {}
    for page in PUBLIC:
        path = page.format(slug=slug, team=team_id)
        client.get(path)  # warm
        with counted_queries(app) as statements:
            answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        counts[page] = len(statements)
    return counts


def test_no_public_page_of_an_event_asks_once_per_team_challenge_or_prize(app, client):
    one, three = statements_of_every_page(app, client, 1), statements_of_every_page(app, client, 3)
    grew = {page: (one[page], three[page]) for page in PUBLIC if three[page] != one[page]}
    assert not grew, grew
