"""Who gets what from the event hub API: every action for every role, in one table.

Roles: anonymous, participant (registered, no team), captain and member of team A,
member of team B, judge, organizer. Each cell is the HTTP status that role gets.
"""

import pytest

from hackkit.extensions import db
from hackkit.services import events, submissions, teams, tokens
from tests import factories as f

ROLES = ("anonymous", "participant", "captain", "member", "other_team", "judge", "organizer")

# action: (method, path template, JSON body, {role: status})
MATRIX = {
    "read event": ("GET", "/api/v1/events/{slug}", None, dict.fromkeys(ROLES, 200)),
    "edit event": (
        "PATCH",
        "/api/v1/events/{slug}",
        {"tagline": "x"},
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 403,
            "member": 403,
            "other_team": 403,
            "judge": 403,
            "organizer": 200,
        },
    ),
    "add challenge": (
        "POST",
        "/api/v1/events/{slug}/challenges",
        {"title": "x"},
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 403,
            "member": 403,
            "other_team": 403,
            "judge": 403,
            "organizer": 201,
        },
    ),
    "list registrations (e-mails)": (
        "GET",
        "/api/v1/events/{slug}/registrations",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 403,
            "member": 403,
            "other_team": 403,
            "judge": 403,
            "organizer": 200,
        },
    ),
    "export participants": (
        "GET",
        "/api/v1/events/{slug}/exports/participants.csv",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 403,
            "member": 403,
            "other_team": 403,
            "judge": 403,
            "organizer": 200,
        },
    ),
    "organizer archive": (
        "GET",
        "/api/v1/events/{slug}/archive.zip?personal=1",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 403,
            "member": 403,
            "other_team": 403,
            "judge": 403,
            "organizer": 200,
        },
    ),
    "public archive": ("GET", "/api/v1/events/{slug}/archive.zip", None, dict.fromkeys(ROLES, 200)),
    "read team": ("GET", "/api/v1/teams/{team_a}", None, dict.fromkeys(ROLES, 200)),
    "edit team": (
        "PATCH",
        "/api/v1/teams/{team_a}",
        {"description": "x"},
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 200,
            "member": 200,
            "other_team": 403,
            "judge": 403,
            "organizer": 200,
        },
    ),
    "save submission": (
        "PUT",
        "/api/v1/teams/{team_a}/submission",
        {"title": "x"},
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 200,
            "member": 200,
            "other_team": 403,
            "judge": 403,
            "organizer": 403,
        },
    ),
    "read draft submission": (
        "GET",
        "/api/v1/teams/{team_a}/submission",
        None,
        {
            "anonymous": 404,
            "participant": 404,
            "captain": 200,
            "member": 200,
            "other_team": 404,
            "judge": 404,
            "organizer": 200,
        },
    ),
    "submission history": (
        "GET",
        "/api/v1/teams/{team_a}/submission/history",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 200,
            "member": 200,
            "other_team": 403,
            "judge": 403,
            "organizer": 200,
        },
    ),
    "see join requests": (
        "GET",
        "/api/v1/teams/{team_a}/join-requests",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 200,
            "member": 403,
            "other_team": 403,
            "judge": 403,
            "organizer": 403,
        },
    ),
    "remove a member": (
        "DELETE",
        "/api/v1/teams/{team_a}/members/{member_id}",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 204,
            "member": 204,
            "other_team": 403,
            "judge": 403,
            "organizer": 403,
        },
    ),
    "extend a deadline": (
        "POST",
        "/api/v1/teams/{team_a}/deadline-extensions",
        {"new_deadline": "2099-01-01T00:00+00:00", "reason": "power cut"},
        {
            "anonymous": 401,
            "participant": 403,
            "captain": 403,
            "member": 403,
            "other_team": 403,
            "judge": 403,
            "organizer": 201,
        },
    ),
    "list own API tokens": (
        "GET",
        "/api/v1/tokens",
        None,
        {"anonymous": 401, **dict.fromkeys(ROLES[1:], 200)},
    ),
    # Tokens are the owner's alone: not even an organizer may revoke someone else's.
    "revoke the participant's API token": (
        "DELETE",
        "/api/v1/tokens/{participant_token}",
        None,
        {"anonymous": 401, "participant": 200, **dict.fromkeys(ROLES[2:], 404)},
    ),
}
# "member" removing the member is leaving: allowed. Everyone else who is not the captain: refused.


