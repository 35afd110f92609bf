"""The answer of a points request, for the API (/api/v1/datasets/<slug>/points, token users)
and for the map preview (/datasets/<slug>/map-points, the signed-in user of the page: an
organizer previewing a draft has a session, not a token). See services/dataset_points."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from flask import Response, current_app, request, send_file, stream_with_context
from flask_babel import gettext as _

from hackkit.extensions import db
from hackkit.models.dataset import Dataset, DatasetVersion
from hackkit.services import dataset_points, dataset_rows
from hackkit.services.errors import Invalid


def points_response(dataset: Dataset, version: DatasetVersion, args: Mapping) -> Response:
    """The packed points of the rows `args` asks for (the rows API's filters), with an ETag."""
    if not version.geometry:
        raise Invalid(
            _("%(slug)s has no locations, so there are no points of it; use rows or rows.csv.", slug=dataset.slug),
            {"format": [_("This dataset has no geometry.")]},
        )
    query = dataset_rows.parse_row_query(args, version)
    # A version's table never changes (a new upload makes a new table), so its name and the
    # question are a strong validator: a map opened again gets a 304 without a database read.
    tag = hashlib.sha256(f"{version.table_name}?{request.query_string.decode()}".encode()).hexdigest()[:32]
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    elif not (query.filters or query.search):
        # Every row, as the map preview asks: one file per version, sent as it is.
        folder = Path(current_app.instance_path) / "map-points"
        path = dataset_points.cached_points(db.session, version, folder)
        response = send_file(path, mimetype=dataset_points.MEDIA_TYPE, conditional=False, etag=False)
    else:
        points = dataset_points.stream_points(db.session, version, query)
        response = Response(stream_with_context(points), mimetype=dataset_points.MEDIA_TYPE)
        response.call_on_close(points.close)
    response.set_etag(tag)
    # private: a draft's points are for those who may see it, never for a shared cache.
    response.headers["Cache-Control"] = "private, no-cache"
    return response
