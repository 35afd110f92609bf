"""docs/api.md describes every CKAN action and route; /api/v1's OpenAPI document does not
(the CKAN routes are CKAN's contract, not ours, so they are left out of it on purpose)."""

from pathlib import Path

from hackkit.api.ckan.envelope import ACTIONS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def test_every_ckan_action_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## CKAN-compatible API") :]
    for name in ACTIONS:
        assert f"`{name}`" in section, f"{name} is missing from the CKAN section of docs/api.md"


def test_ckan_routes_are_exactly_the_documented_ones(app, client):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("ckan.")}
    assert rules == {"/api/3/action/<name>", "/api/action/<name>", "/datastore/dump/<resource_id>", "/dataset/<name>"}
    document = client.get("/api/v1/openapi.json").get_json()
    assert not [path for path in document["paths"] if "action" in path or "datastore" in path]
