"""The map preview of a dataset with geometry, at /maps/datasets/<slug> (embedded by iframe).

The page carries no data: the browser fetches it by URL (see benchmarks/README.md "Maps").
Every row is drawn, however many there are:
- points come packed from /datasets/<slug>/map-points (what /api/v1/datasets/<slug>/points
  answers, for the page's signed-in user: 8 bytes a row) and are drawn by
  the kit's fast point layer: a million rows in a couple of seconds, where their GeoJSON
  would be ~100 MB for the browser to parse;
- shapes (a GeoJSON column) come from rows.geojson and are drawn as shapes up to
  MAX_SHAPES rows; a bigger dataset of shapes is drawn as points too, each shape at its
  first vertex, since a hundred thousand polygons are more than a preview can draw.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from hackkit.datasets.row_streams import geojson_chunks
from hackkit.models.dataset import Dataset, DatasetVersion
from hackkit.services import dataset_rows, datasets
from hackkit.services.errors import NotFound, ServiceError

if TYPE_CHECKING:
    import folium

# 50,000 canvas GeoJSON features fetched by URL drew in ~4 s in the maps benchmark: above
# this many, shapes are drawn as points.
MAX_SHAPES = 50_000
BASEMAP_SLUG = "districts"  # the demo dataset whose outlines make the offline basemap
DEFAULT_CENTER = (51.2194, 4.4025)  # Antwerp, until the data's own bounds are known
POINT_STYLE = {"radius": 3, "weight": 1, "color": "#1d4f91", "fill_color": "#3b7dd8", "fill_opacity": 0.7}
FAST_POINT_STYLE = {"color": "#1d4f91", "radius": 2, "opacity": 0.6}


def build_dataset_map(session: Session, actor, slug: str) -> folium.Map:
    import folium  # here, not at import: folium and pandas cost every web worker ~60 MB

    from hackkit.maps.kit import geojson_from_url, make_map, points_from_url

    dataset = datasets.get_dataset(session, actor, slug)
    version = datasets.get_version(dataset)
    if not version.geometry or version.geometry.get("type") is None:
        raise NotFound(_("This dataset has no locations to show on a map."))
    bounds = _point_bounds(version)
    m = make_map(
        DEFAULT_CENTER,
        12,
        basemap_geojson=_basemap(session, actor, dataset),
        prefer_canvas=True,
        control_scale=True,
        lean=True,  # Leaflet alone: nothing on this map uses folium's jQuery, Bootstrap or icons
    )
    m.get_root().title = _("Map of %(title)s", title=dataset.title)
    if draws_shapes(version):
        layer = geojson_from_url(
            shapes_url(dataset, version),
            fit_bounds=bounds is None,  # shapes: zoom to them once they have arrived
            name=dataset.title,
            marker=folium.CircleMarker(**POINT_STYLE),
        )
    else:
        url = url_for("datasets.map_points_of", slug=dataset.slug)  # the API's points, for the page's user
        layer = points_from_url(
            url, fit_bounds=bounds is None, name=dataset.title, **FAST_POINT_STYLE, **_clickable(dataset, version)
        )
    layer.add_to(m)
    if bounds is not None:
        m.fit_bounds(bounds)
    return m


def _clickable(dataset: Dataset, version: DatasetVersion) -> dict:
    """What makes a point clickable: the rows API asked for the rows at its place. Only for
    latitude and longitude columns; a shape drawn at its first vertex has no column to ask."""
    spec = version.geometry or {}
    if "lat" not in spec or "lon" not in spec:
        return {}
    return {
        "rows_url": url_for("datasets.map_rows_of", slug=dataset.slug),  # for the page's user, as the points
        "lat_field": spec["lat"],
        "lon_field": spec["lon"],
        "labels": {"more": _("+ {count} more at this place"), "failed": _("This row could not be loaded.")},
    }


def draws_shapes(version: DatasetVersion) -> bool:
    """Shapes as shapes (GeoJSON); points, and shapes beyond MAX_SHAPES rows, as packed points."""
    return (version.geometry or {}).get("type") == "geojson" and version.row_count <= MAX_SHAPES


def shapes_url(dataset: Dataset, version: DatasetVersion) -> str:
    """rows.geojson with only the geometry's column."""
    return url_for("api.dataset_rows_geojson", slug=dataset.slug, _fields=(version.geometry or {})["column"])


def geometry_features(session: Session, version: DatasetVersion):
    """The rows as GeoJSON chunks, geometry only (the basemap's outlines)."""
    spec = version.geometry or {}
    fields = [spec[k] for k in ("lat", "lon", "column") if k in spec]
    query = dataset_rows.parse_row_query({"_fields": ",".join(fields)}, version)
    rows = dataset_rows.stream_rows(session, version, query, limit=MAX_SHAPES)
    return geojson_chunks(version, [], rows)


def _point_bounds(version: DatasetVersion) -> list[list[float]] | None:
    """[[south, west], [north, east]] from the lat/lon columns' statistics, if it has them."""
    spec = version.geometry or {}
    if "lat" not in spec or "lon" not in spec:
        return None
    stats = {c["name"]: c for c in version.columns}
    try:
        lat, lon = stats[spec["lat"]], stats[spec["lon"]]
        south, north, west, east = (float(v) for v in (lat["min"], lat["max"], lon["min"], lon["max"]))
    except (KeyError, TypeError, ValueError):
        return None
    return [[south, west], [north, east]]


def _basemap(session: Session, actor, dataset: Dataset) -> dict | None:
    """Outlines of the districts dataset for an offline backdrop.

    Drawn from the start with HACKKIT_TILES=none; with tiles it waits hidden and takes over
    when the tile server does not answer (the venue has no internet).
    """
    try:
        districts = datasets.get_dataset(session, actor, BASEMAP_SLUG)
        version = datasets.get_version(districts)
    except ServiceError:
        return None
    if not version.geometry or version.row_count > MAX_SHAPES:
        return None  # a backdrop of outlines is a few hundred shapes, not a dataset to draw
    if districts.id == dataset.id:
        return None  # the dataset itself is the outline; no need to draw it twice
    text = "".join(geometry_features(session, version))
    return json.loads(text)
