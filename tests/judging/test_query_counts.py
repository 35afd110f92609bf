"""Results and the jury page ask the database a fixed number of questions: one more team
must not mean one more query per submission or per row (counted with SQLAlchemy's own
cursor event on the real database)."""

from __future__ import annotations

import pytest

from hackkit.extensions import db
from hackkit.models import Event, Score, User
from hackkit.services import judging_setup, scoring
from tests import factories as f
from tests.conftest import counted_queries
from tests.judging.world import close_submissions, submitted


def judged_event(session, projects: int, mode: str):
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    subs = [submitted(session, event, f"Team {n}", f"Project {n}")[0] for n in range(projects)]
    criteria = [
        judging_setup.add_criterion(session, organizer, event, {"name": name, "scale_min": 1, "scale_max": 5})
        for name in ("Impact", "Data")
    ]
    judges = [f.user(session, "judge") for _ in range(2)]
    for judge in judges:
        judging_setup.add_judge(session, organizer, event, judge.email)
    if mode == "pairwise":  # ranked from pairwise votes (none yet: every project still has a row)
        judging_setup.update_settings(session, organizer, event, {"mode": "pairwise"})
    close_submissions(session, event)
    for n, submission in enumerate(subs if mode == "rubric" else []):
        for judge in judges:
            for criterion in criteria:
                session.add(
                    Score(judge_id=judge.id, submission_id=submission.id, criterion_id=criterion.id, value=1 + n % 5)
                )
    session.commit()
    return organizer.id, event.id


def results_queries(app, projects: int, mode: str = "rubric") -> int:
    with app.app_context():
        organizer_id, event_id = judged_event(db.session, projects, mode)
        db.session.expunge_all()  # start cold, as a request does
        organizer, event = db.session.get(User, organizer_id), db.session.get(Event, event_id)
        with counted_queries() as statements:
            found = scoring.results(db.session, organizer, event)
        assert len(found["results"]) == projects
        return len(statements)


@pytest.mark.parametrize("mode", ["rubric", "pairwise"])
def test_results_cost_the_same_queries_for_2_or_7_projects(app, mode):
    assert results_queries(app, 2, mode) == results_queries(app, 7, mode)


def jury_page_queries(app, client, auth, projects: int) -> int:
    with app.app_context():
        organizer_id, event_id = judged_event(db.session, projects, "rubric")
        email, slug = db.session.get(User, organizer_id).email, db.session.get(Event, event_id).slug
    auth.login(email)
    client.get(f"/events/{slug}/jury")  # warm: the first request loads templates and settings rows
    with app.app_context(), counted_queries() as statements:
        page = client.get(f"/events/{slug}/jury")
    assert page.status_code == 200 and f"Project {projects - 1}" in page.get_data(as_text=True)
    auth.logout()
    assert statements  # the listener sees the page's queries
    return len(statements)


def test_the_jury_page_costs_the_same_queries_for_2_or_7_projects(app, client, auth):
    assert jury_page_queries(app, client, auth, 2) == jury_page_queries(app, client, auth, 7)


@pytest.mark.parametrize("page", ["/events/{slug}", "/events/{slug}/projects"])
def test_a_page_asks_once_whether_the_results_are_published(app, client, page):
    """The event page and the gallery both show prize badges and results links: the flag is
    read once, with the event (events.get_event; judging.results_are_published keeps it on the
    event), instead of once per use or in a statement of its own."""
    with app.app_context():
        event = f.event(db.session)
        submitted(db.session, event, "Team 1", "Project 1")
        slug = event.slug
    client.get(page.format(slug=slug))
    with counted_queries(app) as statements:
        assert client.get(page.format(slug=slug)).status_code == 200
    asked = [statement for statement in statements if "judging_settings.results_published" in statement]
    assert len(asked) == 1, asked
    assert "events.slug = " in asked[0], asked


@pytest.mark.parametrize("expire_on_commit", [True, False])
def test_a_flag_kept_on_the_event_follows_publishing_and_withdrawing(app, expire_on_commit):
    """Also where a commit does not expire what the session read (the API's save turns that off)."""
    from hackkit.services import judging, publication

    with app.app_context():
        organizer_id, event_id = judged_event(db.session, 2, "rubric")
        db.session.expunge_all()
        db.session().expire_on_commit = expire_on_commit
        organizer, event = db.session.get(User, organizer_id), db.session.get(Event, event_id)
        assert judging.results_are_published(db.session, event) is False  # read, and kept
        publication.publish_results(db.session, organizer, event, confirm=True)
        assert judging.results_are_published(db.session, event) is True
        publication.unpublish_results(db.session, organizer, event)
        assert judging.results_are_published(db.session, event) is False
