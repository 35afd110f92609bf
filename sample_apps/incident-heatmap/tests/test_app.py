"""Incident heat map: data from the hub or the extract, the filters, the page, and the map in a browser."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)
HOSTILE = "<img src=x onerror=alert(1)>"


def extract(name: str) -> dict:
    return json.loads((DATA / f"{name}.geojson").read_text(encoding="utf-8"))


INCIDENTS = [f["properties"] for f in extract("incidents")["features"]]
PER_CATEGORY = Counter(p["category"] for p in INCIDENTS)
PER_MONTH = Counter(p["date"][:7] for p in INCIDENTS)


def offline(app_module, dead_hub):
    return app_module.load(app_module.hubdata.Hub(dead_hub, extract_dir=DATA))


def page(app_module, data, **kwargs) -> str:
    return app_module.render_map_html(app_module.build_map(data, tiles="none", **kwargs), asset_base="/assets")


def test_unreachable_hub_falls_back_to_the_extract_and_says_so(app_module, dead_hub):
    data = offline(app_module, dead_hub)

    assert {loaded.source for loaded in data.values()} == {"extract"}
    assert len(data["incidents"].data["features"]) == len(INCIDENTS)
    assert "could not be reached" in data["incidents"].notice


def test_reachable_hub_gives_live_data(app_module, stand_in_hub):
    data = app_module.load(app_module.hubdata.Hub(stand_in_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"hub"}
    assert app_module.categories(data) == sorted(PER_CATEGORY)


def test_page_has_heat_map_clusters_and_filters_and_nothing_from_other_servers(app_module, dead_hub):
    html = app_module.render(app_module.hubdata.Hub(dead_hub, extract_dir=DATA), tiles="none")

    assert not EXTERNAL_ASSET.search(html)
    assert "L.heatLayer(" in html and "L.markerClusterGroup(" in html
    assert "Heat map" in html and "Incidents (clusters)" in html  # the layer control's entries
    assert f'max="{len(PER_MONTH)}"' in html  # one slider step per month, and 0 for all of them
    assert html.count("<option ") == len(PER_CATEGORY) + 1  # and "all categories"
    assert f"{len(INCIDENTS):,} incidents" in html
    assert 'data-source="extract"' in html


def test_category_keeps_only_its_incidents(app_module, dead_hub):
    data = offline(app_module, dead_hub)

    points = app_module.incidents(data, "litter")

    assert len(points) == PER_CATEGORY["litter"]
    assert f"{PER_CATEGORY['litter']:,} incidents" in page(app_module, data, category="litter")


def test_above_the_cluster_limit_only_the_heat_map_is_drawn_and_the_map_says_why(app_module, dead_hub, monkeypatch):
    data = offline(app_module, dead_hub)
    monkeypatch.setattr(app_module, "CLUSTER_LIMIT", 1000)

    everything = page(app_module, data)
    one_category = page(app_module, data, category="litter")

    assert "L.heatLayer(" in everything and "L.markerClusterGroup(" not in everything
    assert "too many for clusters" in everything
    assert "L.markerClusterGroup(" in one_category and "too many" not in one_category


def test_text_from_data_is_escaped_in_popups_and_the_category_list(app_module, dead_hub):
    data = offline(app_module, dead_hub)
    data["incidents"].data["features"][0]["properties"].update(category=HOSTILE, district=HOSTILE)

    html = page(app_module, data)

    popup = app_module.popup_html(data["incidents"].data["features"][0]["properties"])
    assert "<img" not in popup and popup.count("&lt;img src=x onerror=alert(1)&gt;") == 2
    assert "<img src=x" not in html
    assert '<option value="&lt;img src=x onerror=alert(1)&gt;">' in html


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_unknown_category_is_a_clear_400(app_module, serve_app, dead_hub):
    url = serve_app(dead_hub)

    status, body = get(url + "/?category=volcano")

    assert status == 400
    assert "no category 'volcano'" in body and "pothole" in body
    assert get(url + "/?category=pothole")[0] == 200


def counts(browser_page) -> tuple[int, int]:
    heat, cluster = browser_page.evaluate(
        "[window.incidentMap.heat._latlngs.length, window.incidentMap.cluster.getLayers().length]"
    )
    return heat, cluster


def test_browser_draws_every_incident_and_filters_by_month_and_category(app_module, serve_app, dead_hub, browser_page):
    url = serve_app(dead_hub, tiles="none")

    browser_page.goto(url)
    browser_page.wait_for_selector("canvas.leaflet-heatmap-layer")
    assert counts(browser_page) == (len(INCIDENTS), len(INCIDENTS))
    assert "demo extract" in browser_page.locator(".hackkit-source-notice").inner_text()

    # The clusters are one click away in the layer control.
    browser_page.get_by_label("Incidents (clusters)").check()
    browser_page.wait_for_selector(".marker-cluster")

    # The slider: step 1 is the first month; heat map, clusters and count follow.
    first = min(PER_MONTH)
    browser_page.locator("#incident-period").focus()
    browser_page.keyboard.press("ArrowRight")
    assert counts(browser_page) == (PER_MONTH[first], PER_MONTH[first])
    assert browser_page.locator("#incident-period-label").inner_text() == "January 2024"
    assert browser_page.locator("#incident-count").inner_text() == f"{PER_MONTH[first]:,} incidents"

    # The category list reloads the page with ?category=.
    with browser_page.expect_navigation():
        browser_page.select_option("#incident-category", "pothole")
    assert browser_page.url.endswith("?category=pothole")
    browser_page.wait_for_selector("canvas.leaflet-heatmap-layer")
    assert counts(browser_page) == (PER_CATEGORY["pothole"], PER_CATEGORY["pothole"])
