"""The jury's fairness rules on the pages: publishing asks first and freezes, the mode switch
asks first, half-filled score forms say so, competing judges are shown, no vote for one's own
team, and the results page shows the normalised values it promises."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models import Criterion
from hackkit.models.base import utcnow
from hackkit.services import assignments, judging, judging_setup, scoring
from tests.conftest import post_form
from tests.judging import world as w


@pytest.fixture
def world(app):
    with app.app_context():
        built = w.build(db.session)
        return {
            "built": built,
            "slug": built.event.slug,
            "event_id": built.event.id,
            "subs": {k: s.id for k, s in built.submissions.items()},
            "criteria": [c.id for c in built.criteria],
            "organizer": built.organizer.email,
            "judge": built.people["judge0"].email,
            "member_b": built.people["member_B"].email,
        }


def _score_all(app, world):
    with app.app_context():
        built = world["built"]
        organizer, event = db.session.merge(built.organizer), db.session.merge(built.event)
        assignments.run_assignment(db.session, organizer, event, 3)
        for n in range(3):
            judge = db.session.merge(built.people[f"judge{n}"])
            for letter, value in (("A", 4), ("B", 3), ("C", 1)):
                submission = judging.get_judged_submission(db.session, world["subs"][letter])
                scores = {str(c): value + n % 2 for c in world["criteria"]}
                scoring.save_scores(db.session, judge, submission, {"scores": scores})


def _settings(app, world):
    with app.app_context():
        from hackkit.models import Event

        return judging.settings_of(db.session, db.session.get(Event, world["event_id"]))


def test_publishing_from_the_page_lists_the_gaps_and_needs_the_confirm_button(app, client, auth, world):
    auth.login(world["organizer"])
    jury = f"/events/{world['slug']}/jury"
    page = client.get(jury).get_data(as_text=True)
    assert "Before you publish" in page and "Project B (#" in page and "has no rank yet" in page
    assert 'name="confirm" value="1"' in page and "Publish anyway" in page
    # A publish without the confirmation (an old form, a script) is refused with the list.
    post_form(client, f"/events/{world['slug']}/jury/publish", {}, page=jury)
    refused = client.get(jury).get_data(as_text=True)
    assert "confirm to publish anyway" in refused
    assert _settings(app, world).results_published is False
    post_form(client, f"/events/{world['slug']}/jury/publish", {"confirm": "1"}, page=jury)
    assert _settings(app, world).results_published is True


def test_a_criterion_change_after_publication_is_refused_on_the_page_until_withdrawn(app, client, auth, world):
    _score_all(app, world)
    auth.login(world["organizer"])
    jury = f"/events/{world['slug']}/jury"
    post_form(client, f"/events/{world['slug']}/jury/publish", {}, page=jury)
    client.get(jury)  # shows (and clears) the "published" message
    public_before = client.get(f"/events/{world['slug']}/results").get_data(as_text=True)
    criterion = {"name": "Design", "weight": "5", "scale_min": "1", "scale_max": "5", "description": ""}
    refused = post_form(client, f"/events/{world['slug']}/jury/criteria", criterion, page=jury)
    # The jury page comes back with the form as typed and the reason beside it.
    assert refused.status_code == 409 and "the judging is frozen" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Criterion).filter_by(name="Design").count() == 0
    assert _strip_tokens(client.get(f"/events/{world['slug']}/results").get_data(as_text=True)) == _strip_tokens(
        public_before
    )
    post_form(client, f"/events/{world['slug']}/jury/publish", {"published": "0"}, page=jury)
    page = client.get(jury).get_data(as_text=True)
    assert "Results withdrawn." in page
    history = page.split("Publication history")[1]
    assert "withdrawn by Organizer" in history and "published by Organizer" in history
    post_form(client, f"/events/{world['slug']}/jury/criteria", criterion, page=jury)
    with app.app_context():
        assert db.session.query(Criterion).filter_by(name="Design").count() == 1


def _strip_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_the_public_results_page_shows_the_normalised_values_per_criterion(app, client, auth, world):
    _score_all(app, world)
    auth.login(world["organizer"])
    post_form(client, f"/events/{world['slug']}/jury/publish", {}, page=f"/events/{world['slug']}/jury")
    client.post("/logout", data={})
    page = client.get(f"/events/{world['slug']}/results").get_data(as_text=True)
    assert "in brackets the normalised value" in page
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    # Each scored cell: the average in the criterion's units and, in brackets, the normalised value.
    assert len(re.findall(r"\d\.\d \([+-]\d\.\d\d\)", table)) == 6


def test_switching_the_mode_on_the_page_says_what_happens_and_needs_the_tick(app, client, auth, world):
    _score_all(app, world)
    auth.login(world["organizer"])
    jury = f"/events/{world['slug']}/jury"
    page = client.get(jury).get_data(as_text=True)
    assert "18 rubric scores have been given" in page and "Yes, switch the judging mode anyway" in page
    post_form(client, f"/events/{world['slug']}/jury/settings", {"mode": "pairwise"}, page=jury)
    assert "Confirm the switch to go ahead." in client.get(jury).get_data(as_text=True)
    assert _settings(app, world).mode == "rubric"
    post_form(
        client, f"/events/{world['slug']}/jury/settings", {"mode": "pairwise", "confirm_mode_change": "y"}, page=jury
    )
    assert _settings(app, world).mode == "pairwise"


def test_a_half_filled_score_form_says_it_is_incomplete_on_the_page_and_the_dashboard(app, client, auth, world):
    with app.app_context():
        built = world["built"]
        assignments.run_assignment(db.session, db.session.merge(built.organizer), db.session.merge(built.event), 3)
    auth.login(world["judge"])
    url = f"/events/{world['slug']}/judging/projects/{world['subs']['A']}"
    impact, data_use = world["criteria"]
    response = post_form(client, url, {f"c{impact}": "4", f"c{data_use}": "", "feedback": "", "private_note": ""})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "This score form is incomplete: Use of data still has no score." in page
    dashboard = client.get(f"/events/{world['slug']}/judging").get_data(as_text=True)
    still = dashboard.split("Still to score</h3>")[1].split("</ul>")[0]
    assert "Project A" in still and "incomplete" in still
    assert "0 of 3 scored." in dashboard


def test_the_jury_page_warns_about_a_judge_from_a_competing_team(app, client, auth, world):
    auth.login(world["organizer"])
    jury = f"/events/{world['slug']}/jury"
    post_form(client, f"/events/{world['slug']}/jury/judges", {"email": world["member_b"]}, page=jury)
    page = html.unescape(client.get(jury).get_data(as_text=True))
    assert "Judge added." in page and "is a member of team Team B in this event" in page
    judges = page.split('id="judges"')[1].split('id="settings"')[0]
    assert "Participant of team Team B: conflicted with that team's project" in judges


def test_the_vote_page_marks_ones_own_project_and_refuses_a_vote_for_it(app, client, auth, world):
    with app.app_context():
        built = world["built"]
        opens = (utcnow() - timedelta(minutes=1)).isoformat()
        judging_setup.update_settings(
            db.session, db.session.merge(built.organizer), db.session.merge(built.event), {"public_vote_opens": opens}
        )
    auth.login(world["member_b"])
    url = f"/events/{world['slug']}/vote"
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "The public vote is not open." not in page
    assert page.count("Your team's project: you cannot vote for it.") == 1
    refused = post_form(client, url, {"submission_id": str(world["subs"]["B"])})
    # Not allowed at all: a 403 page that says why, as the API answers (issue 13).
    assert refused.status_code == 403
    assert "You cannot vote for your own team's project." in html.unescape(refused.get_data(as_text=True))
    post_form(client, url, {"submission_id": str(world["subs"]["A"])})
    assert "Thank you for voting!" in client.get(url).get_data(as_text=True)
