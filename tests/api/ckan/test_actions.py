"""The CKAN catalogue actions: shapes as CKAN 2.11 gives them, errors and status codes."""

from __future__ import annotations

import json

import pytest

from tests.api.helpers import token_for


def call(client, action: str, status: int = 200, prefix: str = "/api/3/action/", **args):
    response = client.get(prefix + action, query_string=args)
    body = response.get_json()
    assert response.status_code == status, body
    assert body["help"] == f"http://localhost/api/3/action/help_show?name={action}"
    assert body["success"] is (status == 200)
    return body["result"] if status == 200 else body["error"]


def test_both_addresses_answer_get_and_post_alike(client, catalogue):
    assert call(client, "package_list") == ["stops", "trees"]
    assert call(client, "package_list", prefix="/api/action/") == ["stops", "trees"]
    posted = client.post("/api/action/package_show", json={"id": "trees"}).get_json()
    assert posted["success"] and posted["result"]["name"] == "trees"
    in_query = client.post("/api/3/action/package_show?id=stops").get_json()
    assert in_query["result"]["name"] == "stops"
    as_form = client.post("/api/3/action/package_show", data={"id": "stops"}).get_json()
    assert as_form["result"]["name"] == "stops"
    # curl -d '{"id": ...}' labels JSON as a form; CKAN reads it anyway, so do we.
    curl_style = client.post(
        "/api/3/action/package_show", data='{"id": "trees"}', content_type="application/x-www-form-urlencoded"
    )
    assert curl_style.get_json()["result"]["name"] == "trees"


def test_package_show_has_ckan_shape(client, catalogue):
    package = call(client, "package_show", id="stops")
    assert package["type"] == "dataset" and package["state"] == "active" and package["private"] is False
    assert package["name"] == "stops" and package["title"] == "Bus stops"
    assert package["license_id"] == "CC0-1.0" and package["license_title"] == "CC0 1.0" and package["isopen"]
    assert package["organization"]["name"] == "city-of-antwerp"
    assert package["organization"]["title"] == "City of Antwerp"
    assert package["owner_org"] == package["organization"]["id"]
    assert [g["name"] for g in package["groups"]] == ["tran"] and package["groups"][0]["title"] == "Transport"
    assert [t["name"] for t in package["tags"]] == ["bus", "mobility"] and package["num_tags"] == 2
    assert package["tags"][0]["display_name"] == "bus"
    assert package["num_resources"] == 2
    newest, oldest = package["resources"]
    assert newest["position"] == 0 and "version 2, current" in newest["name"]
    assert newest["package_id"] == package["id"] and newest["datastore_active"] is True
    assert newest["format"] == "CSV" and newest["url"].endswith(f"/datastore/dump/{newest['id']}")
    assert newest["row_count"] == 4 and oldest["row_count"] == 2
    assert package["metadata_created"] and "+" not in package["metadata_modified"]
    # ids are UUIDs, stable between calls, and package_show takes the id as well as the name
    assert len(package["id"]) == 36 and call(client, "package_show", id=package["id"])["name"] == "stops"
    assert call(client, "resource_show", id=oldest["id"]) == oldest


def test_package_show_never_leaks_accounts(client, catalogue):
    text = json.dumps(call(client, "package_show", id="stops"))
    assert '"creator_user_id": null' in text
    assert "created_by" not in text and "example.org" not in text


def test_drafts_are_not_found_except_for_organizer_tokens(client, auth, catalogue):
    error = call(client, "package_show", 404, id="secret")
    assert error["__type"] == "Not Found Error" and error["message"].startswith("Not found")
    assert "secret" not in call(client, "package_list")
    assert call(client, "package_search", q="secret")["count"] == 0
    assert call(client, "organization_show", id="city-of-antwerp")["package_count"] == 1
    participant = token_for(client, auth.create_user("participant").email)
    response = client.get("/api/3/action/package_show?id=secret", headers=participant)
    assert response.status_code == 404
    organizer = token_for(client, auth.create_user("organizer").email)["Authorization"].split()[1]
    # CKAN clients send the bare token, in Authorization or X-CKAN-API-Key.
    for headers in ({"Authorization": organizer}, {"X-CKAN-API-Key": organizer}):
        shown = client.get("/api/3/action/package_show?id=secret", headers=headers).get_json()["result"]
        assert shown["state"] == "draft"
    listed = client.get("/api/3/action/package_search?include_drafts=true", headers={"Authorization": organizer})
    assert listed.get_json()["result"]["count"] == 3


