"""The judging pages: a judge scores, an organizer runs the jury, everyone reads the results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from hackkit.extensions import db
from hackkit.judging import explanation
from hackkit.judging.explanation_text import explanation_paragraphs, note_text
from hackkit.models import Score
from hackkit.models.base import utcnow
from hackkit.services import assignments, judging, judging_setup, publication, scoring
from tests.conftest import post_form
from tests.judging import world as w


@pytest.fixture
def world(app):
    with app.app_context():
        built = w.build(db.session)
        judge = built.people["judge0"]
        sub_a = built.submissions["A"]
        assignments.assign_manually(db.session, built.organizer, built.event, judge.id, sub_a.id)
        return {
            "slug": built.event.slug,
            "sub_a": sub_a.id,
            "sub_b": built.submissions["B"].id,
            "criteria": [c.id for c in built.criteria],
            "judge": judge.email,
            "judge_id": judge.id,
            "other_judge": built.people["judge1"].email,
            "organizer": built.organizer.email,
            "member_a": built.people["member_A"].email,
            "member_b": built.people["member_B"].email,
        }


def test_the_one_explanation_text_is_shown_in_the_readers_language(app):
    """The method text lives once (judging/explanation.py, marked N_); every paragraph and note
    has its Dutch translation, and English readers get it word for word."""
    with app.test_request_context():
        for method in ("normalised", "raw", "pairwise"):
            assert [str(p) for p in explanation_paragraphs(method)] == list(explanation.explanation(method))
            with force_locale("nl"):
                dutch = [str(p) for p in explanation_paragraphs(method)]
            assert all(d != e for d, e in zip(dutch, explanation.explanation(method), strict=True)), method
        with force_locale("nl"):
            assert all(str(note_text(code)) != text for code, text in explanation.NOTE_TEXT.items())


def test_judge_scores_a_frozen_project_on_the_scoring_page(app, client, auth, world):
    auth.login(world["judge"])
    dashboard = client.get(f"/events/{world['slug']}/judging").get_data(as_text=True)
    assert "Project A" in dashboard.split("Still to score</h3>")[1]
    url = f"/events/{world['slug']}/judging/projects/{world['sub_a']}"
    page = client.get(url).get_data(as_text=True)
    assert "<strong>Project A</strong> uses open data." in page  # the description as Markdown
    impact, data = world["criteria"]
    response = post_form(
        client, url, {f"c{impact}": "4", f"c{data}": "7", "feedback": "Nice", "private_note": "Strong"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert sorted(s.value for s in db.session.query(Score).all()) == [4.0, 7.0]
    assert "Still to score" not in client.get(f"/events/{world['slug']}/judging").get_data(as_text=True)


def test_score_outside_the_scale_on_the_page_saves_nothing(app, client, auth, world):
    auth.login(world["judge"])
    url = f"/events/{world['slug']}/judging/projects/{world['sub_a']}"
    response = post_form(client, url, {f"c{world['criteria'][0]}": "9"})
    assert response.status_code == 400
    assert "from 1 to 5" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Score).count() == 0


def test_unassigned_judge_gets_403_on_the_scoring_page_with_a_way_back(client, auth, world):
    auth.login(world["other_judge"])
    response = client.get(f"/events/{world['slug']}/judging/projects/{world['sub_a']}")
    assert response.status_code == 403
    # Not a dead end: the page leads back to the judge's own list and to the event.
    page = response.get_data(as_text=True)
    assert f'href="/events/{world["slug"]}/judging"' in page and f'href="/events/{world["slug"]}"' in page


def test_judge_declares_a_conflict_on_the_dashboard(app, client, auth, world):
    auth.login(world["judge"])
    response = post_form(
        client,
        f"/events/{world['slug']}/judging/conflicts",
        {"submission_id": str(world["sub_a"]), "kind": "relation", "note": ""},
        page=f"/events/{world['slug']}/judging",
    )
    assert response.status_code == 302
    assert client.get(f"/events/{world['slug']}/judging/projects/{world['sub_a']}").status_code == 403


def test_organizer_runs_the_jury_from_the_page(app, client, auth, world):
    auth.login(world["organizer"])
    manage = f"/events/{world['slug']}/jury"
    assert client.get(manage).status_code == 200
    post_form(
        client,
        f"/events/{world['slug']}/jury/criteria",
        {"name": "Design", "weight": "1", "scale_min": "1", "scale_max": "5", "description": ""},
        page=manage,
    )
    post_form(client, f"/events/{world['slug']}/jury/assign", {"per_submission": "2"}, page=manage)
    page = client.get(manage).get_data(as_text=True)
    assert "Design" in page and "Judges assigned." in page
    # Nobody has scored yet: the page lists what is missing and publishing needs a confirmation.
    assert "Before you publish" in page and "has scored 0 of 3 criteria" in page
    assert "Publish anyway" in page


def test_results_page_is_public_only_after_publication_and_explains_in_dutch(app, client, auth, world):
    with app.app_context():
        from hackkit.models import Submission, User

        judge = db.session.get(User, world["judge_id"])
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        scoring.save_scores(
            db.session,
            judge,
            db.session.get(Submission, world["sub_a"]),
            {"scores": {str(c): 3 for c in world["criteria"]}, "feedback": "Well done"},
        )
        event = db.session.get(Submission, world["sub_a"]).team.event
    assert client.get(f"/events/{world['slug']}/results").status_code == 403
    with app.app_context():
        publication.publish_results(db.session, db.session.merge(organizer), db.session.merge(event), confirm=True)
    page = client.get(f"/events/{world['slug']}/results").get_data(as_text=True)
    assert "Project A" in page and "Impact" in page and "How the results were computed" in page
    client.post("/language", data={"lang": "nl"})
    dutch = client.get(f"/events/{world['slug']}/results", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Hoe de resultaten berekend zijn" in dutch


def test_team_reads_its_feedback_after_publication(app, client, auth, world):
    with app.app_context():
        from hackkit.models import Submission, User

        judge = db.session.get(User, world["judge_id"])
        submission = db.session.get(Submission, world["sub_a"])
        scoring.save_scores(db.session, judge, submission, {"scores": {}, "feedback": "Clear and useful"})
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        publication.publish_results(db.session, organizer, submission.team.event, confirm=True)
    auth.login(world["member_a"])
    page = client.get(f"/events/{world['slug']}/projects/{world['sub_a']}/feedback")
    assert page.status_code == 200 and "Clear and useful" in page.get_data(as_text=True)


def test_public_vote_page_takes_one_vote(app, client, auth, world):
    with app.app_context():
        from hackkit.models import User

        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        event = judging.get_judged_submission(db.session, world["sub_a"]).team.event
        judging_setup.update_settings(
            db.session,
            organizer,
            event,
            {
                "public_vote_opens": (utcnow() - timedelta(minutes=1)).isoformat(),
                "public_vote_closes": (utcnow() + timedelta(hours=1)).isoformat(),
            },
        )
    url = f"/events/{world['slug']}/vote"
    assert "Log in to vote." in client.get(url).get_data(as_text=True)
    auth.login(world["member_b"])
    assert post_form(client, url, {"submission_id": str(world["sub_a"])}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "You have voted." in page and "Vote for Project B" not in page


def test_pairwise_page_shows_two_projects_and_records_a_vote(app, client, auth, world):
    with app.app_context():
        from hackkit.models import User

        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        event = judging.get_judged_submission(db.session, world["sub_a"]).team.event
        judging_setup.update_settings(db.session, organizer, event, {"mode": "pairwise"})
    auth.login(world["judge"])
    url = f"/events/{world['slug']}/judging/pairwise"
    page = client.get(url).get_data(as_text=True)
    assert page.count("is better</button>") == 2
    response = post_form(client, url, {"winner_id": str(world["sub_a"]), "loser_id": str(world["sub_b"])})
    assert response.status_code == 302
    assert "1 vote so far." in client.get(url).get_data(as_text=True)
    post_form(client, url, {"undo": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "0 votes so far." in page and "Skip: no preference</button>" in page
    response = post_form(client, url, {"winner_id": str(world["sub_a"]), "loser_id": str(world["sub_b"]), "skip": "1"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Skipped: no preference" in page and "0 votes so far." in page  # a skip is not a vote


def test_gallery_shows_the_jury_winners_only_after_publication(app, client, world):
    with app.app_context():
        from hackkit.models import Submission, User

        judge = db.session.get(User, world["judge_id"])
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        event = db.session.get(Submission, world["sub_a"]).team.event
        assignments.assign_manually(db.session, organizer, event, judge.id, world["sub_b"])
        for submission_id, value in ((world["sub_a"], 5), (world["sub_b"], 2)):
            scoring.save_scores(
                db.session,
                judge,
                db.session.get(Submission, submission_id),
                {"scores": {str(c): value for c in world["criteria"]}},
            )
    gallery = f"/events/{world['slug']}/projects"
    assert "Jury prize" not in client.get(gallery).get_data(as_text=True)
    with app.app_context():
        publication.publish_results(db.session, db.session.merge(organizer), db.session.merge(event), confirm=True)
    page = client.get(gallery).get_data(as_text=True)
    assert "Jury prize: place 1" in page and "Jury prize: place 2" in page


def test_team_page_shows_its_members_where_the_jurys_feedback_stands(app, client, auth, world):
    """Before publication the members of a judged team read that feedback will come; after it,
    the notice and the links to it (the project page too). Another team's member sees neither."""
    with app.app_context():
        from hackkit.models import Submission, User

        submission = db.session.get(Submission, world["sub_a"])
        team_id, event = submission.team_id, submission.team.event
        judge = db.session.get(User, world["judge_id"])
        scoring.save_scores(db.session, judge, submission, {"scores": {}, "feedback": "Clear and useful"})
    waiting = "as soon as the organizers publish the results"
    feedback_url = f"/events/{world['slug']}/projects/{world['sub_a']}/feedback"
    auth.login(world["member_a"])
    page = client.get(f"/teams/{team_id}").get_data(as_text=True)
    assert waiting in page and feedback_url not in page

    with app.app_context():
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        publication.publish_results(db.session, organizer, db.session.merge(event), confirm=True)
    page = client.get(f"/teams/{team_id}").get_data(as_text=True)
    assert "feedback on your project is here." in page
    assert page.count(f'href="{feedback_url}"') == 2 and waiting not in page  # the notice and the list
    project = client.get(f"/teams/{team_id}/project").get_data(as_text=True)
    assert f'href="{feedback_url}"' in project

    auth.logout()
    auth.login(world["member_b"])
    for path in (f"/teams/{team_id}", f"/teams/{team_id}/project"):
        page = client.get(path).get_data(as_text=True)
        assert feedback_url not in page and waiting not in page, path
