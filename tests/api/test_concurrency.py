"""The maximum team size holds when many people join at the same moment (real HTTP)."""

import json
import threading
import urllib.error
import urllib.request

import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Membership, Team
from hackkit.services import tokens
from tests import factories as f

JOINERS = 8


def post_json(url: str, body: dict, token: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_concurrent_joins_never_overfill_a_team(app, live_server):
    with app.app_context():
        event = f.event(db.session, max_team_size=3)
        team = f.team(db.session, event)
        team_id, code = team.id, team.invite_code
        joiner_tokens = [tokens.issue_token(db.session, f.registered(db.session, event)) for _ in range(JOINERS)]

    start = threading.Barrier(JOINERS)
    statuses: list[int] = []

    def join(token: str) -> None:
        start.wait()  # release every request at once
        statuses.append(post_json(f"{live_server}/api/v1/teams/{team_id}/members", {"invite_code": code}, token))

    threads = [threading.Thread(target=join, args=(token,)) for token in joiner_tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [201, 201] + [409] * (JOINERS - 2)
    with app.app_context():
        members = db.session.scalar(
            sa.select(sa.func.count()).select_from(Membership).where(Membership.team_id == team_id)
        )
        assert members == 3 == db.session.get(Team, team_id).member_count
