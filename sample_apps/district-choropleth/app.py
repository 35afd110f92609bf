"""District choropleth: one indicator per district, coloured, with a legend, a search and a picker.

Each district is coloured by the indicator you pick: its population, its share of green
space, or one counted from the hub's point datasets (playgrounds, public toilets and
bike-share stations per 10,000 residents). Hover a district for its value, search one by
name, and switch the indicator with the list at the top (`?indicator=` in the URL).

Data comes from the hackkit hub's API (HACKKIT_URL, default http://127.0.0.1:5000), or
from the copy in data/ when the hub cannot be reached.

    python app.py                 serve the map on http://127.0.0.1:8000/ (PORT to change)
    python app.py --html map.html [--indicator toilets_per_10k]   write one standalone file
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import folium
from branca.colormap import LinearColormap
from branca.element import MacroElement
from flask import Flask, request
from folium.plugins import Search
from hackkit_maps import hubdata
from hackkit_maps.assets import inline_assets
from hackkit_maps.build import Template, add_source_notice, escape_properties, make_map, render_map_html
from hackkit_maps.serve import asset_response, map_response

HERE = Path(__file__).resolve().parent

TITLE = "District choropleth"
SUMMARY = "An indicator per district: colours with a legend, tooltips, a district search and an indicator picker."
DEMONSTRATES = (
    "a choropleth with a colour legend",
    "indicators counted from point datasets",
    "tooltips and a search box",
    "an indicator picker (?indicator=)",
)

# WHERE TO CHANGE THINGS (1): where the map opens, and its colours (low to high).
CENTER = (51.2194, 4.4025)  # Antwerp
ZOOM = 11
COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA_COLOUR = "#bdbdbd"
LEGEND_STYLE = (
    "<style>.legend.leaflet-control{background:#fff;padding:2px 16px 0 0;border-radius:4px}"
    ".legend svg{overflow:visible}</style>"
)

# WHERE TO CHANGE THINGS (2): the districts, and the point datasets counted per district.
# A point counts for the district named in its `district` column.
AREAS_DATASET = "districts"
COUNTED_DATASETS = ("playgrounds", "public-toilets", "bike-stations")


@dataclass(frozen=True)
class Indicator:
    label: str  # the legend's caption and the tooltip's line
    value: Callable[[dict, Counter], float | None]  # (district properties, points per dataset) -> number
    format: str  # how the tooltip shows the number


def per_10k_residents(slug: str) -> Callable[[dict, Counter], float | None]:
    def value(district: dict, counts: Counter) -> float | None:
        population = district.get("population")
        return 10_000 * counts[slug] / population if population else None

    return value


# WHERE TO CHANGE THINGS (3): the indicators. Add one with a label, a function of the
# district's properties and its point counts, and a number format. The first is the default.
INDICATORS: dict[str, Indicator] = {
    "population": Indicator("Residents", lambda district, _counts: district.get("population"), "{:,.0f}"),
    "green_space_pct": Indicator(
        "Green space (% of the area)", lambda district, _counts: district.get("green_space_pct"), "{:.1f} %"
    ),
    "playgrounds_per_10k": Indicator("Playgrounds per 10,000 residents", per_10k_residents("playgrounds"), "{:.2f}"),
    "toilets_per_10k": Indicator("Public toilets per 10,000 residents", per_10k_residents("public-toilets"), "{:.2f}"),
    "bike_stations_per_10k": Indicator(
        "Bike-share stations per 10,000 residents", per_10k_residents("bike-stations"), "{:.2f}"
    ),
}
DEFAULT_INDICATOR = next(iter(INDICATORS))


def load(hub: hubdata.Hub) -> dict[str, hubdata.Loaded]:
    """The districts and the counted point datasets, from the hub or from data/."""
    return {slug: hub.load_geojson(slug) for slug in (AREAS_DATASET, *COUNTED_DATASETS)}


def points_per_district(data: dict[str, hubdata.Loaded]) -> dict[str, Counter]:
    """District name -> {dataset slug: number of its points in that district}."""
    counts: dict[str, Counter] = {}
    for slug in COUNTED_DATASETS:
        for feature in data[slug].data["features"]:
            district = (feature.get("properties") or {}).get("district")
            counts.setdefault(district, Counter())[slug] += 1
    return counts


def with_indicator(data: dict[str, hubdata.Loaded], key: str) -> dict:
    """The districts with the indicator's `value` and its text `value_text`, text made safe for HTML."""
    indicator = INDICATORS[key]
    counts = points_per_district(data)
    areas = data[AREAS_DATASET].data
    features = []
    for feature in areas["features"]:
        properties = dict(feature.get("properties") or {})
        value = indicator.value(properties, counts.get(properties.get("name"), Counter()))
        properties["value"] = value
        properties["value_text"] = "no data" if value is None else indicator.format.format(value)
        features.append({**feature, "properties": properties})
    return escape_properties({**areas, "features": features})