@pytest.fixture
def world(app):
    with app.app_context():
        session = db.session
        organizer = f.user(session, "organizer")
        event = f.event(session, organizer)
        captain = f.registered(session, event)
        team_a = teams.create_team(session, captain, event, {"name": "A"})
        member = f.registered(session, event)
        teams.join_team(session, member, team_a, team_a.invite_code)
        submissions.save_submission(session, captain, team_a, {"title": "Draft"})
        other = f.registered(session, event)
        teams.create_team(session, other, event, {"name": "B"})
        participant = f.registered(session, event)
        judge = f.user(session, "judge")
        events.register(session, judge, event)
        people = {
            "participant": participant,
            "captain": captain,
            "member": member,
            "other_team": other,
            "judge": judge,
            "organizer": organizer,
        }
        headers = {
            role: {"Authorization": "Bearer " + tokens.issue_token(session, person)} for role, person in people.items()
        }
        headers["anonymous"] = {}
        spare, _secret = tokens.create_token(session, participant, name="spare")
        ids = {"slug": event.slug, "team_a": team_a.id, "member_id": member.id, "participant_token": spare.id}
    return headers, ids


def test_every_role_has_an_answer_for_every_action():
    for action, (_method, _path, _body, expected) in MATRIX.items():
        assert set(expected) == set(ROLES), action


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_permission_matrix(app, world, action):
    headers, ids = world
    method, path, body, expected = MATRIX[action]
    got = {}
    for role in ROLES:
        # Each role acts on a fresh copy of the world where the action has a side effect.
        if method in ("DELETE",) and role in ("captain", "member"):
            continue
        client = app.test_client()
        response = client.open(path.format(**ids), method=method, json=body, headers=headers[role])
        got[role] = response.status_code
    wanted = {role: status for role, status in expected.items() if role in got}
    assert got == wanted


@pytest.mark.parametrize("role", ["captain", "member"])
def test_removing_a_member_is_allowed_for_the_captain_and_the_member_themselves(app, world, role):
    headers, ids = world
    response = app.test_client().delete(
        f"/api/v1/teams/{ids['team_a']}/members/{ids['member_id']}", headers=headers[role]
    )
    assert response.status_code == MATRIX["remove a member"][3][role]


def test_invite_code_reaches_members_only(app, world):
    """DESIGN.md: "invite code: members only", in the API as on the team page (an organizer
    outside the team has no use for it: it would let them join)."""
    headers, ids = world
    for role in ROLES:
        team = app.test_client().get(f"/api/v1/teams/{ids['team_a']}", headers=headers[role]).get_json()
        assert ("invite_code" in team) == (role in ("captain", "member")), role


def test_public_archive_has_no_personal_data(app, world):
    import io
    import zipfile

    headers, ids = world
    public = app.test_client().get(f"/api/v1/events/{ids['slug']}/archive.zip").data
    personal = (
        app.test_client().get(f"/api/v1/events/{ids['slug']}/archive.zip?personal=1", headers=headers["organizer"]).data
    )
    public_text = " ".join(
        zipfile.ZipFile(io.BytesIO(public)).read(n).decode() for n in zipfile.ZipFile(io.BytesIO(public)).namelist()
    )
    personal_names = zipfile.ZipFile(io.BytesIO(personal)).namelist()
    assert "@example.org" not in public_text and "participants.csv" not in public_text
    assert "participants.csv" in personal_names and "datapackage.json" in personal_names
    assert "Draft" not in public_text  # drafts are not published
