"""One rule for who sees a team's invite code, the same on the team page and in the API
(DESIGN.md: "invite code: members only"): an organizer outside the team does not."""

from __future__ import annotations

from tests.api.helpers import token_for
from tests.teams.test_views import world


def test_members_see_the_code_on_the_page_and_in_the_api_and_nobody_else(client, app, auth):
    data = world(app)
    for email, sees in ((data.mate, True), (data.organizer, False), (data.outsider, False)):
        auth.login(email)
        page = client.get(f"/teams/{data.team_id}").get_data(as_text=True)
        auth.logout()
        answer = client.get(f"/api/v1/teams/{data.team_id}", headers=token_for(client, email)).get_json()
        assert (data.code in page) is sees, email
        assert ("invite_code" in answer) is sees, email