class IndicatorPicker(MacroElement):
    """A list at the top of the map that reloads the page with ?indicator=<key>."""

    _template = Template(
        """{% macro html(this, kwargs) %}
        <div style="position:absolute;z-index:1000;left:60px;top:10px;padding:6px 10px;background:#fff;
                    border:1px solid #999;border-radius:4px;font:14px/1.4 sans-serif">
            <label for="indicator-picker">Indicator</label>
            <select id="indicator-picker">
            {% for key, label in this.choices %}
                <option value="{{ key }}"{% if key == this.chosen %} selected{% endif %}>{{ label }}</option>
            {% endfor %}
            </select>
        </div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        document.getElementById("indicator-picker").addEventListener("change", function (event) {
            window.location.search = "?indicator=" + encodeURIComponent(event.target.value);
        });
        {% endmacro %}"""
    )

    def __init__(self, chosen: str):
        super().__init__()
        self._name = "IndicatorPicker"
        self.chosen = chosen
        self.choices = [(escape(key), escape(indicator.label)) for key, indicator in INDICATORS.items()]


def build_map(
    data: dict[str, hubdata.Loaded], tiles: str | None = None, indicator: str = DEFAULT_INDICATOR, picker: bool = True
) -> folium.Map:
    tiles = tiles or os.environ.get("HACKKIT_TILES", "osm")
    areas = with_indicator(data, indicator)
    label = INDICATORS[indicator].label
    basemap = areas
    m = make_map(CENTER, ZOOM, tiles=tiles, basemap_geojson=basemap, zoom_snap=0.25)  # fits the city snugly

    values = [f["properties"]["value"] for f in areas["features"] if f["properties"]["value"] is not None]
    low, high = (min(values), max(values)) if values else (0, 1)
    colormap = LinearColormap(COLOURS, vmin=low, vmax=high if high > low else low + 1, caption=label)

    def style(feature: dict) -> dict:
        value = feature["properties"]["value"]
        fill = NO_DATA_COLOUR if value is None else colormap(value)
        return {"fillColor": fill, "color": "#333", "weight": 1.5, "fillOpacity": 0.75}

    layer = folium.GeoJson(
        areas,
        name=label,
        style_function=style,
        highlight_function=lambda _feature: {"weight": 4, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "value_text"], aliases=["District", label]),
    ).add_to(m)
    colormap.add_to(m)  # the legend, top right (d3 draws it; its last number would be cut off without the style)
    m.get_root().header.add_child(folium.Element(LEGEND_STYLE), name="legend_style")
    # The whole city, whatever the screen, clear of the legend above and the notice below.
    m.fit_bounds(layer.get_bounds(), padding_top_left=(20, 60), padding_bottom_right=(20, 90))
    Search(layer, search_label="name", placeholder="Search a district", collapsed=False, search_zoom=13).add_to(m)
    if picker:
        IndicatorPicker(indicator).add_to(m)

    live = all(loaded.live for loaded in data.values())
    notices = {loaded.notice for loaded in data.values()}
    add_source_notice(m, " ".join(sorted(notices)), live=live)
    return m


def render(
    hub: hubdata.Hub,
    asset_base: str = "/assets",
    tiles: str | None = None,
    indicator: str = DEFAULT_INDICATOR,
    picker: bool = True,
) -> str:
    """The map as a complete HTML page whose scripts and styles come from `asset_base`."""
    m = build_map(load(hub), tiles, indicator, picker)
    return render_map_html(m, asset_base=asset_base, title=f"{TITLE}: {INDICATORS[indicator].label}")


def create_app(hub_url: str | None = None) -> Flask:
    app = Flask(__name__)
    tiles = os.environ.get("HACKKIT_TILES", "osm")

    @app.get("/")
    def index():
        indicator = request.args.get("indicator", DEFAULT_INDICATOR)
        if indicator not in INDICATORS:
            message = f"There is no indicator {indicator!r}. Choose one of: {', '.join(INDICATORS)}."
            return message, 400, {"Content-Type": "text/plain; charset=utf-8"}
        hub = hubdata.Hub(hub_url, extract_dir=HERE / "data")  # asked again on every request
        return map_response(render(hub, tiles=tiles, indicator=indicator), tiles)

    @app.get("/assets/<path:path>")
    def assets(path: str):
        return asset_response(path)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=SUMMARY)
    parser.add_argument("--html", metavar="OUT", help="write the map to this file instead of serving it")
    parser.add_argument("--indicator", choices=INDICATORS, default=DEFAULT_INDICATOR, help="for --html")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    if args.html:
        hub = hubdata.Hub(extract_dir=HERE / "data")
        # No picker in a file: there is no server to ask for another indicator.
        html = render(hub, indicator=args.indicator, picker=False)
        Path(args.html).write_text(inline_assets(html, base="/assets"), encoding="utf-8")
        print(f"wrote {args.html}")
        return
    create_app().run(host=args.host, port=args.port)


if __name__ == "__main__":
    main()
