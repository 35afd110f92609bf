"""The organizer's single changes on the jury page: assign and unassign by hand, delete a
criterion (refused once scored), remove a judge, record a conflict, and the reminders."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from hackkit.extensions import db
from hackkit.models import Assignment, Criterion, JudgeConflict, Score, Submission, User
from hackkit.services import assignments, scoring
from tests.conftest import post_form
from tests.judging import world as w


@pytest.fixture
def world(app):
    with app.app_context():
        built = w.build(db.session)
        return {
            "slug": built.event.slug,
            "organizer": built.organizer.email,
            "subs": {k: s.id for k, s in built.submissions.items()},
            "criteria": [c.id for c in built.criteria],
            "judges": [built.people[f"judge{n}"].id for n in range(3)],
            "judge_email": built.people["judge0"].email,
            "member_a": built.people["member_A"].id,
        }


def _jury(world) -> str:
    return f"/events/{world['slug']}/jury"


CONFIRMED = {"confirm": "yes"}  # the answer to the page that asks before a removal


def _post(client, world, path: str, data: dict | None = None):
    response = post_form(client, _jury(world) + path, data or {}, page=_jury(world))
    assert response.status_code == 302
    return client.get(_jury(world)).get_data(as_text=True)


def _pairs(app) -> set[tuple[int, int, bool]]:
    with app.app_context():
        return {(a.judge_id, a.submission_id, a.manual) for a in db.session.query(Assignment)}


def test_organizer_assigns_and_unassigns_one_judge_by_hand(app, client, auth, world):
    auth.login(world["organizer"])
    judge, sub = world["judges"][1], world["subs"]["B"]
    page = _post(client, world, "/assignments", {"assign-judge_id": str(judge), "assign-submission_id": str(sub)})
    assert "Judge assigned to the project." in page
    assert _pairs(app) == {(judge, sub, True)}
    page = _post(client, world, "/assignments", {"assign-judge_id": str(judge), "assign-submission_id": str(sub)})
    assert "already assigned" in page and _pairs(app) == {(judge, sub, True)}
    with app.app_context():
        assignment_id = db.session.query(Assignment.id).scalar()
    assert "Assignment removed." in _post(client, world, f"/assignments/{assignment_id}/delete", CONFIRMED)
    assert _pairs(app) == set()


def test_manual_assignment_to_a_conflicted_project_is_refused_with_a_message(app, client, auth, world):
    # The organizer records the conflict on the page, then tries to assign that judge anyway.
    auth.login(world["organizer"])
    judge, sub = world["judges"][0], world["subs"]["A"]
    _post(
        client,
        world,
        "/conflicts",
        {"conflict-judge_id": str(judge), "conflict-submission_id": str(sub), "conflict-kind": "organisation"},
    )
    page = _post(client, world, "/assignments", {"assign-judge_id": str(judge), "assign-submission_id": str(sub)})
    assert "conflict of interest with this project" in page
    assert _pairs(app) == set()


def test_organizer_records_a_conflict_for_a_judge_which_removes_the_assignment(app, client, auth, world):
    judge, sub = world["judges"][2], world["subs"]["C"]
    with app.app_context():
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        assignments.assign_manually(db.session, organizer, db.session.get(Submission, sub).team.event, judge, sub)
    auth.login(world["organizer"])
    page = _post(
        client,
        world,
        "/conflicts",
        {"conflict-judge_id": str(judge), "conflict-submission_id": str(sub), "conflict-kind": "other"},
    )
    assert "Say in a few words what the conflict is." in page  # "other" needs a reason
    page = _post(
        client,
        world,
        "/conflicts",
        {
            "conflict-judge_id": str(judge),
            "conflict-submission_id": str(sub),
            "conflict-kind": "other",
            "conflict-note": "Former colleague of the team lead",
        },
    )
    assert "Conflict of interest recorded" in page and "Former colleague of the team lead" in page
    with app.app_context():
        conflict = db.session.query(JudgeConflict).one()
        assert (conflict.judge_id, conflict.submission_id, conflict.kind) == (judge, sub, "other")
    assert _pairs(app) == set()


def test_criterion_is_deleted_until_it_is_scored_then_refused_with_a_message(app, client, auth, world):
    impact, data = world["criteria"]
    judge, sub = world["judges"][0], world["subs"]["A"]
    with app.app_context():
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        submission = db.session.get(Submission, sub)
        assignments.assign_manually(db.session, organizer, submission.team.event, judge, sub)
        scoring.save_scores(db.session, db.session.get(User, judge), submission, {"scores": {str(impact): 4}})
    auth.login(world["organizer"])
    page = _post(client, world, f"/criteria/{impact}/delete", CONFIRMED)
    assert "Judges have already given 1 scores on Impact, so it cannot be deleted" in page
    assert "Criterion Use of data deleted." in _post(client, world, f"/criteria/{data}/delete", CONFIRMED)
    with app.app_context():
        assert [c.id for c in db.session.query(Criterion)] == [impact]
        assert db.session.query(Score).count() == 1


def test_organizer_removes_a_judge_from_the_jury(app, client, auth, world):
    auth.login(world["organizer"])
    judge = world["judges"][1]
    with app.app_context():
        name = db.session.get(User, judge).display_name
    assert name in client.get(_jury(world)).get_data(as_text=True)
    asked = post_form(client, _jury(world) + f"/judges/{judge}/remove", {}, page=_jury(world))
    assert asked.status_code == 200 and f"Remove {name} from the jury?" in asked.get_data(as_text=True)
    assert name in client.get(_jury(world)).get_data(as_text=True)  # nothing happened yet
    page = _post(client, world, f"/judges/{judge}/remove", CONFIRMED)
    assert "Judge removed from the jury" in page
    assert f"Remove {name} from the jury" not in page


def test_reminders_list_what_each_judge_still_has_to_score_with_a_mailto_link(app, client, auth, world):
    judge, other = world["judges"][0], world["judges"][1]
    with app.app_context():
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        event = db.session.get(Submission, world["subs"]["A"]).team.event
        for sub in ("A", "B"):
            assignments.assign_manually(db.session, organizer, event, judge, world["subs"][sub])
        assignments.assign_manually(db.session, organizer, event, other, world["subs"]["C"])
        everything = {str(c): 3 for c in world["criteria"]}
        scoring.save_scores(
            db.session,
            db.session.get(User, judge),
            db.session.get(Submission, world["subs"]["A"]),
            {"scores": everything},
        )
        scoring.save_scores(
            db.session,
            db.session.get(User, other),
            db.session.get(Submission, world["subs"]["C"]),
            {"scores": everything},
        )
    auth.login(world["organizer"])
    page = client.get(f"/events/{world['slug']}/jury/reminders").get_data(as_text=True)
    assert "1 of 2 scored." in page
    mailto = unquote(page.split(f'href="mailto:{world["judge_email"]}?')[1].split('"')[0])
    assert "Project B (#" in mailto and "Project A" not in mailto
    assert f"/events/{world['slug']}/judging" in mailto
    # The judge who finished gets no reminder.
    with app.app_context():
        other_email = db.session.get(User, other).email
    assert f"mailto:{other_email}" not in page
    # And the judge sees the same list on their own dashboard.
    auth.logout()
    auth.login(world["judge_email"])
    dashboard = client.get(f"/events/{world['slug']}/judging").get_data(as_text=True)
    still = dashboard.split("Still to score</h3>")[1].split("</ul>")[0]
    assert "Project B" in still and "Project A" not in still


def test_reminders_are_for_organizers_only(client, auth, world):
    auth.login(world["judge_email"])
    assert client.get(f"/events/{world['slug']}/jury/reminders").status_code == 403


def test_a_refused_criterion_lists_every_problem_and_keeps_the_typing(app, client, auth, world):
    auth.login(world["organizer"])
    typed = {"name": "", "description": "How much it helps", "weight": "heavy", "scale_min": "1", "scale_max": "500"}
    response = post_form(client, _jury(world) + "/criteria", typed, page=_jury(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("name", "weight", "scale_max"):  # all three at once, each linked to its field
        assert f'href="#{field}"' in page, field
    assert "How much it helps" in page and 'value="500"' in page
    with app.app_context():
        assert db.session.query(Criterion).count() == 2  # nothing added


def test_a_refused_criterion_edit_is_shown_open_with_its_problem(app, client, auth, world):
    auth.login(world["organizer"])
    criterion = world["criteria"][0]
    typed = {f"c{criterion}-name": "Impact", f"c{criterion}-weight": "2", f"c{criterion}-scale_min": "5"}
    typed[f"c{criterion}-scale_max"] = "3"  # the top below the bottom: the service refuses it
    response = post_form(client, _jury(world) + f"/criteria/{criterion}", typed, page=_jury(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'href="#c{criterion}-scale_max"' in page and "<details open>" in page


def test_an_out_of_range_score_is_shown_beside_its_criterion(app, client, auth, world):
    with app.app_context():
        organizer = db.session.query(User).filter_by(email=world["organizer"]).one()
        submission = db.session.get(Submission, world["subs"]["A"])
        assignments.assign_manually(db.session, organizer, submission.team.event, world["judges"][0], submission.id)
    auth.login(world["judge_email"])
    impact, data_use = world["criteria"]
    url = f"/events/{world['slug']}/judging/projects/{world['subs']['A']}"
    response = post_form(client, url, {f"c{impact}": "99", f"c{data_use}": "7"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'href="#c{impact}"' in page and 'value="99"' in page  # linked from the summary, typing kept
    with app.app_context():
        assert db.session.query(Score).count() == 0
