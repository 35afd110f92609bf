"""Project coverage: projects from the hub's event API or the extract, the counts, and the map in a browser."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)
HOSTILE = "<img src=x onerror=alert(1)>"


def districts() -> list[str]:
    areas = json.loads((DATA / "districts.geojson").read_text(encoding="utf-8"))
    return [feature["properties"]["name"] for feature in areas["features"]]


def extract_projects() -> list[dict]:
    return json.loads((DATA / "projects.json").read_text(encoding="utf-8"))["projects"]


def offline(app_module, dead_hub):
    return app_module.load(app_module.hubdata.Hub(dead_hub, extract_dir=DATA))


def test_unreachable_hub_falls_back_to_the_extract_and_says_so(app_module, dead_hub):
    data = offline(app_module, dead_hub)

    assert {loaded.source for loaded in data.values()} == {"extract"}
    assert data["projects"].data["projects"] == extract_projects()
    assert "could not be reached" in data["projects"].notice


def test_reachable_hub_gives_the_latest_events_projects(app_module, stand_in_hub):
    data = app_module.load(app_module.hubdata.Hub(stand_in_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"hub"}
    assert data["projects"].data["event"]["slug"] == "antwerp-open-data-demo"  # not last year's
    per_area, elsewhere = app_module.coverage(data)
    assert [p["title"] for p in per_area["Hoboken"]] == ["Stand-in project"]
    assert [p["title"] for p in per_area["Wilrijk"]] == ["Another one"]  # " wilrijk " still matches
    assert elsewhere == []


def test_the_running_event_wins_over_a_later_one_and_a_slug_over_both(app_module):
    events = [
        {
            "slug": "now",
            "name": "Now",
            "starts_at": "2026-01-01T09:00:00+00:00",
            "ends_at": "2026-01-03T09:00:00+00:00",
        },
        {
            "slug": "later",
            "name": "Later",
            "starts_at": "2026-06-01T09:00:00+00:00",
            "ends_at": "2026-06-02T09:00:00+00:00",
        },
    ]
    during = datetime(2026, 1, 2, tzinfo=UTC)

    assert app_module.pick_event(events, now=during)["slug"] == "now"
    assert app_module.pick_event(events, now=datetime(2026, 3, 1, tzinfo=UTC))["slug"] == "later"
    assert app_module.pick_event(events, slug="later", now=during)["slug"] == "later"
    assert app_module.pick_event(events, slug="missing") is None
    assert app_module.pick_event([]) is None


def test_counts_per_district_and_the_districts_without_a_project(app_module, dead_hub):
    per_area, elsewhere = app_module.coverage(offline(app_module, dead_hub))

    assert set(per_area) == set(districts())
    counted = sum(len(projects) for projects in per_area.values()) + len(elsewhere)
    assert counted == len(extract_projects())
    assert len(per_area["Berchem"]) == 2
    missing = {name for name, projects in per_area.items() if not projects}
    assert missing == {"Berendrecht-Zandvliet-Lillo", "Ekeren", "Hoboken", "Wilrijk"}
    assert [p["title"] for p in elsewhere] == ["City-wide noise diary"]  # no district given


def test_page_has_the_layer_the_list_and_loads_nothing_from_other_servers(app_module, dead_hub):
    html = app_module.render(app_module.hubdata.Hub(dead_hub, extract_dir=DATA), tiles="none")

    assert not EXTERNAL_ASSET.search(html)
    assert "Projects per district" in html
    assert 'data-source="extract"' in html
    missing_list = re.search(r'class="hackkit-coverage-missing"[^>]*>(.*?)</ul>', html).group(1)
    assert re.findall(r"<li>(.*?)</li>", missing_list) == [
        "Berendrecht-Zandvliet-Lillo",
        "Ekeren",
        "Hoboken",
        "Wilrijk",
    ]


def test_text_from_projects_and_districts_is_escaped(app_module, dead_hub):
    hubdata = app_module.hubdata
    data = offline(app_module, dead_hub)
    areas = json.loads((DATA / "districts.geojson").read_text(encoding="utf-8"))
    areas["features"][0]["properties"]["name"] = HOSTILE  # a district with no project: in the list
    projects = {"event": {"slug": "x", "name": HOSTILE}, "projects": [{"title": HOSTILE, "district": "Berchem"}]}
    data = {"projects": hubdata.Loaded(projects, "hub", "test"), "areas": hubdata.Loaded(areas, "hub", "test")}

    html = app_module.render_map_html(app_module.build_map(data, tiles="none"), asset_base="/assets")

    assert "<img src=x" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 2  # the event name and the list
    # The tooltips travel as JSON inside the script (folium writes & < > as \u escapes), escaped first.
    assert "\\u003cstrong\\u003e\\u0026lt;img src=x" in html  # the district's tooltip
    assert "\\u003cli\\u003e\\u0026lt;img src=x" in html  # the project's title in Berchem's tooltip


def test_browser_draws_every_district_with_no_outside_request(app_module, serve_app, dead_hub, browser_page):
    url = serve_app(dead_hub, tiles="none")

    browser_page.goto(url)
    browser_page.wait_for_selector("path.leaflet-interactive")

    assert browser_page.locator("path.leaflet-interactive").count() == len(districts())
    dashed = browser_page.locator('path.leaflet-interactive[stroke-dasharray="6 4"]').count()
    assert dashed == 4  # the districts without a project are marked
    assert browser_page.locator(".hackkit-coverage-missing li").count() == 4
    assert "demo extract" in browser_page.locator(".hackkit-source-notice").inner_text()
