"""Who gets what from the judging API: every judging action for every role, in one table.

Roles: anonymous; participant (registered, no team); team_member (of team A, whose project
is judged); other_team (member of team B); assigned judge (assigned to A); conflicted judge
(declared a conflict with A); unassigned judge (on the jury, not assigned to A); organizer.
Each cell is the HTTP status that role gets. Some actions need the event in a given state
first ("setup"), which the organizer puts it in through the API before the roles act.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models.base import utcnow
from hackkit.services import assignments, judging_setup, scoring
from tests import factories as f
from tests.conftest import TEST_PASSWORD, csrf_token, post_form
from tests.judging import world as w

ROLES = (
    "anonymous",
    "participant",
    "team_member",
    "other_team",
    "assigned_judge",
    "conflicted_judge",
    "unassigned_judge",
    "organizer",  # last: an organizer's change must not shape what the others get
)
JUDGES = ("assigned_judge", "conflicted_judge", "unassigned_judge")


def only(status_for_organizer: int, others: int = 403) -> dict:
    """Organizer-only actions: 401 anonymous, `others` for everyone else."""
    return {"anonymous": 401, **dict.fromkeys(ROLES[1:-1], others), "organizer": status_for_organizer}


def judges_and_organizer(judge_status: int, organizer_status: int | None = None, others: int = 403) -> dict:
    table = {"anonymous": 401, **dict.fromkeys(ROLES[1:-1], others), **dict.fromkeys(JUDGES, judge_status)}
    table["organizer"] = judge_status if organizer_status is None else organizer_status
    return table


def cells(**statuses) -> dict:
    assert set(statuses) == set(ROLES)
    return statuses


NO_JUDGE_OF_A = dict.fromkeys(("participant", "team_member", "other_team", "conflicted_judge", "unassigned_judge"), 403)

# action: (method, path template, JSON body, setup, {role: status})
MATRIX = {
    "list criteria": ("GET", "/api/v1/events/{slug}/criteria", None, None, dict.fromkeys(ROLES, 200)),
    "add criterion": (
        "POST",
        "/api/v1/events/{slug}/criteria",
        {"name": "Design", "weight": 1, "scale_min": 1, "scale_max": 5},
        None,
        only(201),
    ),
    "edit criterion": ("PATCH", "/api/v1/criteria/{criterion}", {"weight": 3}, None, only(200)),
    "delete an unscored criterion": ("DELETE", "/api/v1/criteria/{unscored_criterion}", None, None, only(204)),
    # Scores exist for it: refused for organizers too, so that no judge's work is lost.
    "delete a scored criterion": ("DELETE", "/api/v1/criteria/{criterion}", None, None, only(409)),
    "read judging settings": ("GET", "/api/v1/events/{slug}/judging", None, None, dict.fromkeys(ROLES, 200)),
    "change judging settings": ("PATCH", "/api/v1/events/{slug}/judging", {"per_submission": 2}, None, only(200)),
    "list judges (e-mails)": ("GET", "/api/v1/events/{slug}/judges", None, None, only(200)),
    "add judge": ("POST", "/api/v1/events/{slug}/judges", {"email": "{newcomer}"}, None, only(201)),
    "remove judge": ("DELETE", "/api/v1/events/{slug}/judges/{unassigned_id}", None, None, only(204)),
    "run assignment": ("POST", "/api/v1/events/{slug}/assignments", {"per_submission": 1}, None, only(201)),
    "assign by hand": (
        "POST",
        "/api/v1/events/{slug}/assignments",
        {"judge_id": "{unassigned_id}", "submission_id": "{sub_b}"},
        None,
        only(201),
    ),
    "remove an assignment": ("DELETE", "/api/v1/assignments/{assignment_a}", None, None, only(204)),
    "list assignments": ("GET", "/api/v1/events/{slug}/assignments", None, None, judges_and_organizer(200)),
    "progress": ("GET", "/api/v1/events/{slug}/progress", None, None, judges_and_organizer(200)),
    "list conflicts": ("GET", "/api/v1/events/{slug}/conflicts", None, None, judges_and_organizer(200)),
    "declare a conflict": (
        "POST",
        "/api/v1/submissions/{sub_a}/conflicts",
        {"reason": "organisation"},
        None,
        judges_and_organizer(201, organizer_status=403),  # an organizer is not on this jury
    ),
    "see a project for judging": (
        "GET",
        "/api/v1/submissions/{sub_a}/judging",
        None,
        None,
        cells(anonymous=401, **NO_JUDGE_OF_A, assigned_judge=200, organizer=200),
    ),
    "score a project": (
        "PUT",
        "/api/v1/submissions/{sub_a}/scores",
        {"scores": {"{criterion}": 3}, "feedback": "ok"},
        None,
        cells(anonymous=401, **NO_JUDGE_OF_A, assigned_judge=200, organizer=403),
    ),
    "read every judge's scores and notes": ("GET", "/api/v1/submissions/{sub_a}/scores", None, None, only(200)),
    "read unpublished results": (
        "GET",
        "/api/v1/events/{slug}/results",
        None,
        None,
        {**dict.fromkeys(ROLES, 403), "organizer": 200},
    ),
    "read published results": ("GET", "/api/v1/events/{slug}/results", None, "publish", dict.fromkeys(ROLES, 200)),
    # Projects in this world lack scores: publishing needs the confirmation (409 without it).
    "publish results": ("POST", "/api/v1/events/{slug}/results/publish", {"confirm": True}, None, only(200)),
    "publish results with scores missing, unconfirmed": (
        "POST",
        "/api/v1/events/{slug}/results/publish",
        {"published": True},
        None,
        only(409),
    ),
    "read team feedback before publication": (
        "GET",
        "/api/v1/submissions/{sub_a}/feedback",
        None,
        None,
        only(200),
    ),
    "read team feedback after publication": (
        "GET",
        "/api/v1/submissions/{sub_a}/feedback",
        None,
        "publish",
        cells(
            anonymous=401,
            participant=403,
            team_member=200,
            other_team=403,
            assigned_judge=403,
            conflicted_judge=403,
            unassigned_judge=403,
            organizer=200,
        ),
    ),
    "pairwise: next pair": (
        "GET",
        "/api/v1/events/{slug}/pairwise/next",
        None,
        "pairwise",
        judges_and_organizer(200, organizer_status=403),
    ),
    "pairwise: vote on projects without conflicts": (
        "POST",
        "/api/v1/events/{slug}/pairwise/votes",
        {"winner_id": "{sub_b}", "loser_id": "{sub_c}"},
        "pairwise",
        judges_and_organizer(201, organizer_status=403),
    ),
    "pairwise: vote on the conflicted project": (
        "POST",
        "/api/v1/events/{slug}/pairwise/votes",
        {"winner_id": "{sub_a}", "loser_id": "{sub_b}"},
        "pairwise",
        cells(
            anonymous=401,
            participant=403,
            team_member=403,
            other_team=403,
            assigned_judge=201,
            conflicted_judge=403,
            unassigned_judge=201,
            organizer=403,
        ),
    ),
    "pairwise: undo (nothing to undo yet)": (
        "POST",
        "/api/v1/events/{slug}/pairwise/undo",
        None,
        "pairwise",
        judges_and_organizer(404, organizer_status=403),
    ),
    "public vote": (
        "POST",
        "/api/v1/events/{slug}/public-votes",
        {"submission_id": "{sub_b}"},
        "public_vote",
        # A member of team B cannot vote for team B's project.
        {**dict.fromkeys(ROLES, 201), "anonymous": 401, "other_team": 403},
    ),
    "public vote outside its window": (
        "POST",
        "/api/v1/events/{slug}/public-votes",
        {"submission_id": "{sub_b}"},
        None,
        {**dict.fromkeys(ROLES, 409), "anonymous": 401},
    ),
    "public vote state": ("GET", "/api/v1/events/{slug}/public-votes", None, None, dict.fromkeys(ROLES, 200)),
}


@pytest.fixture
def world(app):
    with app.app_context():
        session = db.session
        built = w.build(session)
        organizer, event = built.organizer, built.event
        sub_a = built.submissions["A"]
        assigned, conflicted, unassigned = (built.people[f"judge{n}"] for n in range(3))
        judging_setup.declare_conflict(session, conflicted, sub_a, {"reason": "relation"})
        assignment = assignments.assign_manually(session, organizer, event, assigned.id, sub_a.id)
        # A scored project with a private note: what must not leak.
        scoring.save_scores(
            session,
            assigned,
            sub_a,
            {
                "scores": {str(c.id): c.scale_max for c in built.criteria},
                "feedback": "Feedback for the team",
                "private_note": "PRIVATE-JURY-NOTE",
            },
        )
        unscored = judging_setup.add_criterion(session, organizer, event, {"name": "Design", "weight": 1})
        participant = f.registered(session, event)
        newcomer = f.user(session)
        people = {
            "participant": participant,
            "team_member": built.people["member_A"],
            "other_team": built.people["member_B"],
            "assigned_judge": assigned,
            "conflicted_judge": conflicted,
            "unassigned_judge": unassigned,
            "organizer": organizer,
        }
        headers = {role: w.bearer(session, person) for role, person in people.items()}
        headers["anonymous"] = {}
        ids = {
            "slug": event.slug,
            "sub_a": sub_a.id,
            "sub_b": built.submissions["B"].id,
            "sub_c": built.submissions["C"].id,
            "criterion": built.criteria[0].id,
            "unscored_criterion": unscored.id,
            "assignment_a": assignment.id,
            "unassigned_id": unassigned.id,
            "conflicted_id": conflicted.id,
            "newcomer": newcomer.email,
            "emails": {role: person.email for role, person in people.items()},
        }
    return headers, ids


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, dict):
        return {_fill(k, ids) if k.startswith("{") else k: _fill(v, ids) for k, v in value.items()}
    return value


def _setup(client, headers, ids, setup):
    slug, organizer = ids["slug"], headers["organizer"]
    if setup == "publish":
        # Not every project is scored in this world: publishing it anyway is a confirmed choice.
        publish = client.post(f"/api/v1/events/{slug}/results/publish", json={"confirm": True}, headers=organizer)
        assert publish.status_code == 200
    elif setup == "pairwise":
        # Rubric scores exist in this world: the switch sets them aside, so it is confirmed.
        switch = {"mode": "pairwise", "confirm_mode_change": True}
        assert client.patch(f"/api/v1/events/{slug}/judging", json=switch, headers=organizer).status_code == 200
    elif setup == "public_vote":
        window = {
            "public_vote_opens": (utcnow() - timedelta(minutes=1)).isoformat(),
            "public_vote_closes": (utcnow() + timedelta(hours=1)).isoformat(),
        }
        assert client.patch(f"/api/v1/events/{slug}/judging", json=window, headers=organizer).status_code == 200


def test_every_role_has_an_answer_for_every_action():
    for action, (_method, _path, _body, _setup_name, expected) in MATRIX.items():
        assert set(expected) == set(ROLES), action


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_judging_permission_matrix(app, world, action):
    headers, ids = world
    method, path, body, setup, expected = MATRIX[action]
    _setup(app.test_client(), headers, ids, setup)
    got = {}
    for role in ROLES:
        response = app.test_client().open(
            path.format(**ids), method=method, json=_fill(body, ids), headers=headers[role]
        )
        got[role] = response.status_code
    assert got == expected


# The organizer's jury page does the same through forms (session log-in and CSRF token).
# Cells: "login" (sent to log in), 403, or "done" (the action succeeded: redirected back
# with a success message). action: (method, path, form, {role: outcome})
PAGE_OTHERS = {"anonymous": "login", **dict.fromkeys(ROLES[1:-1], 403)}
PAGE_MATRIX = {
    "page: delete an unscored criterion": (
        "POST",
        "/events/{slug}/jury/criteria/{unscored_criterion}/delete",
        {"confirm": "yes"},  # destructive: the page asks first
        {**PAGE_OTHERS, "organizer": "done"},
    ),
    "page: delete a scored criterion": (
        "POST",
        "/events/{slug}/jury/criteria/{criterion}/delete",
        {"confirm": "yes"},  # destructive: the page asks first
        {**PAGE_OTHERS, "organizer": "refused"},
    ),
    "page: remove a judge": (
        "POST",
        "/events/{slug}/jury/judges/{unassigned_id}/remove",
        {"confirm": "yes"},  # destructive: the page asks first
        {**PAGE_OTHERS, "organizer": "done"},
    ),
    "page: assign by hand": (
        "POST",
        "/events/{slug}/jury/assignments",
        {"assign-judge_id": "{unassigned_id}", "assign-submission_id": "{sub_b}"},
        {**PAGE_OTHERS, "organizer": "done"},
    ),
    "page: assign a conflicted judge by hand": (
        "POST",
        "/events/{slug}/jury/assignments",
        {"assign-judge_id": "{conflicted_id}", "assign-submission_id": "{sub_a}"},
        {**PAGE_OTHERS, "organizer": "refused"},
    ),
    "page: remove an assignment": (
        "POST",
        "/events/{slug}/jury/assignments/{assignment_a}/delete",
        {"confirm": "yes"},  # destructive: the page asks first
        {**PAGE_OTHERS, "organizer": "done"},
    ),
    "page: record a conflict for a judge": (
        "POST",
        "/events/{slug}/jury/conflicts",
        {"conflict-judge_id": "{unassigned_id}", "conflict-submission_id": "{sub_b}", "conflict-kind": "relation"},
        {**PAGE_OTHERS, "organizer": "done"},
    ),
    "page: reminders": ("GET", "/events/{slug}/jury/reminders", {}, {**PAGE_OTHERS, "organizer": 200}),
}


def _page_outcome(client, method: str, url: str, form: dict, signed_in: bool):
    token = csrf_token(client, "/" if signed_in else "/login")  # the log-out or the log-in form
    response = client.open(url, method=method, data={"csrf_token": token, **form} if method == "POST" else None)
    if response.status_code != 302:
        return response.status_code
    location = response.headers["Location"]
    if "/login" in location:
        return "login"
    page = client.get(location).get_data(as_text=True)
    return "done" if "flash-success" in page and "flash-error" not in page else "refused"


@pytest.mark.parametrize("action", sorted(PAGE_MATRIX))
def test_jury_page_permission_matrix(app, world, action):
    headers, ids = world
    method, path, form, expected = PAGE_MATRIX[action]
    got = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            response = post_form(client, "/login", {"email": ids["emails"][role], "password": TEST_PASSWORD})
            assert response.status_code == 302, role
        data = {k: str(_fill(v, ids)) for k, v in form.items()}
        got[role] = _page_outcome(client, method, path.format(**ids), data, signed_in=role != "anonymous")
    assert got == expected


def _everything_a_role_can_read(app, headers, ids, role) -> str:
    urls = [
        "/api/v1/events/{slug}/results",
        "/api/v1/events/{slug}/results?method=raw",
        "/api/v1/submissions/{sub_a}/feedback",
        "/api/v1/submissions/{sub_a}/judging",
        "/api/v1/submissions/{sub_a}/scores",
        "/api/v1/events/{slug}/progress",
        "/api/v1/events/{slug}/assignments",
        "/api/v1/events/{slug}/conflicts",
        "/api/v1/events/{slug}/judging",
        "/api/v1/events/{slug}/public-votes",
        "/api/v1/teams/{team_a}/submission",
    ]
    client = app.test_client()
    return " ".join(client.get(url.format(**ids), headers=headers[role]).get_data(as_text=True) for url in urls)


@pytest.mark.parametrize("published", [False, True])
def test_private_jury_notes_reach_only_organizers_and_their_writer(app, world, published):
    headers, ids = world
    with app.app_context():
        from hackkit.models import Submission

        ids["team_a"] = db.session.get(Submission, ids["sub_a"]).team_id
    if published:
        _setup(app.test_client(), headers, ids, "publish")
    for role in ROLES:
        text = _everything_a_role_can_read(app, headers, ids, role)
        assert ("PRIVATE-JURY-NOTE" in text) == (role in ("organizer", "assigned_judge")), role


def test_unpublished_scores_reach_only_organizers_and_their_writer(app, world):
    headers, ids = world
    with app.app_context():
        from hackkit.models import Submission

        ids["team_a"] = db.session.get(Submission, ids["sub_a"]).team_id
    for role in ROLES:
        text = _everything_a_role_can_read(app, headers, ids, role)
        sees_scores = '"raw_score"' in text or '"scores": {"' in text or '"scores":{"' in text
        assert sees_scores == (role in ("organizer", "assigned_judge")), role
