"""CKAN's package_search: q and fq in Solr's syntax (see search_query), CKAN's sort keys,
facets and paging, over the datasets the caller may see."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from flask import g
from flask_babel import gettext as _

from hackkit.api.ckan import params, search_query, shapes
from hackkit.api.ckan.envelope import CkanError, action, invalid
from hackkit.extensions import db
from hackkit.models import Dataset
from hackkit.services import catalogue, datasets
from hackkit.services.dataset_meta import LICENSES, THEMES

MAX_ROWS = 1000  # CKAN's default ckan.search.rows_max
DEFAULT_SORT = "score desc, metadata_modified desc"  # CKAN's default
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
SORTS = {
    "id": lambda doc: doc.strings["id"][0],
    "name": lambda doc: doc.strings["name"][0],
    "title_string": lambda doc: doc.strings["title_string"][0].lower(),
    "metadata_modified": lambda doc: doc.dates["metadata_modified"],
    "metadata_created": lambda doc: doc.dates["metadata_created"],
}


def search_query_error(message: str) -> CkanError:
    """CKAN's answer to a query Solr cannot run: `Search Query Error`, "Search Query is invalid: ..."."""
    return CkanError("Search Query Error", 409, _("Search Query is invalid: %(reason)s", reason=message))


def _queries(data: dict[str, Any]) -> list[str]:
    """q, fq and fq_list (CKAN 2.9+): every one of them must match."""
    found = [params.text(data, "q"), params.text(data, "fq")]
    extra = data.get("fq_list")
    if extra is not None:
        extra = params.json_value(data, "fq_list") if isinstance(extra, str) and extra.startswith("[") else extra
        items = extra if isinstance(extra, list) else [extra]
        if not all(isinstance(item, str) for item in items):
            raise invalid("fq_list", _("fq_list takes a list of filter queries."))
        found += items
    return found


def _sort_keys(sort: str) -> list[tuple[str, bool]]:
    keys = []
    for clause in (c.split() for c in sort.split(",") if c.strip()):
        name, direction = clause[0], (clause[1].lower() if len(clause) > 1 else "asc")
        if name not in (*SORTS, "score"):
            names = ", ".join(["score", *SORTS])
            raise search_query_error(
                _("cannot sort by %(field)s; use one of: %(names)s.", field=name[:40], names=names)
            )
        if direction not in ("asc", "desc") or len(clause) > 2:
            raise search_query_error(_('Invalid "sort" parameter: give a field and asc or desc.'))
        keys.append((name, direction == "desc"))
    return keys


def _ordered(docs: list, keys: list[tuple[str, bool]], scores: dict[int, float]) -> list:
    # Stable sorts applied from the last key to the first give a multi-key order.
    for name, descending in reversed(keys):
        key = (lambda doc: scores[id(doc)]) if name == "score" else SORTS[name]
        docs = sorted(docs, key=key, reverse=descending)
    return docs


def _facet_values(dataset: Dataset, field: str) -> list[tuple[str, str]]:
    """(name, display name) of a dataset for one CKAN facet field."""
    if field == "organization":
        return [(shapes.organization_name(dataset.publisher), dataset.publisher)] if dataset.publisher else []
    if field == "groups":
        return [(shapes.group_name(t), THEMES.get(t, t)) for t in catalogue.facet_values(dataset, "theme")]
    if field == "tags":
        return [(k, k) for k in catalogue.facet_values(dataset, "keyword")]
    if field == "license_id":
        return [(k, LICENSES.get(k, (k, ""))[0]) for k in catalogue.facet_values(dataset, "license")]
    return [("CSV", "CSV")] if dataset.current else []


def _facets(found: list[Dataset], fields: list[str], limit: int, mincount: int) -> tuple[dict, dict]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for field in fields:
        counts: Counter = Counter()
        labels: dict[str, str] = {}
        for dataset in found:
            for name, label in _facet_values(dataset, field):
                counts[name] += 1
                labels[name] = label
        ranked = [(n, c) for n, c in sorted(counts.items(), key=lambda i: (-i[1], i[0])) if c >= mincount]
        ranked = ranked[:limit] if limit >= 0 else ranked
        facets[field] = dict(ranked)
        items = [{"name": n, "display_name": labels[n], "count": c} for n, c in ranked]
        search_facets[field] = {"title": field, "items": items}
    return facets, search_facets


def _facet_fields(data: dict[str, Any]) -> list[str]:
    fields = params.name_list(data, "facet.field") or []
    if not params.boolean(data, "facet", True):
        return []
    unknown = [f for f in fields if f not in FACET_FIELDS]
    if unknown:
        raise invalid(
            "facet.field",
            _("Cannot count %(field)s; use: %(names)s.", field=unknown[0][:40], names=", ".join(FACET_FIELDS)),
        )
    return fields


@action("package_search")
def package_search(data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets with Solr's query syntax as CKAN does. Parameters: q (words, "phrases",
    AND/OR/NOT, -term, field:value on name, title, notes, tags, organization, groups,
    res_format, license_id, metadata_modified/metadata_created ranges like [2026-01-01T00:00:00Z
    TO *], trailing * wildcards), fq and fq_list (the same syntax; all must match), rows
    (default 10, at most 1000), start, sort (id, name, title_string, metadata_modified,
    metadata_created, score; asc or desc; several separated by commas), facet (false for none),
    facet.field (a JSON list), facet.limit, facet.mincount, include_drafts."""
    rows = params.integer(data, "rows", 10, high=MAX_ROWS)
    start = params.integer(data, "start", 0)
    sort = params.text(data, "sort").strip() or DEFAULT_SORT
    facet_fields = _facet_fields(data)
    facet_limit = params.text(data, "facet.limit", "50").strip()
    if not re.fullmatch(r"-1|\d+", facet_limit):
        raise invalid("facet.limit", _("facet.limit takes a whole number (-1 for all)."))
    mincount = params.integer(data, "facet.mincount", 1)
    include_drafts = params.boolean(data, "include_drafts") and datasets.can_see_drafts(g.ckan_user)
    params.boolean(data, "include_private")

    evaluator = search_query.Evaluator(now=datetime.now(UTC))
    try:
        keys = _sort_keys(sort)
        trees = [search_query.parse(text) for text in _queries(data)]
        for item in trees:
            if item is not None:
                evaluator.check(item)
        visible = datasets.visible_datasets(db.session, g.ckan_user)
        docs = [search_query.document(d) for d in visible if d.status == "published" or include_drafts]
        found = [doc for doc in docs if all(evaluator.matches(item, doc) for item in trees)]
        terms = search_query.positive_terms(trees[0])
        scores = {id(doc): search_query.score(evaluator, terms, doc) for doc in found}
    except search_query.SearchQueryError as error:
        raise search_query_error(str(error)) from None
    except RecursionError:  # thousands of nested parentheses
        raise search_query_error(_("the query is nested too deeply.")) from None
    found = _ordered(found, keys, scores)
    matching = [doc.dataset for doc in found]
    facets, search_facets = _facets(matching, facet_fields, int(facet_limit), mincount)
    return {
        "count": len(matching),
        "sort": sort,
        "facets": facets,
        "search_facets": search_facets,
        "results": [shapes.package_dict(d) for d in matching[start : start + rows]],
    }