def test_a_bad_token_is_an_authorization_error(client, catalogue):
    response = client.get("/api/3/action/package_list", headers={"Authorization": "hk_not-a-token"})
    assert response.status_code == 403
    assert response.get_json()["error"]["__type"] == "Authorization Error"
    # Credentials of another scheme are not a CKAN token: the call is simply anonymous.
    basic = client.get("/api/3/action/package_list", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 200


def test_package_search_filters_facets_and_pages(client, catalogue):
    everything = call(client, "package_search", q="*:*")
    assert everything["count"] == 2 and len(everything["results"]) == 2
    assert call(client, "package_search", fq="organization:parks-department")["results"][0]["name"] == "trees"
    assert call(client, "package_search", fq="tags:bus")["count"] == 1
    assert call(client, "package_search", fq='groups:envi +res_format:"CSV"')["results"][0]["name"] == "trees"
    assert call(client, "package_search", fq="res_format:XLSX")["count"] == 0
    assert call(client, "package_search", q="tags:trees")["count"] == 1
    assert call(client, "package_search", fq="organization:nobody")["count"] == 0
    faceted = call(client, "package_search", **{"facet.field": '["organization", "groups", "res_format"]'})
    assert faceted["facets"]["organization"] == {"city-of-antwerp": 1, "parks-department": 1}
    assert faceted["facets"]["res_format"] == {"CSV": 2}
    groups = faceted["search_facets"]["groups"]
    assert groups["title"] == "groups"
    assert {"name": "envi", "display_name": "Environment", "count": 1} in groups["items"]
    first = call(client, "package_search", rows=1, sort="name desc")
    assert first["count"] == 2 and [r["name"] for r in first["results"]] == ["trees"]
    second = call(client, "package_search", rows=1, start=1, sort="name desc")
    assert [r["name"] for r in second["results"]] == ["stops"]
    past_the_end = call(client, "package_search", rows=10, start=10)
    assert past_the_end["count"] == 2 and past_the_end["results"] == []
    assert call(client, "package_search", sort="title_string asc")["results"][0]["name"] == "stops"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"rows": "-1"}, "rows"),
        ({"rows": "abc"}, "rows"),
        ({"start": "1.5"}, "start"),
        ({"facet.field": '["nope"]'}, "facet.field"),
        ({"facet.field": "[not json"}, "facet.field"),
        ({"facet.limit": "many"}, "facet.limit"),
        ({"include_drafts": "maybe"}, "include_drafts"),
    ],
)
def test_bad_search_parameters_are_validation_errors(client, catalogue, args, field):
    error = call(client, "package_search", 409, **args)
    assert error["__type"] == "Validation Error" and error[field] and error["message"]


def test_unknown_action_and_bad_body_are_bad_requests(client):
    response = client.get("/api/3/action/package_create")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "Bad request - Action name not known: package_create"
    broken = client.post("/api/3/action/package_show", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["success"] is False
    listed = client.post("/api/3/action/package_show", data="[1]", content_type="application/json")
    assert listed.status_code == 400


def test_missing_and_unknown_ids(client, catalogue):
    assert call(client, "package_show", 409)["id"] == ["Missing value"]
    for name in ("package_show", "resource_show", "organization_show", "group_show"):
        assert call(client, name, 404, id="nothing-here")["__type"] == "Not Found Error"


def test_organizations_and_groups(client, catalogue):
    assert call(client, "organization_list") == ["city-of-antwerp", "parks-department"]
    full = call(client, "organization_list", all_fields="true", sort="package_count desc")
    assert full[0]["is_organization"] is True and full[0]["package_count"] == 1
    org = call(client, "organization_show", id="parks-department", include_datasets="true")
    assert org["title"] == "Parks Department" and [p["name"] for p in org["packages"]] == ["trees"]
    assert call(client, "organization_show", id=org["id"])["name"] == "parks-department"
    assert call(client, "group_list") == ["envi", "regi", "tran"]
    groups = call(client, "group_list", all_fields=True)
    assert {g["name"]: g["package_count"] for g in groups} == {"envi": 1, "regi": 1, "tran": 1}
    assert call(client, "group_show", id="tran")["title"] == "Transport"
    assert call(client, "organization_list", 409, sort="colour")["sort"]


def test_tags_licences_status_and_help(client, catalogue):
    assert call(client, "tag_list") == ["bus", "mobility", "trees"]
    assert call(client, "tag_list", query="mob") == ["mobility"]
    assert call(client, "tag_list", all_fields="true")[0]["display_name"] == "bus"
    licences = {item["id"]: item for item in call(client, "license_list")}
    assert licences["CC-BY-4.0"]["url"].startswith("https://creativecommons.org/")
    assert {"title", "od_conformance", "status"} <= set(licences["CC0-1.0"])
    status = call(client, "status_show")
    assert status["ckan_version"].startswith("2.11") and "datastore" in status["extensions"]
    assert status["site_title"] == "hackkit" and status["site_url"] == "http://localhost"
    assert "Search datasets" in call(client, "help_show", name="package_search")
    assert call(client, "help_show", 404, name="package_delete")["__type"] == "Not Found Error"


def test_ckan_routes_need_no_csrf_token_and_no_cookie(app, catalogue):
    # A real browser session's cookie is ignored: only tokens identify a caller here.
    with app.test_client() as fresh:
        assert fresh.post("/api/3/action/package_list", json={}).status_code == 200


def test_a_body_over_the_upload_limit_still_gets_the_envelope(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/api/3/action/package_search", json={"q": "x" * 500})
    assert response.status_code == 413
    assert response.get_json()["success"] is False and response.get_json()["error"]["__type"]


def test_help_links_are_proper_urls_whatever_the_name(client):
    body = client.get("/api/3/action/no such&thing").get_json()
    assert body["help"] == "http://localhost/api/3/action/help_show?name=no+such%26thing"
