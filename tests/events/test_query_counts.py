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
