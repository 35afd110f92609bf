"""An event's projects per district: /maps/events/<slug>/projects, embedded in the gallery.

The districts are the polygons of the curated `districts` dataset; a hub without it (or
with it in draft, for this visitor) has no project map and the gallery shows none. Only
the public view of the projects counts (services.submissions.gallery: submitted, and
frozen after the deadline), so the map never tells more than the gallery does.
Built with the same helpers as the dataset map preview and the sample apps
(the hackkit-maps kit, mapkit/); sample_apps/project-coverage is the forkable version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from hackkit.datasets.row_streams import geojson_chunks
from hackkit.services import dataset_rows, datasets, events, submissions
from hackkit.services.errors import NotFound, ServiceError

if TYPE_CHECKING:
    import folium

DISTRICTS_SLUG = "districts"
AREA_NAME = "name"  # the districts' column holding their names, as projects spell them
MAX_AREAS = 2_000  # a city has tens of districts; more is not a districts dataset
POLYGONS = ("Polygon", "MultiPolygon")
DEFAULT_CENTER = (51.2194, 4.4025)  # Antwerp; the map then zooms to the districts
# Counts of 1, 2, 3-4 and 5 or more projects (the sample app's colours); none stands out.
STEPS = ((1, "#c6dbef"), (2, "#6baed6"), (3, "#2171b5"), (5, "#08306b"))
NONE_COLOR = "#f4a259"
TOOLTIP_TITLES = 8  # a tooltip lists this many project titles, then "and N more"


@dataclass
class Coverage:
    areas: dict  # FeatureCollection of the district polygons, properties as stored
    per_area: dict[str, list[str]] = field(default_factory=dict)  # district name -> project titles
    elsewhere: int = 0  # public projects with no district, or one that is not on the map

    @property
    def missing(self) -> list[str]:
        return [name for name, titles in self.per_area.items() if not titles]


def district_areas(session: Session, actor) -> dict | None:
    """The district polygons this visitor may see, or None (no such dataset, no polygons)."""
    try:
        dataset = datasets.get_dataset(session, actor, DISTRICTS_SLUG)
        version = datasets.get_version(dataset)
    except ServiceError:
        return None
    # A version's rows never change, so its polygons are read once per process, not on every
    # gallery view (the busiest page of an event day).
    if version.table_name not in _AREAS_BY_TABLE:
        if len(_AREAS_BY_TABLE) >= 16:
            _AREAS_BY_TABLE.clear()
        _AREAS_BY_TABLE[version.table_name] = _read_areas(session, version)
    return _AREAS_BY_TABLE[version.table_name]


_AREAS_BY_TABLE: dict[str, dict | None] = {}


def district_names(session: Session, actor) -> list[str]:
    """The districts' names in alphabetical order (what a project picks its district from), or []."""
    areas = district_areas(session, actor)
    return sorted({feature["properties"][AREA_NAME] for feature in areas["features"]}) if areas else []


def _read_areas(session: Session, version) -> dict | None:
    spec = version.geometry or {}
    names = [column["name"] for column in version.columns]
    if spec.get("type") != "geojson" or AREA_NAME not in names or not 0 < version.row_count <= MAX_AREAS:
        return None
    rows = dataset_rows.stream_rows(session, version, dataset_rows.parse_row_query({}, version), limit=MAX_AREAS)
    collection = json.loads("".join(geojson_chunks(version, names, rows)))
    features = [
        feature
        for feature in collection["features"]
        if (feature.get("geometry") or {}).get("type") in POLYGONS and feature["properties"].get(AREA_NAME)
    ]
    return {"type": "FeatureCollection", "features": features} if features else None


def _key(name) -> str:
    return " ".join(str(name or "").split()).casefold()


def coverage(session: Session, actor, projects: list[tuple[object, dict]]) -> Coverage | None:
    """Public projects (the gallery's (submission, content) pairs) counted per district."""
    areas = district_areas(session, actor)
    if areas is None:
        return None
    result = Coverage(areas=areas)
    by_key = {}
    for feature in areas["features"]:
        name = str(feature["properties"][AREA_NAME])
        result.per_area.setdefault(name, [])
        by_key[_key(name)] = name
    for _submission, content in projects:
        area = by_key.get(_key(content.get("district")))
        if area is None:
            result.elsewhere += 1
        else:
            result.per_area[area].append(str(content.get("title") or ""))
    return result


