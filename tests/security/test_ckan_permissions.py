"""Who gets what from the CKAN-compatible API: every read for every role, in one table.

The CKAN API only reads. What differs by role is drafts: organizers see them (with an
organizer token), everyone else gets CKAN's 404 as if they did not exist. Each cell is the
HTTP status that role gets; tokens are sent the way CKAN clients send them.
"""

from __future__ import annotations

import pytest

from tests.api.helpers import token_for
from tests.datasets.helpers import import_file, write_csv

ROLES = ("anonymous", "participant", "judge", "organizer")
EVERYONE = dict.fromkeys(ROLES, 200)
ORGANIZERS_ONLY = {"anonymous": 404, "participant": 404, "judge": 404, "organizer": 200}

# action: (path, {role: status})
MATRIX = {
    "package_list": ("/api/3/action/package_list", EVERYONE),
    "package_search": ("/api/3/action/package_search?q=open", EVERYONE),
    "package_show published": ("/api/3/action/package_show?id=open", EVERYONE),
    "package_show draft": ("/api/3/action/package_show?id=hidden", ORGANIZERS_ONLY),
    "resource_show draft": ("/api/3/action/resource_show?id={hidden_resource}", ORGANIZERS_ONLY),
    "datastore_search published": ("/api/3/action/datastore_search?resource_id=open", EVERYONE),
    "datastore_search draft": ("/api/3/action/datastore_search?resource_id=hidden", ORGANIZERS_ONLY),
    "datastore dump draft": ("/datastore/dump/hidden", ORGANIZERS_ONLY),
    # Organizations and groups come from published datasets, for everyone: a publisher with
    # only drafts is not an organization yet (organizers find drafts with include_drafts).
    "organization_show of a draft's publisher only": ("/api/3/action/organization_show?id=secret-office",
                                                       dict.fromkeys(ROLES, 404)),
    "group_list": ("/api/3/action/group_list", EVERYONE),
    "tag_list": ("/api/3/action/tag_list", EVERYONE),
    "license_list": ("/api/3/action/license_list", EVERYONE),
    "status_show": ("/api/3/action/status_show", EVERYONE),
}  # fmt: skip


@pytest.fixture
def world(app, client, auth, tmp_path):
    import_file(app, write_csv(tmp_path, "a.csv", "x\n1\n"), slug="open", title="Open")
    import_file(app, write_csv(tmp_path, "b.csv", "x\n2\n"), slug="hidden", title="Hidden", draft=True,
                publisher="Secret office")  # fmt: skip
    headers = {"anonymous": {}}
    for role in ROLES[1:]:
        bearer = token_for(client, auth.create_user(role).email, scope="read")["Authorization"]
        headers[role] = {"Authorization": bearer.split()[1]}
    organizer_view = client.get("/api/3/action/package_show?id=hidden", headers=headers["organizer"]).get_json()
    return {"headers": headers, "hidden_resource": organizer_view["result"]["resources"][0]["id"]}


@pytest.mark.parametrize("action", MATRIX)
def test_ckan_permission_matrix(client, world, action):
    path, expected = MATRIX[action]
    path = path.format(hidden_resource=world["hidden_resource"])
    got = {role: client.get(path, headers=world["headers"][role]).status_code for role in ROLES}
    assert got == expected


def test_drafts_never_appear_in_lists_for_non_organizers(client, world):
    for role in ("anonymous", "participant", "judge"):
        headers = world["headers"][role]
        assert client.get("/api/3/action/package_list", headers=headers).get_json()["result"] == ["open"]
        search = client.get("/api/3/action/package_search?include_drafts=true", headers=headers).get_json()
        assert [p["name"] for p in search["result"]["results"]] == ["open"]
        assert client.get("/api/3/action/organization_list", headers=headers).get_json()["result"] == []
