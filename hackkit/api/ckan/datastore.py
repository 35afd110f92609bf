"""CKAN's DataStore API over dataset versions: `datastore_search` and `/datastore/dump/<id>`.

A resource id (or a dataset's name, as an alias of its current data) selects a version;
the rows come from services.dataset_rows, with CKAN's parameters translated to a RowQuery.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g, request, stream_with_context
from flask_babel import gettext as _

from hackkit.api.ckan import bp, envelope, params, shapes
from hackkit.api.ckan.envelope import action, caller, invalid
from hackkit.api.ckan.packages import find_resource
from hackkit.datasets import row_streams
from hackkit.extensions import db
from hackkit.models import DatasetVersion
from hackkit.services import dataset_rows, dataset_tables
from hackkit.services.dataset_rows import RowQuery

DEFAULT_LIMIT, MAX_LIMIT = 100, 32000  # CKAN's defaults (ckan.datastore.search.rows_max)
FORMATS = ("objects", "lists", "csv", "tsv")
KNOWN = {
    "resource_id", "id", "filters", "q", "full_text", "plain", "language", "limit", "offset", "fields",
    "sort", "include_total", "total_estimation_threshold", "records_format", "distinct",
}  # fmt: skip
ROW_ID_COLUMN = {"name": dataset_tables.ROW_ID, "type": "integer"}
SORT_CLAUSE = re.compile(r'^\s*("(?:[^"]|"")+"|[^\s"]+)(?:\s+(asc|desc))?\s*$', re.IGNORECASE)


def _columns(version: DatasetVersion) -> dict[str, dict[str, Any]]:
    return {dataset_tables.ROW_ID: ROW_ID_COLUMN, **{c["name"]: c for c in version.columns}}


def _filter_value(column: dict[str, Any], value: Any) -> Any:
    if isinstance(value, bool):
        value = "true" if value else "false"
    if isinstance(value, (dict, list)):
        raise invalid("filters", _("A filter value is a single value or a list of values."))
    return dataset_rows.parse_value(column, str(value), "filters")


def _filters(data: dict[str, Any], columns: dict[str, dict[str, Any]]) -> list[tuple[str, str, Any]]:
    filters = params.json_value(data, "filters")
    if filters is None:
        return []
    if not isinstance(filters, dict):
        raise invalid("filters", _("filters is a JSON object of field names and values."))
    out = []
    for name, value in filters.items():
        column = columns.get(name)
        if column is None:
            raise invalid("filters", _('invalid value "%(name)s": there is no such field.', name=str(name)[:60]))
        if column["type"] == "geojson":
            raise invalid("filters", _("Geometry fields cannot be filtered."))
        if value is None:
            out.append((name, "isnull", True))
        elif isinstance(value, list):
            dataset_rows.check_list_length(len(value), "filters")  # before parsing 70,000 values
            out.append((name, "in", [_filter_value(column, v) for v in value]))
        else:
            out.append((name, "exact", _filter_value(column, value)))
    return out


def _order(raw: Any, columns: dict[str, dict[str, Any]]) -> list[tuple[str, bool]]:
    clauses = raw if isinstance(raw, list) else str(raw or "").split(",")
    order = []
    for clause in clauses:
        if not str(clause).strip():
            continue
        match = SORT_CLAUSE.match(str(clause))
        name = match.group(1) if match else ""
        if name.startswith('"'):
            name = name[1:-1].replace('""', '"')
        if not match or name not in columns or columns[name]["type"] == "geojson":
            raise invalid(
                "sort",
                _(
                    'invalid value "%(clause)s": sort by field names, each optionally followed by asc or desc.',
                    clause=str(clause).strip()[:60],
                ),
            )
        order.append((name, (match.group(2) or "asc").lower() == "desc"))
    return order


def row_query(data: dict[str, Any], version: DatasetVersion) -> tuple[RowQuery, list[str]]:
    """The RowQuery for CKAN's filters, q, fields, sort, offset and distinct, and the
    names of the fields to return (`_id` first unless `fields` says otherwise)."""
    columns = _columns(version)
    query = RowQuery()
    query.filters = _filters(data, columns)
    search = data.get("q") if data.get("q") not in (None, "") else data.get("full_text")
    if isinstance(search, str) and search.lstrip().startswith("{"):
        search = params.json_value({"q": search}, "q")  # CKAN reads a q that looks like JSON as JSON
    if isinstance(search, dict):
        raise invalid("q", _("q as an object of fields is not supported; give the words as text."))
    if search not in (None, ""):
        query.search = params.text({"q": search}, "q").strip() or None
        if query.search and not dataset_tables.text_columns(version.columns):
            raise invalid("q", _("This resource has no text to search."))
    names = params.name_list(data, "fields")
    if names:
        unknown = [n for n in names if n not in columns]
        if unknown:
            raise invalid("fields", _('invalid value "%(name)s": there is no such field.', name=unknown[0][:60]))
        query.fields = names
    else:
        names = list(columns)
    query.order = _order(data.get("sort"), columns)
    query.offset = params.integer(data, "offset", 0)
    query.distinct = params.boolean(data, "distinct")
    if query.distinct and not query.fields:
        # The rows are distinct in the data's own fields: the row id would make each one
        # distinct, so it is not read (dataset_rows) and not returned.
        names = [name for name in names if name != dataset_tables.ROW_ID]
    params.boolean(data, "plain", True)
    return dataset_rows.check_query(query, "filters"), names


def _records(version: DatasetVersion, rows: Iterable[Mapping[str, Any]], names: list[str], form: str):
    plain = (dataset_rows.to_json_row(version, row, names) for row in rows)
    if form == "objects":
        return list(plain)
    if form == "lists":
        return [list(row.values()) for row in plain]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if form == "tsv" else ",", lineterminator="\n")
    for row in plain:
        writer.writerow([_text(v) for v in row.values()])
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _links(data: dict[str, Any], offset: int, limit: int) -> dict[str, str]:
    """Like CKAN: this search from the start, and the next page (offset + limit), as paths.
    Built from all arguments, so they also work for a search that came as a POST body."""
    plain = {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items() if k != "offset"}
    path = request.path
    start = path + ("?" + urlencode(plain) if plain else "")
    return {"start": start, "next": path + "?" + urlencode({**plain, "offset": offset + limit})}


@action("datastore_search")
def datastore_search(data: dict[str, Any]) -> dict[str, Any]:
    """Search the rows of a resource. Parameters: resource_id (a resource id, or a dataset
    name for its current data), filters (a JSON object), q, fields, sort ("a desc, b"),
    limit (default 100, at most 32000), offset, include_total, distinct, records_format
    (objects, lists, csv or tsv)."""
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise invalid(unknown[0], _('invalid value "%(value)s"', value=params.text(data, unknown[0])[:60]))
    key = params.required_id(data, "resource_id" if data.get("resource_id") or not data.get("id") else "id")
    dataset, version = find_resource(key)
    query, names = row_query(data, version)
    limit = params.integer(data, "limit", DEFAULT_LIMIT, high=MAX_LIMIT)
    include_total = params.boolean(data, "include_total", True)
    form = params.text(data, "records_format", "objects")
    if form not in FORMATS:
        raise invalid("records_format", _("records_format is one of: %(names)s.", names=", ".join(FORMATS)))
    ms = current_app.config["HACKKIT_DATASET_QUERY_MS"]
    page = dataset_rows.fetch_slice(db.session, version, query, limit, ms, count=include_total)
    result: dict[str, Any] = {
        "include_total": include_total,
        "limit": limit,
        "records_format": form,
        "resource_id": shapes.resource_id(dataset, version),
        "total_estimation_threshold": None,
    }
    for echoed in ("filters", "q", "sort", "offset", "distinct"):
        if echoed in data:
            result[echoed] = params.json_value(data, echoed) if echoed == "filters" else data[echoed]
    result["records"] = _records(version, page["rows"], names, form)
    result["fields"] = shapes.datastore_fields(version, names)
    result["_links"] = _links(data, query.offset, limit)
    if include_total:
        result.update({"total": page["total"], "total_was_estimated": False})
    return result


@bp.route("/datastore/dump/<resource_id>")
def datastore_dump(resource_id: str):
    """Every matching row of a resource as CSV (default), TSV or JSON; CKAN's dump URL.
    A failure answers CKAN's JSON envelope like the actions (a bad parameter is a 400, as
    CKAN's dump says it); everything is checked and the query started before the first byte."""
    try:
        return _dump(resource_id)
    except Exception as error:
        failure = envelope.as_ckan_error(error, "datastore_dump")
        if failure.kind == "Validation Error":
            failure.status = 400
        return envelope.failure({"help": envelope.help_url("datastore_search")}, failure)


