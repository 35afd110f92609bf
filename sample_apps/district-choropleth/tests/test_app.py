"""District choropleth: the indicators, data from the hub or the extract, the page, and the map in a browser."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
EXTERNAL_ASSET = re.compile(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", re.IGNORECASE)
HOSTILE = "<img src=x onerror=alert(1)>"


def extract(name: str) -> dict:
    return json.loads((DATA / f"{name}.geojson").read_text(encoding="utf-8"))


def districts() -> list[dict]:
    return extract("districts")["features"]


def offline(app_module, dead_hub):
    return app_module.load(app_module.hubdata.Hub(dead_hub, extract_dir=DATA))


def test_unreachable_hub_falls_back_to_the_extract_and_says_so(app_module, dead_hub):
    data = offline(app_module, dead_hub)

    assert {loaded.source for loaded in data.values()} == {"extract"}
    assert set(data) == {"districts", "playgrounds", "public-toilets", "bike-stations"}
    assert "could not be reached" in data["districts"].notice


def test_reachable_hub_gives_live_data(app_module, stand_in_hub):
    data = app_module.load(app_module.hubdata.Hub(stand_in_hub, extract_dir=DATA))

    assert {loaded.source for loaded in data.values()} == {"hub"}
    assert len(data["districts"].data["features"]) == len(districts())


def test_indicators_per_10k_residents_count_the_points_of_each_district(app_module, dead_hub):
    data = offline(app_module, dead_hub)
    toilets = Counter(f["properties"]["district"] for f in extract("public-toilets")["features"])

    areas = app_module.with_indicator(data, "toilets_per_10k")

    for feature in areas["features"]:
        properties = feature["properties"]
        expected = 10_000 * toilets[properties["name"]] / properties["population"]
        assert properties["value"] == pytest.approx(expected)
        assert properties["value_text"] == f"{expected:.2f}"
    assert sum(toilets[f["properties"]["name"]] for f in areas["features"]) > 0


def test_a_district_without_population_shows_no_data_rather_than_failing(app_module, dead_hub):
    data = offline(app_module, dead_hub)
    data["districts"].data["features"][0]["properties"]["population"] = None

    areas = app_module.with_indicator(data, "playgrounds_per_10k")

    assert areas["features"][0]["properties"]["value_text"] == "no data"
    html = app_module.render_map_html(app_module.build_map(data, "none", "playgrounds_per_10k"))
    assert '"value_text": "no data"' in html


def test_page_has_the_choropleth_legend_search_and_picker_and_nothing_from_other_servers(app_module, dead_hub):
    hub = app_module.hubdata.Hub(dead_hub, extract_dir=DATA)
    html = app_module.render(hub, tiles="none", indicator="green_space_pct")

    assert not EXTERNAL_ASSET.search(html)
    assert "Green space (% of the area)" in html  # the layer, the legend's caption, the tooltip
    assert "L.Control.Search(" in html and "Search a district" in html
    assert html.count("<option ") == len(app_module.INDICATORS)
    assert '<option value="green_space_pct" selected>' in html
    assert 'data-source="extract"' in html


def test_text_from_data_is_escaped_in_tooltips(app_module, dead_hub):
    data = offline(app_module, dead_hub)
    data["districts"].data["features"][0]["properties"]["name"] = HOSTILE

    m = app_module.build_map(data, tiles="none")
    html = app_module.render_map_html(m, asset_base="/assets")

    # The tooltip and the search read the `name` the layer holds; folium puts it in as HTML.
    names = [f["properties"]["name"] for f in app_module.with_indicator(data, "population")["features"]]
    assert "&lt;img src=x onerror=alert(1)&gt;" in names
    assert "<img src=x" not in html


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_unknown_indicator_is_a_clear_400(app_module, serve_app, dead_hub):
    url = serve_app(dead_hub)

    status, body = get(url + "/?indicator=nope")

    assert status == 400
    assert "no indicator 'nope'" in body and "toilets_per_10k" in body
    assert get(url + "/?indicator=toilets_per_10k")[0] == 200


def test_browser_draws_every_district_with_legend_search_and_picker(app_module, serve_app, dead_hub, browser_page):
    url = serve_app(dead_hub, tiles="none")

    browser_page.goto(url)
    browser_page.wait_for_selector(".legend svg .caption")

    assert browser_page.locator("path.leaflet-interactive").count() == len(districts())
    assert browser_page.locator(".legend .caption").text_content() == "Residents"
    assert "demo extract" in browser_page.locator(".hackkit-source-notice").inner_text()

    # Search: typing shows the matching districts; picking one zooms to it.
    browser_page.locator(".leaflet-control-search input").press_sequentially("Ber")  # it listens to keys
    browser_page.wait_for_selector(".search-tip")
    tips = browser_page.locator(".search-tip").all_inner_texts()
    assert tips and all(tip.startswith("Ber") for tip in tips)
    zoom = "() => Object.values(window).find((value) => value instanceof L.Map).getZoom()"
    before = browser_page.evaluate(zoom)
    browser_page.locator(".search-tip").first.click()
    browser_page.wait_for_function(f"() => ({zoom})() > {before}")
    assert browser_page.locator(".leaflet-control-search input").input_value().startswith("Ber")

    # The picker reloads the page with the chosen indicator.
    with browser_page.expect_navigation():
        browser_page.select_option("#indicator-picker", "playgrounds_per_10k")
    assert browser_page.url.endswith("?indicator=playgrounds_per_10k")
    browser_page.wait_for_selector(".legend svg .caption")
    assert browser_page.locator(".legend .caption").text_content() == "Playgrounds per 10,000 residents"
    assert browser_page.locator("path.leaflet-interactive").count() == len(districts())