def event_coverage(session: Session, actor, slug: str):
    """(event, Coverage or None) for an event the actor may see (else NotFound)."""
    event = events.get_event(session, actor, slug)
    return event, coverage(session, actor, submissions.gallery(session, event))


def fill_color(count: int) -> str:
    color = NONE_COLOR
    for at_least, step_color in STEPS:
        if count >= at_least:
            color = step_color
    return color


def tooltip_html(name: str, titles: list[str]) -> str:
    """A district's tooltip; everything from data or users is escaped here."""
    if not titles:
        none_yet = _("No project yet")
        return f"<strong>{escape(name)}</strong><br>{escape(none_yet)}"
    count = ngettext("%(num)d project", "%(num)d projects", len(titles))
    items = "".join(f"<li>{escape(title)}</li>" for title in titles[:TOOLTIP_TITLES])
    if len(titles) > TOOLTIP_TITLES:
        more = _("and %(num)d more", num=len(titles) - TOOLTIP_TITLES)
        items += f"<li>{escape(more)}</li>"
    return f"<strong>{escape(name)}</strong><br>{escape(count)}<ul style='margin:0;padding-left:18px'>{items}</ul>"


def _legend_html() -> str:
    heading = _("Projects per district")
    entries = [(NONE_COLOR, _("no project"))]
    for (at_least, color), (following, _color) in zip(STEPS, [*STEPS[1:], (0, "")], strict=True):
        if not following:
            label = f"{at_least}+"
        elif following - 1 > at_least:
            label = f"{at_least}\u2013{following - 1}"
        else:
            label = str(at_least)
        entries.append((color, label))
    swatches = "".join(
        f'<li><span aria-hidden="true" style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'vertical-align:middle;background:{color};border:1px solid #555"></span>{escape(label)}</li>'
        for color, label in entries
    )
    return (
        '<div class="hackkit-legend" style="position:absolute;z-index:1000;top:10px;right:10px;padding:6px 10px;'
        'background:#fff;border:2px solid #555;border-radius:4px;font:14px/1.4 sans-serif;color:#1a1a1a">'
        f"<strong>{escape(heading)}</strong>"
        f'<ul style="margin:0;padding:0;list-style:none">{swatches}</ul></div>'
    )


def build_project_map(session: Session, actor, slug: str) -> folium.Map:
    import folium  # here, not at import: folium and pandas cost every web worker ~60 MB

    from hackkit.maps.kit import escape_properties, make_map

    event, found = event_coverage(session, actor, slug)
    if found is None:
        raise NotFound(_("This hub has no district outlines to map the projects on."))
    areas = escape_properties(found.areas)  # every text property made safe as HTML
    for original, feature in zip(found.areas["features"], areas["features"], strict=True):
        # The stored (unescaped) name keys per_area; tooltip_html escapes it itself.
        name = str(original["properties"][AREA_NAME])
        titles = found.per_area[name]
        feature["properties"].update(projects=len(titles), tooltip=tooltip_html(name, titles))

    def style(feature: dict) -> dict:
        count = feature["properties"]["projects"]
        return {
            "color": "#b35c00" if count == 0 else "#333",
            "weight": 3 if count == 0 else 1,
            "dashArray": "6 4" if count == 0 else None,
            "fillColor": fill_color(count),
            "fillOpacity": 0.7,
        }

    # No separate basemap: the districts themselves are the outlines, with or without tiles.
    notice = _("The map tiles could not be loaded (no internet?): the map shows the district outlines instead.")
    m = make_map(DEFAULT_CENTER, 11, control_scale=True, offline_notice=notice)
    m.get_root().title = _("Projects of %(name)s per district", name=event.name)
    layer = folium.GeoJson(
        areas,
        name=_("Projects per district"),
        style_function=style,
        # Already escaped by tooltip_html: shown as the HTML it is.
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)
    m.fit_bounds(layer.get_bounds())
    m.get_root().html.add_child(folium.Element(_legend_html()), name="hackkit_legend")
    return m