def _dump(resource_id: str) -> Response:
    args = request.args.to_dict()
    form = args.pop("format", "csv").lower()
    bom = params.boolean(args, "bom") if "bom" in args else False
    args.pop("bom", None)
    g.ckan_user = caller()
    dataset, version = find_resource(resource_id)
    query, names = row_query(args, version)
    limit = params.integer(args, "limit", 0) or None
    if form not in ("csv", "tsv", "json"):
        raise invalid("format", _("format is csv, tsv or json."))
    rows = dataset_rows.stream_rows(db.session, version, query, limit)
    if form == "json":
        body: Iterator[str] = _json_dump(version, names, rows)
        mimetype = "application/json"
    else:
        body = _delimited_dump(version, names, rows, "\t" if form == "tsv" else ",")
        mimetype = "text/tab-separated-values" if form == "tsv" else "text/csv"
    if bom:
        body = _prefixed("\ufeff", body)
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.call_on_close(rows.close)
    response.headers["Content-Disposition"] = f'attachment; filename="{dataset.slug}.{form}"'
    return response


def _prefixed(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _delimited_dump(version: DatasetVersion, names: list[str], rows, delimiter: str) -> Iterator[str]:
    yield from row_streams.csv_lines(version, names, rows, delimiter)  # spreadsheet-safe, like rows.csv


def _json_dump(version: DatasetVersion, names: list[str], rows) -> Iterator[str]:
    yield '{"fields": ' + json.dumps(shapes.datastore_fields(version, names), ensure_ascii=False)
    yield ', "records": ['
    first = True
    for row in rows:
        values = list(dataset_rows.to_json_row(version, row, names).values())
        yield ("" if first else ",\n") + json.dumps(values, ensure_ascii=False)
        first = False
    yield "]}\n"
